"""``scrapy crawl`` that tells cron and systemd when a run failed (non-zero exit status).

A run fails when it did not finish normally (archive locked or full, error cap, memory
limit, ...) or when it fetched nothing at all.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

OK_REASONS = {"finished"}


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl calcio`")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        outcome: dict = {}

        def closed(spider, reason):
            outcome["reason"] = reason
            # pages the spider parsed: robots.txt alone does not count as having fetched something
            outcome["pages"] = crawler.stats.get_value("calcio/pages", 0)

        crawler.signals.connect(closed, signal=signals.spider_closed)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif outcome.get("reason") not in OK_REASONS:
            self.exitcode = 2
        elif not outcome.get("pages"):
            self.exitcode = 3
