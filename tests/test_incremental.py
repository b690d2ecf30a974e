"""Scheduled crawls: no refetch of unchanged articles, history of edits, conditional GET,
crawl runs recorded, one writer at a time, a killed crawl re-run loses and duplicates nothing."""

import signal
import sqlite3
import subprocess
import time
from datetime import timedelta

from archive.lock import CrawlLock
from tests.crawling import FAST, ROOT, query, run_crawl, scrapy_executable, write_sites
from tests.newsroom import Newsroom


def sites_file(tmp_path, server):
    return write_sites(tmp_path, server, "campanile")


def article_hits(server, story):
    return [h for h in server.hits if h.path.startswith(story.path.rstrip("/"))]


def test_repeat_crawls_fetch_only_what_changed(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=5, recent=1) as site:
        sites = sites_file(tmp_path, site)
        first = run_crawl(sites, db)
        assert first.returncode == 0, first.log[-3000:]
        assert query(db, "select count(*) from articles")[0][0] == 6
        old, recent = site.stories[0], site.stories[-1]

        # Second run: discovery pages again, no old article, the recent one only conditionally.
        site.reset()
        second = run_crawl(sites, db)
        assert second.returncode == 0, second.log[-3000:]
        assert "/sitemap.xml" in site.paths() and "/" in site.paths()
        for story in site.stories[:-1]:
            assert article_hits(site, story) == [], f"unchanged {story.path} fetched again"
        recent_hits = article_hits(site, recent)
        assert len(recent_hits) == 1 and recent_hits[0].status == 304
        assert "if-none-match" in recent_hits[0].headers
        assert second.stats.get("archive/not_modified") == 1
        assert query(db, "select count(*) from article_versions")[0][0] == 6  # no spurious versions

        # The newsroom edits an old story: the next run fetches it and keeps the old version.
        site.edit(old, "Aggiornamento: il club ha annunciato che il centravanti salterà la prossima gara.")
        site.reset()
        third = run_crawl(sites, db)
        assert third.returncode == 0, third.log[-3000:]
        assert len(article_hits(site, old)) == 1
        for story in site.stories[1:-1]:
            assert article_hits(site, story) == []
        url = site.base_url.rstrip("/") + old.path
        text = query(db, "select text from articles where url = ?", url)[0][0]
        assert text.endswith("salterà la prossima gara.")
        versions = query(db, "select version, change, text from article_versions where url = ? order by version", url)
        assert [(v, c) for v, c, _ in versions] == [(1, "first"), (2, "edit")]
        assert "salterà" not in versions[0][2]

    runs = query(db, "select status, finish_reason, articles_new, articles_updated, not_modified from crawls order by id")
    # third run: the edited story fetched anew, the recent one again answered 304
    assert runs == [("finished", "finished", 6, 0, 0), ("finished", "finished", 0, 0, 1), ("finished", "finished", 0, 1, 1)]


def test_overlapping_run_is_refused(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=2, recent=0) as site, CrawlLock(db):
        started = time.monotonic()
        run = run_crawl(sites_file(tmp_path, site), db)
        assert run.returncode == 4
        assert "another crawl" in run.log
        assert site.paths() == []
        assert time.monotonic() - started < 30


def test_killed_crawl_rerun_stores_every_article_once(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=24, recent=0, delay=0.5) as site:
        sites = sites_file(tmp_path, site)
        cmd = scrapy_executable() + ["crawl", "calcio", "-a", f"sites={sites}", "-s", f"ARCHIVE_DB={db}",
                                     "-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warc'}",
                                     # small transactions, so that the kill falls between two of them
                                     "-s", "ARCHIVE_WRITE_BATCH=2", "-s", "ARCHIVE_WRITE_INTERVAL=0.2"]
        for k, v in FAST.items():
            cmd += ["-s", f"{k}={v}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                if query(db, "select count(*) from articles")[0][0] >= 3:
                    break
            except sqlite3.OperationalError:
                pass
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored = query(db, "select count(*) from articles")[0][0]
        assert 3 <= stored < 24, "the crawl was not killed half-way"

        site.delay = 0
        rerun = run_crawl(sites, db)
        assert rerun.returncode == 0, rerun.log[-3000:]
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*), count(distinct url) from articles") == [(24, 24)]
    assert query(db, "select count(*) from articles a where not exists "
                     "(select 1 from article_versions v where v.url = a.url)") == [(0,)]
    assert [r[0] for r in query(db, "select status from crawls order by id")] == ["aborted", "finished"]


def test_paused_crawl_resumes_from_jobdir(tmp_path):
    db, jobdir = tmp_path / "a.db", tmp_path / "job"
    with Newsroom(old=16, recent=0, delay=0.5) as site:
        sites = sites_file(tmp_path, site)
        cmd = scrapy_executable() + ["crawl", "calcio", "-a", f"sites={sites}", "-s", f"ARCHIVE_DB={db}",
                                     "-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warc'}", "-s", f"JOBDIR={jobdir}",
                                     # few requests in the downloader at once, so most wait in JOBDIR's queue
                                     "-s", "CONCURRENT_REQUESTS=2"]
        for k, v in FAST.items():
            cmd += ["-s", f"{k}={v}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sum(site.story(p) is not None for p in site.paths()) < 2:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)  # a clean pause: Scrapy saves its queue in JOBDIR
        assert proc.wait(timeout=120) != 0  # stopped early
        paused = query(db, "select count(*) from articles")[0][0]
        assert paused < 16
        site.reset()
        resumed = run_crawl(sites, db, JOBDIR=str(jobdir), CONCURRENT_REQUESTS="2")
        assert resumed.returncode == 0, resumed.log[-3000:]
        assert "/sitemap.xml" not in site.paths()  # the queue came back from JOBDIR, not from discovery
    assert query(db, "select count(*), count(distinct url) from articles") == [(16, 16)]


def test_article_taken_down_is_kept_and_marked_gone(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=2, recent=1) as site:
        sites = sites_file(tmp_path, site)
        assert run_crawl(sites, db).returncode == 0
        recent = site.stories[-1]
        url = site.base_url.rstrip("/") + recent.path
        site.gone.add(recent.path)  # the publisher deletes the story
        second = run_crawl(sites, db)
        assert second.returncode == 0, second.log[-3000:]
        gone_at, text = query(db, "select gone_at, text from articles where url = ?", url)[0]
        assert gone_at and text.startswith("Il ")  # kept, with its text, and marked
        assert query(db, "select status, outcome from pages where url = ?", url) == [(404, "error")]
        site.gone.clear()  # it comes back
        assert run_crawl(sites, db).returncode == 0
        assert query(db, "select gone_at from articles where url = ?", url) == [(None,)]


def test_second_crawl_of_the_fixture_sites_fetches_no_article(tmp_path):
    from tests.fixtures.server import FixtureSites

    db = tmp_path / "a.db"
    with FixtureSites() as sites:
        toml = sites.write_sites_toml(tmp_path / "sites.toml")
        assert run_crawl(toml, db).returncode == 0
        stored = query(db, "select count(*) from articles")[0][0]
        article_paths = {a["url"].split("/", 3)[3] for a in sites.expected_articles() + sites.liveblogs()}
        first = [h.path for site in sites for h in site.hits if h.path.lstrip("/") in article_paths and h.status == 200]
        assert len(first) == stored == len(article_paths)  # the matching below does see article fetches
        sites.reset()
        second = run_crawl(toml, db)
        assert second.returncode == 0, second.log[-3000:]
        refetched = [h.path for site in sites for h in site.hits if h.path.lstrip("/") in article_paths]
        discovery = [h.path for site in sites for h in site.hits]
    assert refetched == [], "unchanged articles fetched again"
    assert any(p.startswith("/robots.txt") for p in discovery)  # discovery pages are still read
    assert second.stats.get("incremental/skipped", 0) >= stored
    assert query(db, "select count(*) from articles")[0][0] == stored


class NewsSitemapNewsroom(Newsroom):
    """A newsroom with a Google News sitemap (each story's publication date) beside its sitemap
    (each story's lastmod), as news sites have; the home page links nothing."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.listings = {"/news-sitemap.xml", "/sitemap.xml"}
        for story in self.stories:
            story.modified = story.published + timedelta(hours=3)  # edited once, the day it came out

    def respond(self, method, path, headers):
        path = path.split("?")[0]
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, "".join(
                f"Sitemap: {self.base_url.rstrip('/')}{p}\n" for p in sorted(self.listings)).encode()
        if path == "/":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>Il Campanile</h1></body></html>"
        if path == "/news-sitemap.xml" and path in self.listings:
            urls = "".join(f"<url><loc>{self.base_url.rstrip('/')}{s.path}</loc><news:news><news:publication_date>"
                           f"{s.published.isoformat()}</news:publication_date></news:news></url>" for s in self.stories)
            return 200, {"Content-Type": "application/xml"}, (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()
        if path in ("/news-sitemap.xml", "/sitemap.xml") and path not in self.listings:
            return 404, {"Content-Type": "text/html"}, b"<h1>Non trovato</h1>"
        return super().respond(method, path, headers)


def test_a_story_listed_elsewhere_with_its_other_date_is_not_refetched(tmp_path):
    """One URL, two listings, two dates: the news sitemap gives its publication date, the
    sitemap its lastmod. Which listing a run (or a worker) reads first varies; the date the
    other one gives is one the archive holds for the article, not a change."""
    db = tmp_path / "a.db"
    with NewsSitemapNewsroom(old=4, recent=0) as site:
        sites = sites_file(tmp_path, site)
        site.listings = {"/news-sitemap.xml"}  # first run: found through the news sitemap only
        first = run_crawl(sites, db)
        assert first.returncode == 0, first.log[-3000:]
        listed = dict(query(db, "select url, listed_date from pages where article_url is not null"))
        assert sorted(listed.values()) == sorted(s.published.isoformat() for s in site.stories)

        # the news sitemap keeps only the last days: the stories are now listed by the sitemap alone
        site.listings = {"/sitemap.xml"}
        edited = site.stories[0]
        edited.modified -= timedelta(hours=1)  # a date that changed, older than our fetch: re-checked
        site.reset()
        second = run_crawl(sites, db)
        assert second.returncode == 0, second.log[-3000:]
        assert "/sitemap.xml" in site.paths()
        assert len(article_hits(site, edited)) == 1
        for story in site.stories[1:]:
            assert article_hits(site, story) == [], f"unchanged {story.path} fetched again"
        assert second.stats.get("incremental/listed_date_changed") == 1
        assert second.stats.get("incremental/skipped") == len(site.stories) - 1
