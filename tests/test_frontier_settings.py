"""Without ARCHIVE_FRONTIER a crawl is a plain crawl (no Redis anywhere); with it, the add-on
turns it into a worker. No redis-server needed here."""

from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.addons import FrontierAddon


def settings_with(**overrides) -> Settings:
    s = Settings()
    s.setmodule(project_settings)
    for name, value in overrides.items():
        s.set(name, value, priority="cmdline")
    FrontierAddon().update_settings(s)
    return s


def test_a_plain_crawl_is_unchanged():
    plain, reference = settings_with(), Settings()
    reference.setmodule(project_settings)
    # a plain crawl keeps its queue and seen sets on disk (crawler.seen), never in Redis
    assert plain.get("SCHEDULER") == "crawler.seen.DiskQueueScheduler"
    assert plain.get("DUPEFILTER_CLASS") == "crawler.seen.DiskDupeFilter"
    for name in ("ITEM_PIPELINES", "DOWNLOAD_HANDLERS"):
        assert dict(plain.getdict(name)) == dict(reference.getdict(name))
    assert "redis" not in str(plain.get("SCHEDULER")) + str(dict(plain.getdict("ITEM_PIPELINES")))


def test_a_worker_uses_the_shared_frontier():
    s = settings_with(ARCHIVE_FRONTIER="redis://127.0.0.1:6379/0")
    assert s.get("SCHEDULER") == "crawler.frontier.FrontierScheduler"
    pipelines = s.getdict("ITEM_PIPELINES")
    assert pipelines["crawler.pipelines.store.ArchivePipeline"] is None
    assert pipelines["crawler.pipelines.results.ResultPipeline"] == 800
    assert s.getdict("DOWNLOAD_HANDLERS")["https"] == "crawler.politeness.SharedSlotDownloadHandler"
    assert s.getdict("DOWNLOAD_HANDLERS")["file"] is None  # the safety settings stay
