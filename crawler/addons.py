"""Scrapy add-ons of the project (settings that depend on other settings, ``-s`` included).

Kept free of heavy imports: a plain crawl loads this module and nothing of Redis."""

from __future__ import annotations


class FrontierAddon:
    """Turns ``scrapy crawl calcio`` into a worker when ARCHIVE_FRONTIER is set (a Scrapy
    add-on, so it sees ``-s`` options); without it, a plain crawl keeps its frontier on disk."""

    def update_settings(self, settings):
        if not settings.get("ARCHIVE_FRONTIER"):
            # a plain crawl: queued requests and seen fingerprints on disk (crawler.seen), in
            # JOBDIR when there is one; a worker keeps both in Redis instead
            settings.set("SCHEDULER", "crawler.seen.DiskQueueScheduler", priority="addon")
            settings.set("DUPEFILTER_CLASS", "crawler.seen.DiskDupeFilter", priority="addon")
            return
        settings.set("SCHEDULER", "crawler.frontier.FrontierScheduler", priority="addon")
        pipelines = settings["ITEM_PIPELINES"]
        pipelines["crawler.pipelines.store.ArchivePipeline"] = None
        pipelines["crawler.pipelines.results.ResultPipeline"] = 800
        for scheme in ("http", "https"):
            settings["DOWNLOAD_HANDLERS"][scheme] = "crawler.politeness.SharedSlotDownloadHandler"
