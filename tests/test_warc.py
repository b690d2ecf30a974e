"""Raw pages as WARC: standard files, articles rebuilt offline, faults survived."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.warc import WarcArchive, WarcFull, iter_pages
from tests.crawling import rows, run_crawl, write_sites
from tests.newsroom import Newsroom

WARCIO = Path(sys.executable).with_name("warcio")


def sites_file(tmp_path, server):
    return write_sites(tmp_path, server, "campanile")


def execute(db, *sql):
    con = sqlite3.connect(db)
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


@pytest.fixture
def crawled(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=5, recent=1) as site:
        sites = sites_file(tmp_path, site)
        run = run_crawl(sites, db)
        assert run.returncode == 0, run.log[-3000:]
    # the server is gone from here on: everything below is offline
    return db, tmp_path / "warc", sites


def reextract(db, warc, sites, *extra):
    return CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(warc), "--sites", str(sites),
                                    "--workers", "2", *extra])


def test_every_fetch_is_in_a_standard_warc_with_its_location(crawled):
    db, warc, _ = crawled
    files = sorted(warc.glob("*.warc.gz"))
    assert files
    check = subprocess.run([str(WARCIO), "check", *map(str, files)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    pages = rows(db, "pages")
    assert any(u.endswith("/robots.txt") for u in pages) and any(u.endswith("/sitemap.xml") for u in pages)
    in_warc = {p.url: p for p in iter_pages(warc)}
    for url, page in pages.items():
        assert page["warc_file"] and page["warc_offset"] is not None, url
        assert url in in_warc and in_warc[url].status == page["status"]
    types = subprocess.run([str(WARCIO), "index", "-f", "warc-type", str(files[0])], capture_output=True, text=True).stdout
    assert '"request"' in types and '"response"' in types


def test_reextract_rebuilds_the_same_articles_offline(crawled):
    db, warc, sites = crawled
    before = rows(db)
    assert len(before) == 6
    execute(db, "delete from article_versions", "delete from articles")
    result = reextract(db, warc, sites)
    assert result.exit_code == 0, result.output
    assert "6 articles changed (6 new" in result.output
    assert rows(db) == before  # field for field


def test_reextract_records_changes_as_reextract(crawled):
    db, warc, sites = crawled
    url = next(iter(rows(db)))
    execute(db, f"update articles set text = 'testo di un estrattore vecchio', content_hash = 'old' where url = '{url}'")
    result = reextract(db, warc, sites, "--since", "2000-01-01")
    assert result.exit_code == 0, result.output
    assert "1 articles changed (0 new, 1 updated), 5 unchanged" in result.output
    con = sqlite3.connect(db)
    assert con.execute("select change from article_versions where url = ? order by version desc limit 1", [url]).fetchone() == ("reextract",)


def test_truncated_warc_is_skipped_not_fatal(crawled, caplog):
    db, warc, sites = crawled
    execute(db, "delete from article_versions", "delete from articles")
    last = max(rows(db, "pages").values(), key=lambda p: p["warc_offset"] if p["kind"] == "article" else -1)
    path = warc / last["warc_file"]
    with open(path, "r+b") as f:  # a crash cut the last article's record in half
        f.truncate(last["warc_offset"] + last["warc_length"] // 2)
    result = reextract(db, warc, sites)
    assert result.exit_code == 0, result.output
    assert "5 articles changed (5 new" in result.output
    assert last["url"] not in rows(db)
    assert any("skipped" in r.message for r in caplog.records)


def test_reextract_without_pages_table_scans_the_warc(crawled):
    db, warc, sites = crawled
    before = rows(db)
    execute(db, "delete from article_versions", "delete from articles", "delete from pages")
    result = reextract(db, warc, sites)
    assert result.exit_code == 0, result.output
    assert set(rows(db)) == set(before)


def test_reextract_with_two_workers_gives_what_one_worker_gives(crawled):
    """Extraction in two processes, written in batches of two pages: the same articles,
    versions, entities, stories and page types as one worker writing one page at a time."""
    import shutil

    from archive.db import open_db
    from archive.reextract import reextract as run
    from extract.site import load_sites

    db, warc, sites = crawled
    execute(db, "delete from story_bands", "delete from story_articles", "delete from stories",
            "delete from article_entities", "delete from article_versions", "delete from articles",
            "update pages set page_type = null")
    two = db.with_name("two.db")
    shutil.copy(db, two)
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(warc), "--sites", str(sites),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    handle = open_db(two)
    counts = run(handle, warc, load_sites(sites), workers=2, batch=2)
    handle.close()
    assert f"{counts['pages']} pages re-extracted: 6 articles changed (6 new" in result.output
    for table in ("articles", "article_versions", "article_entities", "story_articles", "pages"):
        one_rows, two_rows = rows(db, table), rows(two, table)
        assert one_rows and one_rows == two_rows, table
    story = "select s.title, s.first_url, s.articles, s.sites from stories s order by s.id"
    assert sqlite3.connect(db).execute(story).fetchall() == sqlite3.connect(two).execute(story).fetchall()
    assert {p["page_type"] for p in rows(two, "pages").values() if p["kind"] == "article"} >= {"article"}


def test_full_disk_is_a_clear_error(tmp_path, monkeypatch):
    archive = WarcArchive(tmp_path)

    class FullDisk:  # the open file, once the disk is full
        def __init__(self, f):
            self.f = f

        def tell(self):
            return self.f.tell()

        def write(self, data):
            raise OSError(28, "No space left on device")

    archive.write("http://x.it/a/", 200, "OK", [], b"<p>uno</p>", [])
    monkeypatch.setattr(archive, "_file", FullDisk(archive._file))
    with pytest.raises(WarcFull, match="no space left"):
        archive.write("http://x.it/b/", 200, "OK", [], b"<p>due</p>", [])


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tiny tmpfs needs root (CI runs as root)")
def test_crawl_stops_cleanly_when_the_warc_disk_fills(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        db = tmp_path / "a.db"
        with Newsroom(old=30, recent=0) as site:
            run = run_crawl(sites_file(tmp_path, site), db, ARCHIVE_WARC_DIR=str(mount))
        assert run.returncode == 2, run.log[-3000:]
        assert "no space left for WARC files" in run.log
        assert run.stats.get("finish_reason") == "warc_disk_full"
        con = sqlite3.connect(db)
        assert con.execute("pragma integrity_check").fetchone() == ("ok",)
        stored = con.execute("select count(*) from articles").fetchone()[0]
        assert stored < 30
        # every stored article's page points at a WARC record that is really there
        located = {p.url for p in iter_pages(mount)}
        for (url,) in con.execute("select url from pages where outcome = 'ok'"):
            assert url in located
        assert con.execute("select status, finish_reason from crawls").fetchall() == [("failed", "warc_disk_full")]
    finally:
        subprocess.run(["umount", str(mount)])


def test_files_rotate_by_size_and_are_named_by_date(tmp_path):
    import re

    archive = WarcArchive(tmp_path, max_bytes=2_000)
    body = ("<p>" + "Il derby è finito in parità. " * 60 + "</p>").encode()
    locations = [archive.write(f"http://x.it/{i}/", 200, "OK", [("Content-Type", "text/html")], body, [])
                 for i in range(4)]
    archive.close()
    files = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2
    assert all(re.fullmatch(r"calcio-\d{14}-\d+-\d{5}\.warc\.gz", f) for f in files)
    assert {loc.file for loc in locations} == set(files)
    assert [p.url for p in iter_pages(tmp_path)] == [f"http://x.it/{i}/" for i in range(4)]
    check = subprocess.run([str(WARCIO), "check", *map(str, sorted(tmp_path.glob("*.warc.gz")))],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def _worker_facts():
    import sys

    return os.getppid(), "extract.page" in sys.modules


def test_reextract_workers_are_forked_from_a_server_that_imported_the_extractor():
    """Not spawned (each importing the extractor anew, ~1.2 s of CPU per worker): forked from
    the fork server, which imported it once, so a worker has it before its first page."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from archive.reextract import pool_context

    ctx = pool_context()
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    assert ctx.get_start_method() == "forkserver"
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        parent, imported = pool.submit(_worker_facts).result()
    assert parent != os.getpid()  # the fork server's child, not ours
    assert imported  # the extractor came with the fork, before this first call


def _session():
    return os.getpid(), os.getsid(0)


@pytest.mark.skipif(not hasattr(os, "setsid"), reason="no sessions on this platform")
def test_reextract_workers_each_run_in_their_own_session():
    """With the scheduler's autogroup, CPU is shared between sessions: workers left in the
    caller's session would share one session's part of the cores."""
    from concurrent.futures import ProcessPoolExecutor

    from archive.reextract import pool_context, worker_start

    with ProcessPoolExecutor(max_workers=2, mp_context=pool_context(), initializer=worker_start,
                             initargs=(os.getpid(),)) as pool:
        seen = {pool.submit(_session).result() for _ in range(8)}
    for pid, sid in seen:
        assert sid == pid  # a session leader: its own session
        assert sid != os.getsid(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_reextract_workers_end_when_the_process_that_started_them_is_killed(tmp_path):
    """Out of the terminal's process group, a worker would not get the hangup or Ctrl-C that
    ends its parent: it ends with the fork server, which ends with the parent."""
    import time

    script = tmp_path / "orphan.py"
    script.write_text(
        "import os, sys\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from archive.reextract import pool_context, worker_start\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(max_workers=1, mp_context=pool_context(), initializer=worker_start,\n"
        "                               initargs=(os.getpid(),))\n"
        "    print(pool.submit(os.getpid).result(), flush=True)\n"
        "    os._exit(0)  # as if killed: no shutdown of the pool\n")
    out = tmp_path / "out"
    with open(out, "w") as f:  # not a pipe: the worker would hold it open
        subprocess.run([sys.executable, str(script)], stdout=f, stderr=subprocess.STDOUT,
                       cwd=Path(__file__).resolve().parent.parent, timeout=120, check=True)
    worker = int(out.read_text().split()[0])

    def alive(pid):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"

    for _ in range(300):  # waits for it to go, up to 30 s
        if not alive(worker):
            break
        time.sleep(0.1)
    else:
        os.kill(worker, 9)
        pytest.fail(f"worker {worker} outlived the process that started it")
