"""Links read in the extraction worker are the links the crawl process reads (crawler.links):
on every HTML page of the fixture sites and on the metadata pages, what the worker gives the
spider (``read_in_worker``) is ``link_targets(site_links(response))``, the spider's own path,
and ``site_links`` is still ``LinkExtractor`` less the links to other hosts."""

from __future__ import annotations

import http.client
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

import crawler.pipelines.extract as extract_pipeline
from crawler.bodies import body_fault
from crawler.links import IGNORED_EXTENSIONS as OURS
from crawler.links import link_targets, site_links
from crawler.pipelines.extract import PageJob, read_in_worker
from extract.encoding import charset_from_content_type, choose_encoding
from extract.site import load_sites
from extract.urls import canonicalize, same_site
from tests.fixtures.server import FixtureSites

METADATA_PAGES = Path(__file__).parent / "pages" / "metadata"


def test_ignored_extensions_are_scrapys():
    assert OURS == IGNORED_EXTENSIONS


def _response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> HtmlResponse:
    encoding, _ = choose_encoding(body, charset_from_content_type(content_type))  # as BodyEncodingMiddleware
    return HtmlResponse(url, body=body, headers={"Content-Type": content_type}, encoding=encoding)


def _job(response: HtmlResponse, here: str, **kw) -> PageJob:
    return PageJob(response.url, response.body, response.encoding, False, status=response.status,
                   content_type=response.headers.get(b"Content-Type").decode(), links_from=here, **kw)


def _fetch(url: str) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    con.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    resp = con.getresponse()
    body = resp.read()
    con.close()
    return resp.status, resp.getheader("Content-Type") or "", body


@pytest.fixture(scope="module")
def fixture_pages(tmp_path_factory):
    """(profile, response) for every HTML page of the fixture sites."""
    tmp = tmp_path_factory.mktemp("links")
    with FixtureSites() as sites:
        profiles = {p.name: p for p in load_sites(sites.write_sites_toml(tmp / "sites.toml"))}
        out = []
        for site in sites:
            profile = next(p for p in profiles.values() if same_site(site.base_url, p.url))
            for path, route in site.manifest["routes"].items():
                if not route["content_type"].startswith("text/html"):
                    continue
                status, content_type, body = _fetch(site.origin + path)
                if status == 200:
                    out.append((profile, _response(site.origin + path, body, content_type)))
    assert len(out) > 50
    return out


def test_worker_links_are_the_crawl_process_links_on_the_fixture_sites(fixture_pages):
    followed = 0
    for profile, response in fixture_pages:
        here = canonicalize(response.url, profile.host)
        expected = link_targets(site_links(response, profile.host), profile, here)
        work = read_in_worker(_job(response, here, check_body=True), profile, frozenset())
        if work.fault is not None:
            assert work.fault == body_fault(response), response.url
            continue
        assert work.links == expected, response.url
        assert work.error is None and work.result is not None, response.url
        followed += len(expected)
    assert followed > 100


def test_site_links_are_linkextractors_less_other_hosts(fixture_pages):
    extractor = LinkExtractor(unique=True, canonicalize=False, tags=("a", "area"), attrs=("href",))
    for profile, response in fixture_pages:
        ours = site_links(response, profile.host)
        theirs = [link.url for link in extractor.extract_links(response)]
        assert [u for u in theirs if same_site(u, profile.url)] == [u for u in ours if same_site(u, profile.url)]


@pytest.mark.parametrize("name", sorted(p.name for p in METADATA_PAGES.glob("*.html")))
def test_worker_links_on_foreign_pages(name):
    """Real pages of other sites (their own host, their charsets, their <base>)."""
    (profile,) = load_sites_from_text('[[site]]\nname = "x"\nurl = "https://www.example.de/"\n')
    body = (METADATA_PAGES / name).read_bytes()
    response = _response("https://www.example.de/politik/artikel-123.html", body)
    here = canonicalize(response.url, profile.host)
    work = read_in_worker(_job(response, here), profile, frozenset())
    assert work.links == link_targets(site_links(response, profile.host), profile, here)


def load_sites_from_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.toml"
        path.write_text(text)
        return load_sites(path)


def test_links_come_back_when_extraction_raises(fixture_pages, monkeypatch):
    profile, response = next((p, r) for p, r in fixture_pages if r.url.rstrip("/").count("/") > 3)
    here = canonicalize(response.url, profile.host)

    def broken(*args, **kwargs):
        raise RuntimeError("extractor broke")

    monkeypatch.setattr(extract_pipeline, "extract_article", broken)
    work = read_in_worker(_job(response, here), profile, frozenset())
    assert work.error == "RuntimeError: extractor broke" and work.result is None
    assert work.links == link_targets(site_links(response, profile.host), profile, here)


def test_the_worker_does_not_import_scrapy():
    import subprocess

    code = ("import sys, crawler.pipelines.extract, crawler.links, crawler.bodies; "
            "print(sorted(m for m in sys.modules if m == 'scrapy' or m.startswith(('scrapy.', 'twisted'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip() == "[]"
