"""Batched archive writes (archive.store.save_fetches, ArchivePipeline): many pages per
transaction, each page all or nothing, nothing pending lost when the crawl stops.

In-process against a real archive file, and end to end with the real crawl stopped by
CloseSpider and by Ctrl-C in the middle of a batch that would otherwise wait for more pages."""

import signal
import sqlite3
import subprocess
import time

import pytest

from archive.db import ArchiveLocked, open_db
from archive.store import Fetch, PageRecord, save_fetches
from extract.article import Article
from tests.crawling import FAST, ROOT, parse_stats, query, run_crawl, scrapy_executable
from tests.newsroom import Newsroom

SITE = "https://www.curvanord.it"


def fetch(i: int, text: str | None = None) -> Fetch:
    url = f"{SITE}/2026/01/{i:02d}/articolo-{i}/"
    page = PageRecord(url=url, site="curvanord", status=200, fetched_at="2026-11-26T10:00:00+00:00", outcome="ok",
                      warc_file="a.warc.gz", warc_offset=100 * i)
    body = f"Il Genoa ha battuto la Sampdoria {i} a 0 nel derby della Lanterna.\n\nSecondo paragrafo {i}."
    article = Article(url=url, site="curvanord", title=f"Derby {i}", text=body if text is None else text,
                      fetched_at="2026-11-26T10:00:00+00:00")
    return Fetch(page, article, [{"id": "genoa", "name": "Genoa", "kind": "club", "mentions": 1, "in_title": False}])


def counts(db) -> tuple[int, int, int, int, int]:
    return tuple(db.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("pages", "articles", "article_versions", "article_entities", "story_articles"))


def test_a_refused_page_rolls_back_alone_the_batch_commits(fresh_db):
    results = save_fetches(fresh_db, [fetch(1), fetch(2, text="   "), fetch(3)])
    assert results[0] == "new" and results[2] == "new"
    assert isinstance(results[1], ValueError)  # an article without text is never stored
    assert counts(fresh_db) == (2, 2, 2, 2, 2)
    # nothing of the refused page: no pages row, no article, no version, no entity, no story
    url = f"{SITE}/2026/01/02/articolo-2/"
    for table in ("pages", "articles", "article_versions", "article_entities", "story_articles"):
        assert fresh_db.execute(f"select count(*) from {table} where url = ?", [url]).fetchone()[0] == 0, table


def test_a_batch_that_cannot_commit_writes_nothing_and_keeps_what_was_committed(db_path, fresh_db):
    assert save_fetches(fresh_db, [fetch(1), fetch(2)]) == ["new", "new"]
    other = open_db(db_path, busy_timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the archive
    try:
        locked = open_db(db_path, busy_timeout=0.1)
        with pytest.raises(ArchiveLocked):
            save_fetches(locked, [fetch(3), fetch(4)])
    finally:
        other.execute("ROLLBACK")
    assert counts(fresh_db) == (2, 2, 2, 2, 2)  # the first batch whole, nothing of the second


def _pages_complete(db) -> None:
    """Every stored article is whole: its page, its first version, its story; every 'ok' page has its article."""
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from articles a where not exists "
                     "(select 1 from article_versions v where v.url = a.url)") == [(0,)]
    assert query(db, "select count(*) from articles a where not exists "
                     "(select 1 from story_articles s where s.url = a.url)") == [(0,)]
    assert query(db, "select count(*) from articles a where not exists "
                     "(select 1 from pages p where p.article_url = a.url)") == [(0,)]
    assert query(db, "select count(*) from pages p where outcome = 'ok' and not exists "
                     "(select 1 from articles a where a.url = p.article_url)") == [(0,)]


def test_close_spider_mid_batch_writes_everything_pending(tmp_path):
    """A batch that would wait for 1,000 pages or 10 minutes: the crawl stopped by CloseSpider
    (item count) still writes every page that reached the archive pipeline."""
    db = tmp_path / "a.db"
    with Newsroom(old=12, recent=0) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "campanile"\nurl = "{site.base_url}"\n')
        run = run_crawl(sites, db, ARCHIVE_WRITE_BATCH="1000", ARCHIVE_WRITE_INTERVAL="600",
                        CLOSESPIDER_ITEMCOUNT="4")
    assert run.stats.get("finish_reason") == "closespider_itemcount", run.log[-3000:]
    stored = query(db, "select count(*) from articles")[0][0]
    assert stored >= 4 and stored == run.stats.get("archive/new")
    assert run.stats.get("archive/transactions") == 1  # one transaction: the flush at close
    _pages_complete(db)
    assert query(db, "select finish_reason from crawls") == [("closespider_itemcount",)]


def test_ctrl_c_mid_batch_writes_everything_pending(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=30, recent=0, delay=0.3) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "campanile"\nurl = "{site.base_url}"\n')
        cmd = scrapy_executable() + ["crawl", "calcio", "-a", f"sites={sites}", "-s", f"ARCHIVE_DB={db}",
                                     "-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warc'}", "-s", "ARCHIVE_WRITE_BATCH=1000",
                                     "-s", "ARCHIVE_WRITE_INTERVAL=600"]
        for k, v in FAST.items():
            cmd += ["-s", f"{k}={v}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sum(site.story(p) is not None for p in site.paths()) < 4:
            time.sleep(0.1)
        # nothing is committed yet: the batch waits for 1,000 pages
        assert query(db, "select count(*) from articles") == [(0,)]
        proc.send_signal(signal.SIGINT)
        _, log = proc.communicate(timeout=120)
    assert proc.returncode == 2, log[-3000:]
    stats = parse_stats(log)
    stored = query(db, "select count(*) from articles")[0][0]
    assert 1 <= stored < 30 and stored == stats.get("archive/new")
    _pages_complete(db)
    assert query(db, "select finish_reason from crawls") == [("shutdown",)]


def test_small_batches_commit_as_the_crawl_goes(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=6, recent=0) as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "campanile"\nurl = "{site.base_url}"\n')
        run = run_crawl(sites, db, ARCHIVE_WRITE_BATCH="2")
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats.get("archive/new") == 6
    assert run.stats.get("archive/transactions", 0) >= 4  # pages written two by two, not at the end
    _pages_complete(db)
    con = sqlite3.connect(db)
    assert con.execute("select count(distinct url) from articles").fetchone() == (6,)


def test_the_archive_connection_has_its_page_cache_and_the_batch_is_searchable(fresh_db):
    """open_db's connection keeps CACHE_KIB of pages (the full-text index's merges read them
    again at every article); the articles of a batch are found by the full-text search."""
    from archive.db import CACHE_KIB

    assert fresh_db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    assert save_fetches(fresh_db, [fetch(i) for i in range(1, 31)]) == ["new"] * 30
    found = fresh_db.execute("select a.url from articles_fts f join articles a on a.rowid = f.rowid "
                             "where articles_fts match ?", ["Lanterna"]).fetchall()
    assert len(found) == 30
    assert fresh_db.execute("select count(*) from articles_fts where articles_fts match ?", ["paragrafo AND 17"]).fetchone()[0] == 1
