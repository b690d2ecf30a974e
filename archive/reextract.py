"""Rebuild articles from the WARC files with the current extractor, offline."""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import sqlite_utils

from extract import extract_article
from extract.encoding import charset_from_content_type, decode_body
from extract.integrity import binary_body, truncated
from extract.page import ExtractResult
from extract.site import SiteProfile

from .boilerplate import learned_for
from .db import write_transaction
from .store import _upsert_article, now_utc
from .warc import WarcLocation, WarcPage, iter_pages, read_page

logger = logging.getLogger(__name__)
# pages written per transaction: one commit (and its fsync) per batch, not per page
BATCH = 100


@dataclass
class Job:
    """One archived page to rebuild: where its bytes are (read by the worker, so bodies never
    travel between processes) and what the ``pages`` table says of it."""

    url: str
    site: str
    location: WarcLocation
    content_type: str | None
    fetched_at: str | None


def _pages_from_table(db: sqlite_utils.Database, site: str | None, since: str | None,
                      low_confidence: float | None = None) -> Iterator[Job]:
    # pages that hold an article (a later 304 or 404 keeps the location of the last full copy)
    where, params = ["kind = 'article'", "warc_file IS NOT NULL", "(status = 200 OR article_url IS NOT NULL)"], []
    if low_confidence is not None:
        where.append("article_url IN (SELECT url FROM articles WHERE extraction_confidence < ?)")
        params.append(low_confidence)
    if site:
        where.append("site = ?")
        params.append(site)
    if since:
        where.append("fetched_at >= ?")
        params.append(since)
    sql = f"SELECT url, site, warc_file, warc_offset, content_type, fetched_at FROM pages WHERE {' AND '.join(where)} ORDER BY fetched_at"
    for url, page_site, warc_file, offset, content_type, fetched_at in db.execute(sql, params).fetchall():
        yield Job(url, page_site, WarcLocation(warc_file, offset, 0), content_type, fetched_at)


def _pages_from_warc(warc_dir: Path, sites: list[SiteProfile], site: str | None) -> Iterator[Job]:
    """When the pages table is gone too: every HTML response in the WARC files."""
    from extract.urls import same_site

    latest: dict[str, WarcPage] = {}  # the latest response of each URL, without its body
    for page in iter_pages(warc_dir):
        if page.status == 200 and "html" in page.headers.get("content-type", "html"):
            page.body = b""
            latest[page.url] = page
    for url, page in latest.items():
        profile = next((s for s in sites if same_site(url, s.url)), None)
        if profile is None or (site and profile.name != site):
            continue
        yield Job(url, profile.name, page.location, page.headers.get("content-type"), page.fetched_at)


def _work(warc_dir: Path, job: Job, profile: SiteProfile, learned: frozenset[str]) -> tuple[str | None, ExtractResult | None]:
    """In a worker process: read the page's WARC record and extract it. Returns (why it was
    skipped, None) for a record that cannot be read, or (None, the extraction result)."""
    try:
        page = read_page(warc_dir, job.location)
    except (OSError, ValueError, EOFError) as exc:
        return f"WARC record {job.location.file}@{job.location.offset} unreadable, skipped ({exc})", None
    if page is None:
        return f"no response record at {job.location.file}@{job.location.offset}, skipped", None
    if page.status != 200:
        return "", None  # a later non-200 copy: nothing to rebuild from (silently, as before)
    return None, _extract(page.body, job.content_type or page.headers.get("content-type"), job.url, profile, learned)


def _extract(body: bytes, content_type: str | None, url: str, profile: SiteProfile, learned: frozenset[str]) -> ExtractResult:
    # the crawl's rules first: bytes that are not a page, or a page cut short, are no article
    for status, check in (("non_html", lambda: binary_body(body, content_type)),
                          ("partial", lambda: truncated(body)), ("empty", lambda: not body and "0 bytes")):
        if reason := check():
            return ExtractResult(status, reason=reason)
    html, _ = decode_body(body, charset_from_content_type(content_type))
    return extract_article(html, url, profile, learned)


def _low_confidence_urls(db: sqlite_utils.Database, threshold: float) -> set[str]:
    if not db["articles"].exists():
        return set()
    sql = "SELECT url FROM articles WHERE extraction_confidence < ?"
    return {url for (url,) in db.execute(sql, [threshold]).fetchall()}


def pool_context() -> multiprocessing.context.BaseContext:
    """Where the workers come from. A spawned worker imports the extractor itself (~1.2 s of
    CPU each, measured: 2 workers 2.1-2.3 s of CPU and 3 s before the first page); forked
    from a fork server that imported it once (before any thread or database connection of
    this process exists there), a worker starts in milliseconds. Spawn where there is no
    fork server (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def worker_start(parent: int) -> None:
    """Pool initializer: each worker becomes its own session (``os.setsid``), and ends when
    the ``parent`` process does.

    Linux's scheduler with autogroup (``/proc/sys/kernel/sched_autogroup_enabled``, on by
    default in most distributions) shares the CPU fairly between sessions, not processes: the
    workers left in the caller's session would together get one session's share, about what a
    single process gets, so a second worker adds nothing once another session keeps the cores
    busy (measured: ``--workers 2`` 0.92 x the plain loop in the caller's session, 1.58 x in
    their own, the same CPU per page). Out of the terminal's process group a worker no longer
    gets its Ctrl-C or hangup: ``reextract`` stops the pool itself, and a worker watches its
    ``parent`` (a pidfd) and exits when it is gone, however it ended (a killed parent left its
    workers, and through them the fork server, waiting for ever before)."""
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:  # already a session or group leader
            pass
    if hasattr(os, "pidfd_open"):
        try:
            fd = os.pidfd_open(parent)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # no pidfd (an old kernel): leave it to the pool
            return
        threading.Thread(target=_exit_with, args=(fd,), name="parent-watch", daemon=True).start()


def _exit_with(pidfd: int) -> None:
    select.select([pidfd], [], [])  # readable once that process has ended
    os._exit(1)


def reextract(db: sqlite_utils.Database, warc_dir: str | Path, sites: list[SiteProfile], site: str | None = None,
              since: str | None = None, workers: int = 1, low_confidence: float | None = None,
              batch: int = BATCH) -> Counter:
    """Re-run extraction over archived pages; returns counts of new/updated/unchanged/… .

    Extraction (reading the WARC record included) runs in ``workers`` processes; this process
    writes the results in the pages' order, ``batch`` pages per write transaction (each page
    all or nothing: a batch is committed whole or not at all), so the result does not depend
    on the number of workers.

    ``low_confidence``: only the articles whose ``extraction_confidence`` is below it (articles
    never scored are left to a plain run)."""
    warc_dir = Path(warc_dir)
    profiles = {s.name: s for s in sites}
    has_pages = db["pages"].exists() and db.execute("SELECT count(*) FROM pages WHERE warc_file IS NOT NULL").fetchone()[0]
    if has_pages:
        jobs = _pages_from_table(db, site, since, low_confidence)
    else:
        jobs = _pages_from_warc(warc_dir, sites, site)
        if low_confidence is not None:
            wanted = _low_confidence_urls(db, low_confidence)
            jobs = (job for job in jobs if job.url in wanted)
    counts: Counter = Counter()
    stamp = now_utc()

    def profile_for(job: Job) -> SiteProfile:
        return profiles.get(job.site) or SiteProfile(name=job.site, url=urljoin(job.url, "/"))

    def store(job: Job, outcome) -> None:
        """Inside the batch's write transaction."""
        try:
            skipped, result = outcome.result()
        except Exception as exc:
            counts["pages"] += 1
            logger.warning("%s: extraction failed (%s)", job.url, exc)
            counts["failed"] += 1
            return
        if skipped is not None:
            if skipped:
                logger.warning("%s: %s", job.url, skipped)
            return
        counts["pages"] += 1
        if result.page_type is not None:
            db.execute("UPDATE pages SET page_type = ? WHERE url = ? AND page_type IS NOT ?",
                       [result.page_type, job.url, result.page_type])
        if result.article is None or result.status == "blocked":  # a wall is never an article
            counts[result.status] += 1
            return
        result.article.fetched_at = job.fetched_at or stamp
        counts[_upsert_article(db, result.article, "reextract", result.entities)] += 1

    def write(done: list) -> None:
        with write_transaction(db):
            for job, outcome in done:
                store(job, outcome)
        done.clear()

    workers = max(1, workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(), initializer=worker_start,
                               initargs=(os.getpid(),))
    try:
        learned: dict[str, frozenset[str]] = {}
        in_flight: deque = deque()  # bounded: an archive of any size streams through memory
        done: list = []
        for job in jobs:
            if job.site not in learned:
                learned[job.site] = learned_for(db, job.site)
            in_flight.append((job, pool.submit(_work, warc_dir, job, profile_for(job), learned[job.site])))
            # results are written in submission order; the workers keep extracting meanwhile
            while in_flight and (len(in_flight) >= workers * 8 or in_flight[0][1].done()):
                job_done, future = in_flight.popleft()
                future.exception()  # waits for it
                done.append((job_done, future))
                if len(done) >= batch:
                    write(done)
        while in_flight:
            job_done, future = in_flight.popleft()
            future.exception()
            done.append((job_done, future))
            if len(done) >= batch:
                write(done)
        if done:
            write(done)
    except BaseException:
        # Ctrl-C (which the workers, in their own sessions, do not get) or a failed write:
        # drop the queued pages, let the running ones end
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return counts
