"""Crawling with several machines: real redis-server, real workers (`scrapy crawl calcio -s
ARCHIVE_FRONTIER=...`), the real `calcio-archive ingest`, the fixture sites on 127.0.0.1.

- two workers + one ingest write the same archive as one plain crawl;
- a worker SIGKILLed mid-crawl: its leased requests come back and are crawled by another;
- redis-server restarted mid-crawl (append-only file): the crawl goes on;
- the ingest SIGKILLed mid-way: the results wait in Redis and are written once on restart;
- politeness is global: no site sees more concurrent requests or a shorter delay than configured;
- a repeat distributed crawl refetches no unchanged article (held state read from Redis);
- each worker writes its own WARC files; gathered in one directory, reextract reads them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3

import pytest
from click.testing import CliRunner

from archive import distributed as wire
from archive.cli import cli
from tests.crawling import query, rows, run_crawl
from tests.distributed import ingest, joined, wait_for, worker
from tests.fixtures.server import FixtureSites
from tests.redisserver import RedisServer, require_redis_server

require_redis_server()

TIMES = {"fetched_at", "first_seen", "seen_at", "crawl_id", "warc_file", "warc_offset", "warc_length"}
PAGE_FIELDS = ("outcome", "status", "kind", "page_type", "content_type", "encoding", "reason", "article_url",
               "etag", "last_modified")


def without_times(table: dict) -> dict:
    return {k: {f: v for f, v in row.items() if f not in TIMES} for k, row in table.items()}


def versions(db) -> list[tuple]:
    return query(db, "select url, version, change, title, text, published, modified, author, content_hash "
                     "from article_versions order by url, version")


def article_hits(site, expected) -> list:
    paths = {e["url"].split("/", 3)[3] for e in expected}
    return [h for h in site.hits if h.path.lstrip("/") in paths]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """One plain crawl, then two workers + one ingest, on the same fixture sites."""
    tmp = tmp_path_factory.mktemp("distributed")
    with RedisServer(tmp) as redis_server, FixtureSites() as sites:
        toml = sites.write_sites_toml(tmp / "sites.toml")
        plain = run_crawl(toml, tmp / "plain.db")
        assert plain.returncode == 0, plain.log[-3000:]
        sites.reset()
        db = tmp / "distributed.db"
        workers = [worker(tmp, name, toml, redis_server.url) for name in ("a", "b")]
        for w in workers:
            joined(w)
        writer = ingest(tmp, db, redis_server.url)
        codes = [w.wait(120) for w in workers]
        assert writer.wait(60) == 0, writer.log[-3000:]
        for w in workers:
            w.stop()
        writer.stop()
        yield tmp, sites, redis_server, toml, workers, codes


def test_two_workers_write_the_same_archive_as_a_plain_crawl(both):
    tmp, sites, _, _, workers, codes = both
    plain, dist = tmp / "plain.db", tmp / "distributed.db"
    for w in workers:
        assert "Traceback" not in w.log, w.log[-3000:]
    assert all(w.stats.get("frontier/results_pushed", 0) > 0 for w in workers), "both workers took part"
    assert set(codes) <= {0}, [w.log[-2000:] for w in workers]
    expected = {e["url"] for e in sites.expected_articles()} | {lb["url"] for lb in sites.liveblogs()}
    assert set(rows(dist)) == expected
    assert without_times(rows(dist)) == without_times(rows(plain))  # every field
    assert versions(dist) == versions(plain)
    pages = lambda db: {u: tuple(r[f] for f in PAGE_FIELDS) for u, r in rows(db, "pages").items()}
    got, want = pages(dist), pages(plain)
    assert {u: got[u] for u in got.keys() & want.keys()} == {u: want[u] for u in got.keys() & want.keys()}
    # Every article page is in both. Pages found by following links at the link-depth limit
    # (tag and section pages, dead links answering 404) may differ: the spider counts a page's
    # hops on the path that found it first, and that order differs between one process and two
    # (as it may between two plain runs).
    differ = got.keys() ^ want.keys()
    assert {(got.get(u) or want.get(u))[2] for u in differ} <= {"discovery", "error"}, sorted(differ)
    assert all((got.get(u) or want.get(u))[7] is None for u in differ), sorted(differ)
    assert len(differ) <= len(want) // 10, sorted(differ)
    assert query(dist, "select site, paragraph_hash, pages from boilerplate order by 1, 2") == \
        query(plain, "select site, paragraph_hash, pages from boilerplate order by 1, 2")
    # the football entities travel with each result, and the stories group the same articles
    entities = "select url, entity, kind, mentions, in_title from article_entities order by 1, 2"
    assert query(dist, entities) == query(plain, entities) and query(plain, entities)
    def stories(db):
        groups: dict = {}
        for url, story in query(db, "select url, story_id from story_articles"):
            groups.setdefault(story, set()).add(url)
        return sorted(map(sorted, groups.values()))
    assert stories(dist) == stories(plain)
    # one crawls row per worker run, with its stats and what the ingest wrote
    runs = query(dist, "select status, finish_reason, articles_new, pages_fetched from crawls")
    assert [r[:2] for r in runs] == [("finished", "finished")] * 2
    assert sum(r[2] for r in runs) == len(expected)
    assert sum(r[3] for r in runs) == sum(w.stats["downloader/response_count"] for w in workers)


def test_each_worker_writes_its_own_warc_files_and_reextract_reads_them_gathered(both):
    tmp, *_ = both
    db = tmp / "distributed.db"
    host = re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname())
    gathered = tmp / "warc-gathered"
    gathered.mkdir()
    for name in ("a", "b"):
        files = sorted(p.name for p in (tmp / f"warc-{name}").glob("*.warc.gz"))
        assert files and all(re.fullmatch(rf"calcio-{re.escape(host)}-\d{{14}}-\d+-\d{{5}}\.warc\.gz", f) for f in files)
        for f in files:
            shutil.copy(tmp / f"warc-{name}" / f, gathered / f)  # rsync from each machine, in the README
    referenced = {f for (f,) in query(db, "select distinct warc_file from pages where warc_file is not null")}
    assert referenced and referenced <= {p.name for p in gathered.iterdir()}
    pids = {f.split("-")[-2] for f in referenced}
    assert len(pids) == 2  # both workers' files are referenced
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(gathered), "--workers", "1"])
    assert result.exit_code == 0, result.output
    n = query(db, "select count(*) from articles")[0][0]
    assert f"0 articles changed" in result.output and f"{n} unchanged" in result.output, result.output


def test_repeat_distributed_crawl_refetches_no_unchanged_article(both):
    tmp, sites, redis_server, toml, _, _ = both
    db = tmp / "distributed.db"
    client = redis_server.client()
    assert client.hlen(wire.HELD + "curvanord") > 0  # published by the ingest
    sites.reset()
    workers = [worker(tmp, f"again-{n}", toml, redis_server.url) for n in ("a", "b")]
    for w in workers:
        joined(w)
    writer = ingest(tmp, db, redis_server.url, name="ingest-again")
    for w in workers:
        assert w.wait(120) in (0, 3), w.log[-3000:]
    assert writer.wait(60) == 0, writer.log[-3000:]
    for site in sites:
        assert "/" in {h.path for h in site.hits}  # discovery pages were read again
        assert article_hits(site, site.expected_articles()) == [], f"{site.name}: unchanged articles fetched again"
    assert sum(w.stats.get("incremental/skipped", 0) for w in workers) >= len(sites.expected_articles())
    assert query(db, "select count(*) from article_versions")[0][0] == len(sites.expected_articles()) + len(sites.liveblogs())


def test_killed_worker_and_redis_restart_lose_nothing(tmp_path):
    """Worker a is SIGKILLed with requests leased; redis-server restarts; b and c finish."""
    with RedisServer(tmp_path) as redis_server, FixtureSites() as sites:
        for site in sites:
            site.latency = 0.05  # slow enough to kill a worker mid-crawl
        toml = sites.write_sites_toml(tmp_path / "sites.toml")
        client = redis_server.client()
        db = tmp_path / "a.db"
        procs = []
        try:
            a = worker(tmp_path, "a", toml, redis_server.url, CONCURRENT_REQUESTS_PER_DOMAIN="8")
            procs.append(a)
            wait_for(lambda: client.llen(wire.RESULTS) > 30)
            leased = sum(client.hlen(k) for k in client.keys("calcio:leases:*"))
            a.kill()
            assert leased > 0, "the worker held requests when it was killed"
            b = worker(tmp_path, "b", toml, redis_server.url, CONCURRENT_REQUESTS_PER_DOMAIN="8")
            procs.append(b)
            joined(b)
            writer = ingest(tmp_path, db, redis_server.url)
            procs.append(writer)
            wait_for(lambda: "put back in the queue" in b.log)
            redis_server.restart()  # SIGTERM (AOF flushed), start again on the same port and files
            c = worker(tmp_path, "c", toml, redis_server.url, CONCURRENT_REQUESTS_PER_DOMAIN="8")
            procs.append(c)
            assert b.wait(120) == 0, b.log[-3000:]
            assert c.wait(120) in (0, 3), c.log[-3000:]
            assert writer.wait(60) == 0, writer.log[-3000:]
        finally:
            for p in procs:
                p.stop()
        assert b.stats.get("frontier/requeued", 0) >= leased
        expected = {e["url"] for e in sites.expected_articles()} | {lb["url"] for lb in sites.liveblogs()}
        assert set(rows(db)) == expected
        assert query(db, "select count(*) from article_versions")[0][0] == len(expected)  # each once
        statuses = [s for (s,) in query(db, "select status from crawls order by id")]
        # a's run was killed; c's fetched nothing when b had already crawled everything (exit 3)
        assert statuses == ["aborted", "finished", "finished" if c.proc.returncode == 0 else "failed"]
        assert "Traceback" not in b.log + c.log, (b.log + c.log)[-3000:]


def test_killed_ingest_writes_waiting_results_once_on_restart(tmp_path):
    with RedisServer(tmp_path) as redis_server, FixtureSites(["curvanord", "gazzettino"]) as sites:
        toml = sites.write_sites_toml(tmp_path / "sites.toml")
        client = redis_server.client()
        a = worker(tmp_path, "a", toml, redis_server.url)
        assert a.wait(120) == 0, a.log[-3000:]
        waiting = client.llen(wire.RESULTS)
        assert waiting == a.stats["frontier/results_pushed"] + 2  # pages, start and finish wait in Redis
        db = tmp_path / "a.db"
        first = ingest(tmp_path, db, redis_server.url, name="ingest-1")
        wait_for(lambda: client.llen(wire.RESULTS) < waiting // 2, every=0.002)
        os.kill(first.pid, signal.SIGSTOP)  # frozen at once, wherever it is; then killed there
        first.kill()
        left = client.llen(wire.RESULTS) + client.llen(wire.RESULTS_TAKEN)
        assert left > 0
        second = ingest(tmp_path, db, redis_server.url, name="ingest-2")
        assert second.wait(60) == 0, second.log[-3000:]
        assert client.llen(wire.RESULTS) == client.llen(wire.RESULTS_TAKEN) == 0
        expected = {e["url"] for e in sites.expected_articles()} | {lb["url"] for lb in sites.liveblogs()}
        assert set(rows(db)) == expected
        assert query(db, "select count(*) from article_versions")[0][0] == len(expected)
        assert query(db, "select count(*) from pages")[0][0] == a.stats["frontier/results_pushed"]
        assert query(db, "select status, articles_new from crawls") == [("finished", len(expected))]


def test_politeness_is_global_across_workers(tmp_path):
    delay, concurrency = 0.15, 2
    with RedisServer(tmp_path) as redis_server, FixtureSites(["pallonevecchio"]) as sites:
        site = sites["pallonevecchio"]
        site.latency = 0.3  # longer than the delay: requests overlap, up to the concurrency limit
        toml = sites.write_sites_toml(tmp_path / "sites.toml")
        polite = {"DOWNLOAD_DELAY": str(delay), "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency)}
        workers = [worker(tmp_path, n, toml, redis_server.url, **polite) for n in ("a", "b")]
        for w in workers:
            joined(w)
        writer = ingest(tmp_path, tmp_path / "a.db", redis_server.url)
        try:
            for w in workers:
                assert w.wait(120) in (0, 3), w.log[-3000:]
            assert writer.wait(60) == 0
        finally:
            for p in (*workers, writer):
                p.stop()
        hits = sorted(site.hits, key=lambda h: h.time)
        assert len(hits) > 20
        assert all(w.stats.get("downloader/response_count", 0) > 0 for w in workers), "both workers fetched"
        assert max(h.concurrent for h in hits) == concurrency  # reached, never exceeded
        gaps = [b.time - a.time for a, b in zip(hits, hits[1:])]
        # arrival times jitter by the ms between Redis granting a place and the request arriving
        assert min(gaps) >= delay - 0.05, sorted(gaps)[:5]
