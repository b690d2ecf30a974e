"""Extraction in worker processes, awaited from the crawl without blocking it.

trafilatura is not thread-safe and extraction is most of a crawl's CPU, so pages are
extracted in a pebble process pool (one worker per core by default) with a per-page
time budget (``ARCHIVE_EXTRACT_TIMEOUT``): a page that overruns has its worker killed
and is recorded as failed (reason "timeout"); its bytes stay in the WARC for
``calcio-archive reextract``; the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessPool

from archive.stories import sketch
from crawler.items import ExtractedPage, FetchedPage
from extract import extract_article
from extract.classify_page import classify_page
from extract.dates import parse_date

logger = logging.getLogger(__name__)


def extract_in_worker(discovery: bool, html: str, url: str, profile, learned):
    """What a worker does with one page: the extraction (or, for a page read for its links,
    the typing) and the article's story sketch, so the crawl process only stores the result."""
    if discovery:
        return classify_page(html, url, profile, learned), None
    result = extract_article(html, url, profile, learned)
    article = result.article
    return result, (sketch(article) if article is not None and article.text else None)


class ExtractPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.workers = settings.getint("ARCHIVE_EXTRACT_WORKERS", 0) or os.cpu_count() or 1
        self.timeout = settings.getfloat("ARCHIVE_EXTRACT_TIMEOUT", 30)
        self.pool: ProcessPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        # "spawn": workers must not inherit the reactor, sockets or the SQLite handle.
        self.pool = ProcessPool(max_workers=self.workers, context=multiprocessing.get_context("spawn"))

    def close_spider(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join(timeout=30)

    async def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        discovery = item.kind == "discovery" and bool(item.html)  # an HTML page read for its links: typed too
        if item.kind != "article" and not discovery:
            return ExtractedPage(item, item.kind, item.reason)
        state = self.crawler.spider.sites[item.site]
        future = self.pool.schedule(extract_in_worker, args=(discovery, item.html, item.url, state.profile, state.learned),
                                    timeout=self.timeout)
        item.html = ""  # the bytes are in the WARC: the text goes no further than the worker
        try:
            result, story_sketch = await asyncio.wrap_future(future)
        except FutureTimeout:
            self.stats.inc_value("extract/timeout")
            logger.warning("Extraction timed out after %gs: %s", self.timeout, item.url)
            return ExtractedPage(item, "timeout", f"extraction took more than {self.timeout:g}s")
        except Exception as exc:  # the worker died (memory, segfault) or extraction raised
            self.stats.inc_value("extract/failed")
            logger.error("Extraction failed for %s: %s: %s", item.url, type(exc).__name__, exc)
            return ExtractedPage(item, "failed", f"{type(exc).__name__}: {exc}"[:500])
        if discovery and result.article is None:
            self.stats.inc_value(f"extract/discovery_type/{result.page_type}")
            return ExtractedPage(item, "discovery", result.reason, page_type=result.page_type)
        self.stats.inc_value(f"extract/status/{result.status}")
        for name in result.failed_fields:
            self.stats.inc_value(f"extract/field_failed/{name}")
        for name in result.capped:
            self.stats.inc_value(f"extract/field_capped/{name}")
        if result.jsonld_invalid:
            self.stats.inc_value("extract/jsonld_invalid", result.jsonld_invalid)
        if result.article is not None:
            result.article.fetched_at = item.fetched_at
            if result.article.published is None and item.source == "sitemap" and item.listed_date:
                # the page gives no date at all: the sitemap's is better than none, and says so
                result.article.published = parse_date(item.listed_date, state.profile.timezone)
                result.article.published_source = "sitemap" if result.article.published else None
        return ExtractedPage(item, result.status, result.reason, result.article, result.page_type, result.entities,
                             sketch=story_sketch)
