"""``scrapy crawl`` for scheduled runs: one writer at a time, and an exit status that
tells cron and systemd when a run failed.

Exit status: 0 finished; 1 Scrapy could not start; 2 stopped early (archive locked or
full, error cap, memory limit, ...); 3 fetched nothing; 4 another crawl holds the archive;
5 finished, but a site's health dropped (fields missing, pages refused: a layout change?).
"""

from __future__ import annotations

import logging
import sys

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from archive.lock import AlreadyRunning, CrawlLock
from extract.site import SiteConfigError, load_sites
from crawler.runs import HEALTH_ALARM_STAT, OK_REASONS, run_failed

EXIT_STOPPED, EXIT_NOTHING, EXIT_LOCKED, EXIT_HEALTH = 2, 3, 4, 5


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl calcio`")
        assert self.crawler_process
        try:  # the sites file is checked before anything runs: one line, exit status 1
            load_sites(opts.spargs.get("sites") or self.settings.get("ARCHIVE_SITES"))
        except SiteConfigError as exc:
            print(f"calcio-archive: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        if self.settings.get("ARCHIVE_FRONTIER"):  # a worker: the ingest is the archive's one writer
            self._crawl(args[0], opts)
            return
        db_path = self.settings.get("ARCHIVE_DB")
        try:
            with CrawlLock(db_path):
                self._crawl(args[0], opts)
        except AlreadyRunning as exc:
            logging.getLogger("calcio").error("%s", exc)
            print(f"calcio-archive: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED

    def _crawl(self, name, opts):
        crawler = self._create_crawler(name)
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
        elif run_failed(outcome.get("reason"), outcome.get("pages")):
            self.exitcode = EXIT_STOPPED if outcome.get("reason") not in OK_REASONS else EXIT_NOTHING
        elif crawler.stats.get_value(HEALTH_ALARM_STAT):
            self.exitcode = EXIT_HEALTH
