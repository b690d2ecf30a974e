"""On a worker (``ARCHIVE_FRONTIER`` set) this replaces ArchivePipeline: each extracted page,
with its article, is pushed to Redis for the ingest (``calcio-archive ingest``), the only
writer of the archive. The run's start and end (with Scrapy's stats) are pushed too, so the
ingest records it in ``crawls`` as a plain crawl does."""

from __future__ import annotations

from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import DropItem

from archive import distributed as wire
from crawler.frontier import Frontier
from crawler.items import ExtractedPage
from crawler.pipelines.store import page_record
from crawler.runs import run_failed


class ResultPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.frontier = Frontier.of(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        self.frontier.push(wire.encode(
            "start", self.frontier.worker, spider=spider.name, sites=sorted(getattr(spider, "sites", {})),
            started_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(), lease=self.frontier.lease,
        ))

    def process_item(self, item):
        if not isinstance(item, ExtractedPage):
            return item
        self.frontier.push(wire.encode("page", self.frontier.worker, page=page_record(item, None), article=item.article,
                                       entities=item.entities if item.article is not None else None))
        self.crawler.stats.inc_value("frontier/results_pushed")
        if item.article is None:
            raise DropItem(f"{item.outcome}: {item.page.url}", log_level="DEBUG")
        return item.article

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        self.frontier.push(wire.encode(
            "finish", self.frontier.worker, reason=reason, stats=stats,
            failed=run_failed(reason, stats.get("calcio/pages")),
        ))
        self.frontier.leave()
