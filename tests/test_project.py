"""Project-wide promises: import layers, safe settings, documented settings, sites list."""

import ast
import re
from pathlib import Path

from scrapy.settings import Settings

from crawler import settings as project_settings
from extract.site import KNOWN_KEYS, load_sites

ROOT = Path(__file__).resolve().parent.parent


def imports_of(package: str) -> set[str]:
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_extraction_imports_neither_scrapy_nor_archive():
    assert not imports_of("extract") & {"scrapy", "archive", "crawler", "twisted"}


def test_archive_imports_nothing_from_crawler():
    assert "crawler" not in imports_of("archive")
    assert "scrapy" not in imports_of("archive")


def test_safety_settings():
    s = Settings()
    s.setmodule(project_settings)
    assert s.getbool("ROBOTSTXT_OBEY")
    assert not s.getbool("TELNETCONSOLE_ENABLED")
    assert not s.getbool("REMOTE_CONTROL_ENABLED")
    assert not s.getbool("COOKIES_ENABLED")
    assert s.getbool("DOWNLOAD_VERIFY_CERTIFICATES")
    assert s.getbool("AUTOTHROTTLE_ENABLED")
    assert 1 <= s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    for scheme in ("file", "data", "ftp", "s3"):
        assert s.getdict("DOWNLOAD_HANDLERS")[scheme] is None
    assert s.getint("DOWNLOAD_MAXSIZE") <= 50 * 1024 * 1024
    assert s.getint("REDIRECT_MAX_TIMES") <= 5
    assert "calcio-archive" in s.get("USER_AGENT")


def test_every_archive_setting_is_commented_and_in_the_readme():
    source = (ROOT / "crawler" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    names = re.findall(r"^(ARCHIVE_[A-Z_]+)\s*=", source, re.M)
    assert names
    lines = source.splitlines()
    for name in names:
        i = next(i for i, line in enumerate(lines) if line.startswith(name))
        assert lines[i - 1].lstrip().startswith("#"), f"{name} has no comment"
        assert name in readme, f"{name} is not documented in the README"


def test_site_keys_documented_in_readme():
    readme = (ROOT / "README.md").read_text()
    for key in KNOWN_KEYS:
        assert f"`{key}`" in readme, f"site key {key} not in the README"


def test_bundled_sites_list():
    sites = load_sites(ROOT / "crawler" / "sites.toml")
    names = {s.name for s in sites}
    assert "calciodangolo" in names and len(sites) >= 6
    assert all(s.url.startswith("https://") for s in sites)
