"""The archive pipeline: saves each Article in its own write transaction."""

from __future__ import annotations

import logging

from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import deferred_from_coro

from archive.db import ArchiveError, ArchiveFull, ArchiveLocked, open_db
from archive.store import save_article
from extract.article import Article

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = crawler.settings.get("ARCHIVE_DB")
        self.busy_timeout = crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 10)
        self.db = None
        self.saved_keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        try:
            self.db = open_db(self.path, busy_timeout=self.busy_timeout)
        except ArchiveError as exc:
            logger.error("%s", exc)
            raise CloseSpider("archive_unusable") from exc
        logger.info("Archive: %s", self.path)

    def close_spider(self):
        if self.db is not None:
            self.db.close()

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.url in self.saved_keys:
            self.stats.inc_value("archive/duplicate_in_run")
            raise DropItem(f"already stored in this run: {item.url}", log_level="DEBUG")
        try:
            outcome = save_article(self.db, item)
        except ArchiveLocked as exc:
            self._fail("archive_locked", exc)
        except ArchiveFull as exc:
            self._fail("archive_disk_full", exc)
        except ArchiveError as exc:
            self._fail("archive_unusable", exc)
        self.saved_keys.add(item.url)
        self.stats.inc_value(f"archive/{outcome}")
        return item

    def _fail(self, reason: str, exc: Exception):
        logger.error("Archive write failed (%s): %s", reason, exc)
        self.stats.set_value("archive/failure", reason)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
        raise DropItem(f"not stored ({reason})")
