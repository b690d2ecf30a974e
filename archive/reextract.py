"""Rebuild articles from the WARC files with the current extractor, offline."""

from __future__ import annotations

import logging
import multiprocessing
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
from .store import now_utc, save_article, set_page_type
from .warc import WarcLocation, iter_pages, read_page

logger = logging.getLogger(__name__)


@dataclass
class Job:
    url: str
    site: str
    body: bytes
    content_type: str | None
    fetched_at: str | None


def _pages_from_table(db: sqlite_utils.Database, warc_dir: Path, site: str | None, since: str | None,
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
        try:
            page = read_page(warc_dir, WarcLocation(warc_file, offset, 0))
        except (OSError, ValueError, EOFError) as exc:
            logger.warning("%s: WARC record %s@%s unreadable, skipped (%s)", url, warc_file, offset, exc)
            continue
        if page is None:
            logger.warning("%s: no response record at %s@%s, skipped", url, warc_file, offset)
            continue
        if page.status != 200:
            continue
        yield Job(url, page_site, page.body, content_type or page.headers.get("content-type"), fetched_at)


def _pages_from_warc(warc_dir: Path, sites: list[SiteProfile], site: str | None) -> Iterator[Job]:
    """When the pages table is gone too: every HTML response in the WARC files."""
    from extract.urls import same_site

    latest: dict[str, WarcLocation] = {}  # locations only: bodies are read again one at a time
    for page in iter_pages(warc_dir):
        if page.status == 200 and "html" in page.headers.get("content-type", "html"):
            latest[page.url] = page.location
    for url, location in latest.items():
        profile = next((s for s in sites if same_site(url, s.url)), None)
        if profile is None or (site and profile.name != site):
            continue
        page = read_page(warc_dir, location)
        if page is not None:
            yield Job(url, profile.name, page.body, page.headers.get("content-type"), page.fetched_at)


def _extract(job: Job, profile: SiteProfile, learned: frozenset[str]):
    # the crawl's rules first: bytes that are not a page, or a page cut short, are no article
    for status, check in (("non_html", lambda: binary_body(job.body, job.content_type)),
                          ("partial", lambda: truncated(job.body)), ("empty", lambda: not job.body and "0 bytes")):
        if reason := check():
            return ExtractResult(status, reason=reason)
    html, _ = decode_body(job.body, charset_from_content_type(job.content_type))
    return extract_article(html, job.url, profile, learned)


def _low_confidence_urls(db: sqlite_utils.Database, threshold: float) -> set[str]:
    if not db["articles"].exists():
        return set()
    sql = "SELECT url FROM articles WHERE extraction_confidence < ?"
    return {url for (url,) in db.execute(sql, [threshold]).fetchall()}


def reextract(db: sqlite_utils.Database, warc_dir: str | Path, sites: list[SiteProfile], site: str | None = None,
              since: str | None = None, workers: int = 1, low_confidence: float | None = None) -> Counter:
    """Re-run extraction over archived pages; returns counts of new/updated/unchanged/… .

    ``low_confidence``: only the articles whose ``extraction_confidence`` is below it (articles
    never scored are left to a plain run)."""
    warc_dir = Path(warc_dir)
    profiles = {s.name: s for s in sites}
    has_pages = db["pages"].exists() and db.execute("SELECT count(*) FROM pages WHERE warc_file IS NOT NULL").fetchone()[0]
    if has_pages:
        jobs = _pages_from_table(db, warc_dir, site, since, low_confidence)
    else:
        jobs = _pages_from_warc(warc_dir, sites, site)
        if low_confidence is not None:
            wanted = _low_confidence_urls(db, low_confidence)
            jobs = (job for job in jobs if job.url in wanted)
    counts: Counter = Counter()
    stamp = now_utc()

    def profile_for(job: Job) -> SiteProfile:
        return profiles.get(job.site) or SiteProfile(name=job.site, url=urljoin(job.url, "/"))

    def store(job: Job, future) -> None:
        counts["pages"] += 1
        try:
            result = future.result()
        except Exception as exc:
            logger.warning("%s: extraction failed (%s)", job.url, exc)
            counts["failed"] += 1
            return
        set_page_type(db, job.url, result.page_type)
        if result.article is None or result.status == "blocked":  # a wall is never an article
            counts[result.status] += 1
            return
        result.article.fetched_at = job.fetched_at or stamp
        counts[save_article(db, result.article, change="reextract", entities=result.entities)] += 1

    ctx = multiprocessing.get_context("spawn")
    workers = max(1, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        learned: dict[str, frozenset[str]] = {}
        in_flight: deque = deque()  # bounded: an archive of any size streams through memory
        for job in jobs:
            if job.site not in learned:
                learned[job.site] = learned_for(db, job.site)
            in_flight.append((job, pool.submit(_extract, job, profile_for(job), learned[job.site])))
            if len(in_flight) >= workers * 4:
                store(*in_flight.popleft())
        while in_flight:
            store(*in_flight.popleft())
    return counts
