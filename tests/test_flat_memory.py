"""What a crawl remembers per URL lives on disk, not in Python sets growing with the crawl
(crawler/seen.py), and what the archive holds is looked up per URL (archive.store.HeldLookup).
The mechanism is tested here; how flat the memory stays is measured by benchmarks/crawl_speed.py."""

import sqlite3

from scrapy import Request

from archive.store import HeldLookup, PageRecord, held_pages, save_fetch
from crawler.fingerprint import CanonicalFingerprinter
from crawler.seen import DiskDupeFilter, SeenStore, SiteSeen
from extract.article import Article
from extract.urls import dedupe_key
from tests.crawling import run_crawl
from tests.newsroom import Newsroom


def test_seen_store_is_a_set_on_disk(tmp_path):
    store = SeenStore(tmp_path / "seen.sqlite3")
    assert store.add("spider", "//x.it/a") and not store.add("spider", "//x.it/a")
    assert store.contains("spider", "//x.it/a") and not store.contains("spider", "//x.it/b")
    assert not store.contains("saved", "//x.it/a")  # one set per kind
    for i in range(5000):
        store.add("fingerprints", f"//x.it/{i}")
    assert store.count("fingerprints") == 5000
    store.close()
    again = SeenStore(tmp_path / "seen.sqlite3")  # what JOBDIR keeps for a resumed crawl
    assert again.contains("fingerprints", "//x.it/4999") and again.count("spider") == 1
    again.close()


def test_a_temporary_store_is_removed_at_close():
    store = SeenStore()
    path = store.path
    store.add("spider", "k")
    assert path.exists()
    store.close()
    assert not path.exists() and not path.parent.exists()


def test_site_views_and_the_dupefilter_share_one_store(tmp_path):
    store = SeenStore(tmp_path / "seen.sqlite3")
    a, b = SiteSeen(store, "a"), SiteSeen(store, "b")
    a.add("//x.it/1")
    assert "//x.it/1" in a and "//x.it/1" not in b
    df = DiskDupeFilter(store, CanonicalFingerprinter())
    assert not df.request_seen(Request("https://x.it/1/?utm_source=feed"))
    # a variant of the same page (scheme, trailing slash, tracking parameters) is the same request
    assert df.request_seen(Request("http://x.it/1"))
    assert not df.request_seen(Request("https://x.it/2/"))
    assert store.count("fingerprints") == 2
    store.close()


def test_the_crawl_keeps_its_frontier_on_disk(tmp_path):
    """Every request waited in Scrapy's disk queue, the dupefilter and the spider's seen set
    are tables of the store in JOBDIR, and they hold what the crawl requested."""
    db, jobdir = tmp_path / "a.db", tmp_path / "job"
    with Newsroom(old=5, recent=1) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "campanile"\nurl = "{site.base_url}"\n')
        run = run_crawl(sites, db, JOBDIR=str(jobdir))
    assert run.returncode == 0, run.log[-3000:]
    stats = run.stats
    assert stats["scheduler/enqueued"] == stats["scheduler/enqueued/disk"] > 0
    assert "scheduler/enqueued/memory" not in stats
    con = sqlite3.connect(jobdir / "calcio-seen.sqlite3")
    fingerprints = con.execute("select count(*) from fingerprints").fetchone()[0]
    spider_keys = con.execute("select count(*) from spider").fetchone()[0]
    saved = con.execute("select count(*) from saved").fetchone()[0]
    assert fingerprints == stats["scheduler/enqueued"]
    assert spider_keys >= fingerprints - 1  # robots.txt aside, every request was first a spider key
    assert saved == stats["archive/new"] == 6


def test_plain_crawl_queue_and_seen_sets_go_in_a_temporary_directory(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=3, recent=0) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "campanile"\nurl = "{site.base_url}"\n')
        run = run_crawl(sites, db)
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["scheduler/enqueued"] == run.stats["scheduler/enqueued/disk"]
    assert run.stats["archive/new"] == 3


def test_held_lookup_answers_as_held_pages(fresh_db):
    """Per URL, what the whole-site load gave: by the fetched URL, any scheme or trailing
    slash, and by the article's canonical URL."""
    fetched = "https://www.curvanord.it/2026/01/13/derby-di-roma/?ref=home"
    canonical = "https://www.curvanord.it/2026/01/13/derby-di-roma/"
    page = PageRecord(url=fetched, site="curvanord", status=200, fetched_at="2026-11-26T10:00:00+00:00",
                      outcome="ok", etag='"e1"', listed_date="2026-01-13")
    save_fetch(fresh_db, page, Article(url=canonical, site="curvanord", title="Derby", text="Testo del derby.",
                                       published="2026-01-13T10:00:00+01:00", fetched_at=page.fetched_at))
    whole = {dedupe_key(u): h for u, h in held_pages(fresh_db, "curvanord").items()}
    lookup = HeldLookup(fresh_db, "curvanord")
    for url in (fetched, canonical, "http://www.curvanord.it/2026/01/13/derby-di-roma", canonical + "?x=1"):
        assert lookup.get(dedupe_key(url)) == whole.get(dedupe_key(url)), url
    assert lookup.get(dedupe_key(canonical)).etag == '"e1"'
    assert HeldLookup(fresh_db, "another-site").get(dedupe_key(canonical)) is None
