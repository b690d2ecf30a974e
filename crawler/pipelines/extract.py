"""Extraction in worker processes, awaited from the crawl without blocking it.

trafilatura is not thread-safe and extraction is most of a crawl's CPU, so pages are
extracted in a pebble process pool (one worker per core by default) with a per-page
time budget (``ARCHIVE_EXTRACT_TIMEOUT``): a page that overruns has its worker killed
and is recorded as failed (reason "timeout"); its bytes stay in the WARC for
``calcio-archive reextract``; the crawl goes on.

The spider hands each HTML page to a worker (``PageWorkers.read``) as its bytes and encoding;
the worker decodes it, checks that the body is a whole page (``crawler.bodies.fault_of``),
reads the links the spider follows from it (``crawler.links``) and extracts it, so the crawl
process neither decodes, checks nor parses an article page. The pipeline passes the spider's
extracted pages on and turns its other records (discovery, errors, not modified) into
``ExtractedPage``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from pebble import ProcessPool
from w3lib.encoding import html_to_unicode

from archive.stories import sketch
from crawler.bodies import fault_of
from crawler.items import ExtractedPage, FetchedPage
from crawler.links import link_targets, links_in, page_tree
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


@dataclass
class PageJob:
    """One fetched HTML page, as a worker receives it."""

    url: str
    body: bytes
    encoding: str
    discovery: bool                 # a page read for its links: typed, not extracted
    check_body: bool = False        # an article's body must be a whole page before it is extracted
    status: int = 200
    content_type: str | None = None
    flags: tuple = ()
    links_from: str | None = None   # the page's canonical URL when the spider follows its links


@dataclass
class PageWork:
    """What a worker gives back: a faulty body's (outcome, reason), or the extraction (or the
    error it raised) and the links to follow (``crawler.links.link_targets``)."""

    fault: tuple[str, str] | None = None
    result: object = None
    sketch: tuple | None = None
    error: str | None = None
    links: list[tuple[str, bool]] | None = None


def read_in_worker(job: PageJob, profile, learned) -> PageWork:
    # the text Scrapy's TextResponse.text gives for this body and encoding
    text = html_to_unicode(f"charset={job.encoding}", job.body)[1]
    if job.check_body:
        fault = fault_of(job.status, job.body, job.content_type, text, job.flags)
        if fault is not None:
            return PageWork(fault=fault)
    links = None
    if job.links_from is not None:
        root, base_url = page_tree(text, job.url, job.encoding)
        links = link_targets(links_in(root, job.url, base_url, job.encoding, profile.host), profile, job.links_from)
        del root
    try:
        result, story_sketch = extract_in_worker(job.discovery, text, job.url, profile, learned)
    except Exception as exc:  # reported as the pool reports an exception raised in a worker
        return PageWork(error=f"{type(exc).__name__}: {exc}", links=links)
    return PageWork(result=result, sketch=story_sketch, links=links)


def _worker_init() -> None:
    """Imports a worker needs that the crawl process does not make (datasketch brings SciPy):
    at the worker's start, not in its first page's time budget."""
    import datasketch  # noqa: F401  (archive.stories.signature)
    import parsel  # noqa: F401  (crawler.links.page_tree)


@dataclass
class PageRead:
    """A page after its worker: the extracted page, or the body's fault; the links the worker
    read (None: not asked, or the worker was lost); ``lost``: the worker died or ran out of
    time, so it may not have checked the body or read the links."""

    page: ExtractedPage | None = None
    fault: tuple[str, str] | None = None
    links: list[tuple[str, bool]] | None = None
    lost: bool = False


class PageWorkers:
    """The crawl's extraction pool (one per crawler, shared by the spider and the pipeline)."""

    def __init__(self, crawler):
        from scrapy import signals

        self.crawler = crawler
        settings = crawler.settings
        self.workers = settings.getint("ARCHIVE_EXTRACT_WORKERS", 0) or os.cpu_count() or 1
        self.timeout = settings.getfloat("ARCHIVE_EXTRACT_TIMEOUT", 30)
        self.pool: ProcessPool | None = None
        self.closed = False
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @property
    def stats(self):
        return self.crawler.stats  # set when the crawl starts, after the spider is made

    @classmethod
    def of(cls, crawler) -> "PageWorkers":
        workers = getattr(crawler, "_calcio_page_workers", None)
        if workers is None:
            workers = crawler._calcio_page_workers = cls(crawler)
        return workers

    def start(self) -> None:
        if self.pool is None and not self.closed:
            # "spawn": workers must not inherit the reactor, sockets or the SQLite handle.
            self.pool = ProcessPool(max_workers=self.workers, context=multiprocessing.get_context("spawn"),
                                    initializer=_worker_init)

    def close(self, spider=None, reason=None) -> None:
        self.closed = True
        if self.pool is not None:
            self.pool.close()
            self.pool.join(timeout=30)
            self.pool = None

    async def read(self, item: FetchedPage, body: bytes, state, *, check_body: bool = False,
                   links_from: str | None = None, flags=()) -> PageRead:
        """Extract ``item`` (an HTML page of kind article or discovery, fetched as ``body``)
        in a worker; with ``check_body``, a body that is not a whole page is not extracted;
        with ``links_from`` (the page's canonical URL), its links are read too."""
        self.start()
        job = PageJob(item.url, body, item.encoding, item.kind == "discovery", check_body, item.status,
                      item.content_type, tuple(flags), links_from)
        try:
            future = self.pool.schedule(read_in_worker, args=(job, state.profile, state.learned), timeout=self.timeout)
            work = await asyncio.wrap_future(future)
        except FutureTimeout:
            self.stats.inc_value("extract/timeout")
            logger.warning("Extraction timed out after %gs: %s", self.timeout, item.url)
            return PageRead(ExtractedPage(item, "timeout", f"extraction took more than {self.timeout:g}s"), lost=True)
        except Exception as exc:  # the worker died (memory, segfault), or the pool is closed
            return PageRead(self._failed(item, f"{type(exc).__name__}: {exc}"), lost=True)
        if work.fault is not None:
            return PageRead(fault=work.fault)
        if work.error is not None:
            return PageRead(self._failed(item, work.error), links=work.links)
        return PageRead(self._extracted(item, work.result, work.sketch, state), links=work.links)

    def _failed(self, item: FetchedPage, error: str) -> ExtractedPage:
        self.stats.inc_value("extract/failed")
        logger.error("Extraction failed for %s: %s", item.url, error)
        return ExtractedPage(item, "failed", error[:500])

    def _extracted(self, item: FetchedPage, result, story_sketch, state) -> ExtractedPage:
        if item.kind == "discovery" and result.article is None:
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


class ExtractPipeline:
    """Starts the workers with the spider; the spider's records that are not extracted
    (discovery files, errors, not modified, faulty bodies) become ``ExtractedPage`` here."""

    def __init__(self, crawler):
        self.workers = PageWorkers.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.workers.start()

    def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        return ExtractedPage(item, item.kind, item.reason)
