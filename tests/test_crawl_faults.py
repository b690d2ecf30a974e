"""The real crawl against a fault server: robots.txt rules, site scope, wrong charsets."""

import sqlite3

from tests.crawling import rows, run_crawl, write_sites
from tests.faults import FaultServer


def sites(tmp_path, server):
    return write_sites(tmp_path, server, "faults")


def test_robots_scope_encoding_and_extraction_budget(tmp_path):
    with FaultServer() as other, FaultServer(other_port=other.port) as site:
        run = run_crawl(sites(tmp_path, site), tmp_path / "a.db", ARCHIVE_EXTRACT_TIMEOUT="1")
        assert run.returncode == 0, run.log[-3000:]
        paths = site.paths()
        assert other.paths() == [], "a page outside the configured site was requested"
        assert not any(p.startswith("/riservato/") for p in paths), "robots.txt Disallow ignored"
        assert run.stats.get("robotstxt/forbidden", 0) >= 1
        assert run.stats.get("safety/blocked", 0) >= 1  # the redirect to the other server
        stored = rows(tmp_path / "a.db")
        assert set(stored) == {
            site.base_url + "2026/01/10/il-torino-batte-il-genoa-sotto-la-pioggia/",
            site.base_url + "enc/wrong-header/2026/01/12/coppa-italia-perche-tante-citta/",
            # linked only from the page whose extraction timed out (its worker killed): the crawl
            # process reads that page's links itself
            site.base_url + "2026/01/13/il-derby-raccontato-dalla-pagina-lenta/",
        }
        coppa = stored[site.base_url + "enc/wrong-header/2026/01/12/coppa-italia-perche-tante-citta/"]
        assert coppa["title"] == "Coppa Italia, perché tante città la vogliono"
        assert "Perché più città vogliono" in coppa["text"]
        assert "\ufffd" not in coppa["text"] and "Ã" not in coppa["text"]
        assert run.stats.get("encoding/header_overridden", 0) >= 1
        # the pathological page: over its time budget, recorded as failed, bytes kept for reextract
        con = sqlite3.connect(tmp_path / "a.db")
        slow = con.execute("select outcome, reason, warc_file from pages where url like '%pagina-patologica%'").fetchone()
        assert slow[0] == "timeout" and "more than 1s" in slow[1] and slow[2]
        assert run.stats.get("extract/timeout") == 1


def test_robots_503_disallows_everything_and_run_fails(tmp_path):
    with FaultServer(robots="503") as site:
        run = run_crawl(sites(tmp_path, site), tmp_path / "a.db")
        assert set(site.paths()) == {"/robots.txt"}, site.paths()
        assert run.returncode != 0  # nothing fetched: cron must be told
        assert run.stats.get("robotstxt/unavailable_disallow_all", 0) >= 1


def test_robots_404_allows_everything(tmp_path):
    with FaultServer(robots="404") as site:
        run = run_crawl(sites(tmp_path, site), tmp_path / "a.db")
        assert run.returncode == 0, run.log[-3000:]
        assert any(p.startswith("/riservato/") for p in site.paths())


def test_unusable_archive_stops_the_run_with_a_clear_error(tmp_path):
    db = tmp_path / "a.db"
    db.write_text("this is not a database\n" * 200)
    with FaultServer() as site:
        run = run_crawl(sites(tmp_path, site), db)
    assert run.returncode != 0
    assert "cannot open the archive" in run.log
    assert db.read_text().startswith("this is not a database")  # nothing overwritten


def test_archive_locked_longer_than_the_busy_timeout(tmp_path):
    import sqlite3

    from archive.db import open_db

    db = tmp_path / "a.db"
    open_db(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that never lets go
    try:
        with FaultServer() as site:
            run = run_crawl(sites(tmp_path, site), db, ARCHIVE_BUSY_TIMEOUT="0.5")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run.returncode == 2, run.log[-3000:]
    assert "archive_locked" in run.log
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    assert con.execute("select count(*) from articles").fetchone() == (0,)


def test_bad_input_is_logged_and_skipped_the_rest_is_archived(tmp_path):
    from tests.faults import BadInputServer

    db = tmp_path / "a.db"
    with BadInputServer() as site:
        run = run_crawl(sites(tmp_path, site), db)
        paths = site.paths()
    assert run.returncode == 0, run.log[-4000:]
    stored = rows(db)
    # the good article (found through the hostile sitemap and the home page) and the broken-HTML one
    assert set(stored) == {site.base_url.rstrip("/") + site.GOOD, site.base_url.rstrip("/") + site.BROKEN}
    broken = stored[site.base_url.rstrip("/") + site.BROKEN]
    assert "\x00" not in broken["text"] and "Il Torino ha battuto il Genoa" in broken["text"]
    # the XXE entity was never resolved, and nothing of /etc/passwd reached the archive or the log
    assert "root:" not in run.log
    con = sqlite3.connect(db)
    assert not con.execute("select count(*) from pages where reason like '%root:%' or url like 'file:%'").fetchone()[0]
    # the offsite sitemap entry was never requested (it is not on this server at all)
    assert not any("other.example.com" in p for p in paths)
    # the 12 MB page: cancelled at DOWNLOAD_MAXSIZE with a warning, nothing stored
    assert "pagina-enorme" not in " ".join(stored)
    assert "exceeds DOWNLOAD_MAXSIZE" in run.log or "larger than download max size" in run.log.lower()
    # the gzip bomb sitemap: refused once decompressed past the limit, with a log line
    assert "sitemap-bomba.xml.gz" in run.log and run.stats.get("discovery/sitemap_invalid", 0) >= 1
    # the server error: retried, then recorded as a failed page with its status
    assert paths.count(site.ERROR) == 3  # 1 + RETRY_TIMES
    error = con.execute("select status, outcome from pages where url like ?", ["%errore-del-server%"]).fetchone()
    assert error == (500, "error")
    # the empty page: no article, no crash
    assert con.execute("select outcome from pages where url like ?", ["%pagina-vuota%"]).fetchone()[0] in ("empty", "not_article")


def test_retry_after_honoured_up_to_a_cap(tmp_path):
    import time

    from tests.faults import RetryAfterServer

    db = tmp_path / "a.db"
    started = time.monotonic()
    with RetryAfterServer() as site:
        run = run_crawl(sites(tmp_path, site), db)
        hits = list(site.hits)
    assert run.returncode == 0, run.log[-3000:]
    assert time.monotonic() - started < 60  # a day-long Retry-After is never slept on
    once = [h for h in hits if h.path == site.ONCE]
    assert [h.status for h in once] == [503, 200]
    assert once[1].time - once[0].time >= 1.0  # retried no earlier than asked
    assert run.stats.get("retry_after/honoured") == 1
    assert set(rows(db)) == {site.base_url.rstrip("/") + site.ONCE}
    # a day, as seconds or as an HTTP-date: not waited for, left for the next run
    assert [h.path for h in hits].count(site.TOMORROW) == 1
    assert [h.path for h in hits].count(site.HTTP_DATE) == 1
    assert run.stats.get("retry_after/deferred") == 2
    # a malformed value counts as absent: Scrapy's usual retries
    assert [h.path for h in hits].count(site.MALFORMED) == 3
    con = sqlite3.connect(db)
    deferred = con.execute("select status, outcome from pages where url like '%sovraccarico%' order by url").fetchall()
    assert deferred == [(503, "error"), (429, "error")]


def test_retry_after_values():
    from crawler.middlewares import retry_after_seconds

    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 + 60) == 0
    for bad in (None, b"", b"domani", b"-5", b"1.5e9x", "Wed, 99 Foo 2015"):
        assert retry_after_seconds(bad) is None


def test_compression_bombs_redirect_loops_and_slow_servers_end_cleanly(tmp_path):
    from tests.faults import HostileTransferServer

    db = tmp_path / "a.db"
    with HostileTransferServer() as site:
        run = run_crawl(sites(tmp_path, site), db, DOWNLOAD_TIMEOUT="2", RETRY_TIMES="1",
                        MEMUSAGE_CHECK_INTERVAL_SECONDS="0.1")
        paths = site.paths()
    assert run.returncode == 0, run.log[-3000:]
    assert rows(db) == {}  # nothing stored from any of them
    # every bomb was cut at DOWNLOAD_MAXSIZE while decompressing, with a warning
    for encoding in sorted(site.BOMBS):
        assert f"Ignored response <200 {site.base_url}2026/04/03/bomba-compressa-{encoding}-" in run.log, encoding
    # memory sampled every 0.1 s: the crawl grew by far less than the bombs' 3 x 60 MB (without the
    # size limit the same crawl grows by about 670 MB)
    growth = run.stats.get("memusage/max", 0) - run.stats.get("memusage/startup", 0)
    assert run.stats.get("memusage/startup") and growth < 400 * 1024 * 1024, growth
    # the redirect loop ended (dupefilter or the redirect cap), it was not followed forever
    assert paths.count(site.LOOP) <= 6
    # the silent server: timed out, retried once, given up
    assert site.drip_requests == 2
    assert any("TimeoutError" in key for key in run.stats)
