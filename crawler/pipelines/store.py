"""The archive pipeline: records every fetched page, and its article, in one write
transaction each; records the crawl run; stops the crawl when the archive is unusable."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import deferred_from_coro

from archive.boilerplate import learn as learn_boilerplate
from archive.db import ArchiveError, ArchiveFull, ArchiveLocked, open_db
from archive.health import check as check_health
from archive.health import pages_mark
from archive.store import PageRecord, finish_crawl, save_fetch, start_crawl
from crawler.items import ExtractedPage
from crawler.runs import HEALTH_ALARM_STAT, run_failed
from crawler.summary import count_page

logger = logging.getLogger(__name__)


def page_record(item: ExtractedPage, crawl_id: int | None) -> PageRecord:
    """The ``pages`` row of an extracted page (also what a worker sends to the ingest)."""
    page = item.page
    return PageRecord(
        url=page.url, site=page.site, status=page.status, fetched_at=page.fetched_at,
        outcome=item.outcome, kind=page.kind, content_type=page.content_type, encoding=page.encoding,
        warc_file=page.warc_file, warc_offset=page.warc_offset, warc_length=page.warc_length,
        reason=item.reason, etag=page.etag, last_modified=page.last_modified, crawl_id=crawl_id,
        page_type=item.page_type, listed_date=page.listed_date,
    )


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = crawler.settings.get("ARCHIVE_DB")
        self.busy_timeout = crawler.settings.getfloat("ARCHIVE_BUSY_TIMEOUT", 10)
        self.db = None
        self.crawl_id: int | None = None
        self.pages_mark = 0
        self.saved: set[str] = set()
        self.sites_written: set[str] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        try:
            self.db = open_db(self.path, busy_timeout=self.busy_timeout)
            self.pages_mark = pages_mark(self.db)
            self.crawl_id = start_crawl(self.db, self.crawler.spider.name, sorted(getattr(self.crawler.spider, "sites", {})))
        except ArchiveLocked as exc:
            logger.error("%s", exc)
            raise CloseSpider("archive_locked") from exc
        except ArchiveError as exc:
            logger.error("%s", exc)
            raise CloseSpider("archive_unusable") from exc
        logger.info("Archive: %s (crawl %s)", self.path, self.crawl_id)

    def spider_closed(self, spider, reason):
        """After everything else closed: the run's row gets its stats and reason."""
        if self.db is None:
            return
        if self.crawl_id is None:  # the run never started writing
            self.db.close()
            self.db = None
            return
        stats = self.crawler.stats.get_stats()
        failed = run_failed(reason, stats.get("calcio/pages"))
        try:
            for site in self.sites_written:
                learned = learn_boilerplate(self.db, site)
                self.stats.set_value(f"boilerplate/learned/{site}", learned)
            if not failed:
                self._check_health(spider)
            finish_crawl(self.db, self.crawl_id, reason, self.crawler.stats.get_stats(), failed)
        except ArchiveError as exc:
            logger.error("Could not record the end of crawl %s: %s", self.crawl_id, exc)
        self.db.close()
        self.db = None

    def _check_health(self, spider) -> None:
        """Each site's field coverage against its recent history (archive/health.py)."""
        alarms = check_health(self.db, self.crawl_id, sorted(getattr(spider, "sites", {}) or {}),
                              drop=self.crawler.settings.getfloat("ARCHIVE_HEALTH_DROP", 0.3), mark=self.pages_mark)
        for alarm in alarms:
            logger.warning("Site health: %s dropped clearly against its recent runs: %s (a layout change?)",
                           alarm.site, alarm.describe())
        if alarms:
            self.stats.set_value(HEALTH_ALARM_STAT, sorted(a.site for a in alarms))

    def process_item(self, item):
        if not isinstance(item, ExtractedPage):
            return item
        page, article = item.page, item.article
        if article is not None and article.url in self.saved:
            self.stats.inc_value("archive/duplicate_in_run")
            article = None  # the same article reached by another URL: record the page only
        record = page_record(item, self.crawl_id)
        try:
            outcome = save_fetch(self.db, record, article, item.entities if article is not None else None)
        except ArchiveLocked as exc:
            self._fail("archive_locked", exc)
        except ArchiveFull as exc:
            self._fail("archive_disk_full", exc)
        except ArchiveError as exc:
            self._fail("archive_unusable", exc)
        if page.kind == "not_modified":
            self.stats.inc_value("archive/not_modified")
        count_page(self.stats, item, outcome)  # the per-site summary at the end of the crawl
        if outcome is None:
            raise DropItem(f"{item.outcome}: {page.url}" + (f" ({item.reason})" if item.reason else ""), log_level="DEBUG")
        self.saved.add(article.url)
        self.sites_written.add(article.site)
        self.stats.inc_value(f"archive/{outcome}")
        return article

    def _fail(self, reason: str, exc: Exception):
        logger.error("Archive write failed (%s): %s", reason, exc)
        self.stats.set_value("archive/failure", reason)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
        raise DropItem(f"not stored ({reason})")
