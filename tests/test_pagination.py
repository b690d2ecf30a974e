"""Discovery reaches paginated sections: next pages are followed as part of their section
(no extra link hops), within the caps, newest first, and pagination traps end."""

from __future__ import annotations

import pytest

from crawler.pagination import is_other_page, split_page
from tests.crawling import rows, run_crawl, write_sites
from tests.faults import EndlessPagesServer
from tests.fixtures.server import FixtureSites


@pytest.mark.parametrize("url, base, number", [
    ("https://x.it/calcio/serie-a/", "https://x.it/calcio/serie-a/", 1),
    ("https://x.it/calcio/serie-a/?page=3", "https://x.it/calcio/serie-a/", 3),
    ("https://x.it/category/serie-a/page/2/", "https://x.it/category/serie-a/", 2),
    ("https://x.it/category/serie-a/page/2", "https://x.it/category/serie-a/", 2),
    ("https://x.it/?paged=4", "https://x.it/", 4),
    ("https://x.it/sezione.php?s=seriea&pag=2", "https://x.it/sezione.php/?s=seriea", 2),
    ("https://x.it/?p=1234", "https://x.it/?p=1234", 1),  # a WordPress post id, not a page number
])
def test_split_page(url, base, number):
    assert split_page(url) == (base, number)


def test_other_pages_of_a_listing():
    assert is_other_page("https://x.it/tag/inter/page/3/", "https://x.it/tag/inter/")
    assert not is_other_page("https://x.it/tag/inter/", "https://x.it/tag/inter/page/3/")  # page 1 is no "next"
    assert not is_other_page("https://x.it/tag/milan/page/2/", "https://x.it/tag/inter/")


def test_an_article_only_on_page_two_needs_pagination(tmp_path):
    """The gazzettino fixture lists one article only on /ultime-notizie/?page=2 (the full
    crawl in test_e2e_sites stores it); with pagination capped at page 1 it is never reached."""
    with FixtureSites(["gazzettino"]) as sites:
        toml = sites.write_sites_toml(tmp_path / "sites.toml")
        run = run_crawl(toml, tmp_path / "calcio.db", ARCHIVE_MAX_SECTION_PAGES="1")
        hits = sites["gazzettino"].hits
        expected = {e["url"] for e in sites.expected_articles()}
    assert run.returncode == 0, run.log[-3000:]
    stored = set(rows(tmp_path / "calcio.db"))
    missing = sorted(expected - stored)
    assert len(missing) == 1 and "viola-park" in missing[0]
    assert not any(h.path == "/ultime-notizie/?page=2" for h in hits)
    assert run.stats.get("calcio/pagination_cap_reached", 0) >= 1


def test_pagination_traps_end_at_the_caps(tmp_path):
    with EndlessPagesServer() as server:
        toml = write_sites(tmp_path, server, "senzafine")
        run = run_crawl(toml, tmp_path / "calcio.db", ARCHIVE_MAX_SECTION_PAGES="4")
        endless, same = server.listing_hits("/notizie/"), server.listing_hits("/stessa/")
        articles = server.article_hits()
    assert run.returncode == 0, run.log[-3000:]
    # every next page bringing new articles: followed up to the per-section cap, one hop each
    assert sorted(endless) == ["/notizie/", "/notizie/?page=2", "/notizie/?page=3", "/notizie/?page=4"]
    assert run.stats.get("calcio/pagination_cap_reached", 0) >= 1
    # a next page that lists nothing new ends the chain
    assert sorted(same) == ["/stessa/", "/stessa/?page=2"]
    assert run.stats.get("calcio/pagination_exhausted", 0) >= 1
    # the articles of the four pages were reached although page 4 is three pages deep
    assert len(set(articles)) == 12
    assert len(rows(tmp_path / "calcio.db")) >= 12


def test_pagination_stays_within_the_discovery_cap(tmp_path):
    with EndlessPagesServer() as server:
        toml = write_sites(tmp_path, server, "senzafine")
        run = run_crawl(toml, tmp_path / "calcio.db", ARCHIVE_MAX_SECTION_PAGES="1000", ARCHIVE_MAX_DISCOVERY_PER_SITE="6")
        endless = server.listing_hits("/notizie/")
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats.get("calcio/discovery_cap_reached", 0) >= 1
    assert 1 < len(endless) <= 6


def test_the_article_cap_goes_to_the_newest_pages_first(tmp_path):
    with EndlessPagesServer() as server:
        toml = write_sites(tmp_path, server, "senzafine")
        run = run_crawl(toml, tmp_path / "calcio.db", ARCHIVE_MAX_ARTICLES_PER_SITE="5")
        endless = server.listing_hits("/notizie/")
        articles = set(server.article_hits())
    assert run.returncode == 0, run.log[-3000:]
    newest = {f"/2026/03/01/notizia-numero-{i}-della-sezione-senza-fine/" for i in (10, 11, 12)}
    assert newest <= articles and len(articles) == 5
    assert all(int(a.split("-")[2]) < 30 for a in articles)  # from pages 1 and 2 only
    # once the cap is spent, further pages bring nothing new: the chain ends
    assert len(endless) <= 3
