"""The sites file is validated before any request: one clear line naming the file, the site
and the key, exit status 1, through the real `scrapy crawl calcio` (issue 10, point 7)."""

import subprocess

import pytest

from extract.site import SiteConfigError, load_sites
from tests.crawling import ROOT, scrapy_executable
from tests.faults import FaultServer

GOOD = 'name = "buono"\nurl = "{url}"\n'
MISTAKES = {
    "unknown key": ('name = "a"\nurl = "{url}"\nmax_article = 3\n', "'a'", "max_article", "unknown key"),
    "missing url": ('name = "a"\n', "'a'", "url", "required"),
    "ftp url": ('name = "a"\nurl = "ftp://example.com/"\n', "'a'", "url", "http(s) URL"),
    "impossible port": ('name = "a"\nurl = "http://127.0.0.1:99999/"\n', "'a'", "url", "impossible port"),
    "port zero": ('name = "a"\nurl = "http://127.0.0.1:0/"\n', "'a'", "url", "impossible port"),
    "wrong type": ('name = "a"\nurl = "{url}"\nmax_articles = "abc"\n', "'a'", "max_articles", "positive integer"),
    "bool as list": ('name = "a"\nurl = "{url}"\nstart_urls = true\n', "'a'", "start_urls", "list of strings"),
    "invalid regex": ('name = "a"\nurl = "{url}"\narticle_patterns = ["/(unclosed"]\n', "'a'", "article_patterns", "invalid regex"),
    "invalid exclude regex": ('name = "a"\nurl = "{url}"\nexclude_patterns = "*bad"\n', "'a'", "exclude_patterns", "invalid regex"),
    "unknown time zone": ('name = "a"\nurl = "{url}"\ntimezone = "Europe/Milano"\n', "'a'", "timezone", "IANA"),
    "duplicate name": ('name = "buono"\nurl = "{url}"\n', "'buono'", "name", "duplicate"),
    "no name": ('url = "{url}"\n', "#2", "name", "required"),
}


def sites_file(tmp_path, url, second: str):
    path = tmp_path / "sites.toml"
    path.write_text("[[site]]\n" + GOOD.format(url=url) + "\n[[site]]\n" + second.format(url=url))
    return path


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistakes_are_one_line_and_exit_1_before_any_request(tmp_path, name):
    entry, site, key, problem = MISTAKES[name]
    with FaultServer() as server:
        path = sites_file(tmp_path, server.base_url, entry)
        proc = subprocess.run(scrapy_executable() + ["crawl", "calcio", "-a", f"sites={path}",
                                                     "-s", f"ARCHIVE_DB={tmp_path / 'a.db'}"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert server.paths() == []  # not even robots.txt
    assert proc.returncode == 1, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.startswith("calcio-archive:")]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert str(path) in lines[0] and f"site {site}" in lines[0] and f"key '{key}'" in lines[0] and problem in lines[0]
    assert not (tmp_path / "a.db").exists()


def test_a_valid_file_loads(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[[site]]\nname = "a"\nurl = "https://a.example/"\narticle_patterns = ["/20\\\\d\\\\d/"]\n'
                    'max_articles = 5\nverify_certificates = false\ntimezone = "Europe/Rome"\nfeeds = ["/feed/"]\n')
    (site,) = load_sites(path)
    assert site.max_articles == 5 and site.article_patterns == ("/20\\d\\d/",) and not site.verify_certificates
    assert load_sites(ROOT / "crawler" / "sites.toml")  # the bundled list is valid


def test_top_level_mistake_names_the_file(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[[sites]]\nname = "a"\nurl = "https://a.example/"\n')
    with pytest.raises(SiteConfigError, match="unknown top-level key 'sites'"):
        load_sites(path)
