"""The archive pipeline: records every fetched page, and its article, all or nothing per page,
in batched write transactions; records the crawl run; stops the crawl when the archive is
unusable.

Pages are written ``ARCHIVE_WRITE_BATCH`` at a time in one transaction (a savepoint per page:
a page whose write is refused rolls back alone), and at least every ``ARCHIVE_WRITE_INTERVAL``
seconds; what is pending is written when the spider closes, whatever the reason (finished,
CloseSpider, Ctrl-C). One transaction per page cost the crawl process ~1 ms of commit per page."""

from __future__ import annotations

import logging

import time

from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from archive.boilerplate import learn as learn_boilerplate
from archive.db import ArchiveError, ArchiveFull, ArchiveLocked, open_db
from archive.health import check as check_health
from archive.health import pages_mark
from archive.store import Fetch, PageRecord, finish_crawl, save_fetches, start_crawl
from crawler.items import ExtractedPage
from crawler.seen import SeenStore
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
        self.batch = max(1, crawler.settings.getint("ARCHIVE_WRITE_BATCH", 100))
        self.interval = crawler.settings.getfloat("ARCHIVE_WRITE_INTERVAL", 2.0)
        self.db = None
        self.crawl_id: int | None = None
        self.pages_mark = 0
        self.seen = SeenStore.of(crawler)  # the articles saved in this run: on disk ("saved")
        self.sites_written: set[str] = set()
        self.pending: list[tuple[ExtractedPage, Fetch]] = []
        self.last_flush = time.monotonic()
        self.failed: str | None = None
        self._timer: task.LoopingCall | None = None
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
        if self.interval > 0:
            self._timer = task.LoopingCall(self._flush_if_due)
            self._timer.start(self.interval, now=False)

    def close_spider(self):
        """Before the run's row is closed (spider_closed): nothing pending is left unwritten."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()

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
        if self.failed:
            raise DropItem(f"not stored ({self.failed})")
        if article is not None and item.outcome != "blocked" and not self.seen.add("saved", article.url):
            self.stats.inc_value("archive/duplicate_in_run")
            article = None  # the same article reached by another URL: record the page only
        record = page_record(item, self.crawl_id)
        self.pending.append((item, Fetch(record, article, item.entities if article is not None else None,
                                         item.sketch if article is not None else None)))
        if len(self.pending) >= self.batch:
            self.flush()
        if article is None or item.outcome == "blocked":  # a wall is never stored as an article
            raise DropItem(f"{item.outcome}: {page.url}" + (f" ({item.reason})" if item.reason else ""), log_level="DEBUG")
        return article

    def _flush_if_due(self) -> None:
        if self.pending and time.monotonic() - self.last_flush >= self.interval:
            self.flush()

    def flush(self) -> None:
        """Write the pending pages in one transaction; then count what became of each."""
        self.last_flush = time.monotonic()
        if not self.pending or self.db is None or self.failed:
            return
        batch, self.pending = self.pending, []
        try:
            outcomes = save_fetches(self.db, [fetch for _, fetch in batch])
        except ArchiveLocked as exc:
            return self._fail("archive_locked", exc, len(batch))
        except ArchiveFull as exc:
            return self._fail("archive_disk_full", exc, len(batch))
        except ArchiveError as exc:
            return self._fail("archive_unusable", exc, len(batch))
        self.stats.inc_value("archive/transactions")
        for (item, fetch), outcome in zip(batch, outcomes):
            if isinstance(outcome, Exception):
                logger.error("Not stored: %s: %s: %s", item.page.url, type(outcome).__name__, outcome)
                self.stats.inc_value("archive/page_refused")
                outcome = None
            if item.page.kind == "not_modified":
                self.stats.inc_value("archive/not_modified")
            count_page(self.stats, item, outcome)  # the per-site summary at the end of the crawl
            if outcome is not None:
                self.sites_written.add(fetch.article.site)
                self.stats.inc_value(f"archive/{outcome}")

    def _fail(self, reason: str, exc: Exception, lost: int) -> None:
        logger.error("Archive write failed (%s): %s (%d pages of this batch not stored; the next run fetches them)",
                     reason, exc, lost)
        self.failed = reason
        self.stats.set_value("archive/failure", reason)
        self.stats.inc_value("archive/batch_not_stored", lost)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
