"""Extraction in worker processes, awaited from the crawl without blocking it.

trafilatura is not thread-safe and extraction is most of a crawl's CPU, so pages are
extracted in a pebble process pool (one worker per core by default) with a per-page
time budget (``ARCHIVE_EXTRACT_TIMEOUT``): a page that overruns has its worker killed
and is recorded as failed; the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessPool
from scrapy.exceptions import DropItem

from crawler.items import FetchedPage
from extract import extract_article

logger = logging.getLogger(__name__)


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
        profile = self.crawler.spider.sites[item.site].profile
        future = self.pool.schedule(extract_article, args=(item.html, item.url, profile), timeout=self.timeout)
        try:
            result = await asyncio.wrap_future(future)
        except FutureTimeout:
            self.stats.inc_value("extract/timeout")
            raise DropItem(f"extraction timed out after {self.timeout:g}s: {item.url}", log_level="WARNING")
        except Exception as exc:
            self.stats.inc_value("extract/failed")
            raise DropItem(f"extraction failed for {item.url}: {type(exc).__name__}: {exc}", log_level="ERROR")
        self.stats.inc_value(f"extract/status/{result.status}")
        for name in result.failed_fields:
            self.stats.inc_value(f"extract/field_failed/{name}")
        if result.jsonld_invalid:
            self.stats.inc_value("extract/jsonld_invalid", result.jsonld_invalid)
        if result.status != "ok":
            level = "DEBUG" if result.status == "not_article" else "WARNING"
            raise DropItem(f"{result.status} ({result.reason}): {item.url}", log_level=level)
        article = result.article
        article.fetched_at = item.fetched_at
        return article
