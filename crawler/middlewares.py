"""Downloader middlewares: robots.txt per RFC 9309, site scope, body encoding."""

from __future__ import annotations

import asyncio
import logging

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.misc import build_from_crawler

from extract.encoding import charset_from_content_type, choose_encoding
from extract.urls import same_site

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with RFC 9309's rule for errors: a robots.txt that
    answers 5xx or cannot be fetched disallows everything for now; 4xx allows everything."""

    async def _parse_robots(self, response, netloc, request):
        if response.status >= 500:
            logger.warning("robots.txt of %s answered %s: not crawling that host in this run", netloc, response.status)
            self._stats.inc_value("robotstxt/unavailable_disallow_all")
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        super()._robots_error(exc, netloc)
        logger.warning("robots.txt of %s could not be fetched (%s): not crawling that host in this run", netloc, exc)
        self._stats.inc_value("robotstxt/unavailable_disallow_all")
        self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)


class SiteScopeMiddleware:
    """Only the configured sites' hosts (and their subdomains, same port) are requested,
    redirects included; any other scheme or host is dropped with stat ``safety/blocked``.
    Sites on IP addresses match only that exact address and port."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _site_urls(self, spider) -> list[str]:
        sites = getattr(spider, "sites", None)
        if not sites:
            return []
        return [state.profile.url for state in sites.values()]

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        site_urls = self._site_urls(spider)
        if not site_urls:
            return None
        if any(same_site(request.url, u) for u in site_urls):
            return None
        self.stats.inc_value("safety/blocked")
        logger.warning("Blocked a request outside the configured sites: %s", request.url)
        raise IgnoreRequest(f"outside the configured sites: {request.url}")


class SamePageRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, except that a redirect to another variant of the same page (a
    trailing slash added, http→https: one fingerprint, crawler.fingerprint) is not dropped by
    the dupefilter as a duplicate of the request it answers. Dropped, the page would never be
    fetched in the run: its own URL, listed in a sitemap, has that fingerprint too."""

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request) and result is not request and not result.dont_filter:
            fingerprint = self.crawler.request_fingerprinter.fingerprint
            if fingerprint(result) == fingerprint(request):
                result.dont_filter = True  # the redirect limit (REDIRECT_MAX_TIMES) still ends loops
                self.crawler.stats.inc_value("calcio/redirect_same_page")
        return result


class BodyEncodingMiddleware:
    """Decide each text response's encoding from its bytes (extract.encoding rules):
    a BOM wins, a UTF-8 header on non-UTF-8 bytes yields to the page's declaration,
    a single-byte header on valid multibyte UTF-8 yields to UTF-8. HTML served as
    ``text/plain`` is recast as HTML."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        header_charset = charset_from_content_type(content_type)
        encoding, overridden = choose_encoding(response.body, header_charset)
        if overridden:
            self.stats.inc_value("encoding/header_overridden")
            logger.info("%s: header says %s, body is %s", response.url, header_charset, encoding)
        cls = type(response)
        if "text/plain" in content_type.lower() and response.body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
            cls = HtmlResponse
            self.stats.inc_value("encoding/text_plain_as_html")
        return response.replace(cls=cls, encoding=encoding)


class WarcMiddleware:
    """Writes every response (decoded transfer, original headers minus transport ones)
    with its request to the WARC archive under ``ARCHIVE_WARC_DIR``, and notes the record's
    location in ``request.meta["warc"]``. A full disk stops the crawl cleanly.

    The records are built and gzipped in a worker process (``archive.warc.build_records``:
    6 ms of CPU per 160 KB page at warcio's level, 3.6 ms at ours): the reactor thread only
    appends the finished bytes. Should the worker die, records are built in-process."""

    def __init__(self, crawler):
        from archive.warc import WarcArchive, worker_host

        self.crawler = crawler
        self.stats = crawler.stats
        directory = crawler.settings.get("ARCHIVE_WARC_DIR")
        if not directory:
            raise NotConfigured("ARCHIVE_WARC_DIR is empty")
        # a worker's files are named with its host too: several machines may share the directory
        prefix = f"calcio-{worker_host()}" if crawler.settings.get("ARCHIVE_FRONTIER") else "calcio"
        self.archive = WarcArchive(directory, crawler.settings.getint("ARCHIVE_WARC_MAX_BYTES"), prefix=prefix)
        self.failed = False
        self.pool = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider=None, reason=None):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.archive.close()

    async def _records(self, *args) -> tuple[bytes, int]:
        from concurrent.futures.process import BrokenProcessPool

        from archive.warc import build_records

        if self.pool is None and not self.failed:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_warc_worker_init)
        if self.pool is not None:
            try:
                return await asyncio.wrap_future(self.pool.submit(build_records, *args))
            except (BrokenProcessPool, RuntimeError) as exc:  # killed, or shut down at close
                if self.pool is not None:
                    logger.warning("WARC worker unavailable (%s): records are built in the crawl process", exc)
                    self.stats.inc_value("warc/worker_lost")
                    self.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool = None
        return build_records(*args)

    async def process_response(self, request, response, spider=None):
        from datetime import datetime, timezone

        from archive.warc import WarcFull

        if self.failed:
            raise IgnoreRequest("WARC archive unavailable")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
        req_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in request.headers.items() for v in vs]
        date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        records = await self._records(response.url, response.status, _reason(response.status), headers, response.body,
                                      req_headers, request.method, date)
        if self.failed:  # the disk filled while this one was being built
            raise IgnoreRequest("WARC archive unavailable")
        try:
            location = self.archive.append(*records)
        except WarcFull as exc:
            self.failed = True
            logger.error("%s: stopping the crawl", exc)
            self.stats.set_value("archive/failure", "warc_disk_full")
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_disk_full"))
            raise IgnoreRequest(str(exc)) from exc
        request.meta["warc"] = location
        self.stats.inc_value("warc/records")
        return response


def _warc_worker_init() -> None:
    """Set up the WARC worker: Ctrl-C is left to the crawl, which stops it in order; and it
    ends with the crawl, even a killed one (a killed parent leaves no EOF on its queue)."""
    import os
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: delay-seconds or an HTTP-date. A
    malformed value is treated as absent (None), never an exception."""
    import time
    from email.utils import parsedate_to_datetime

    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, honouring ``Retry-After`` on 429 and 503 (Scrapy alone ignores it).

    A wait up to ``ARCHIVE_RETRY_AFTER_MAX`` seconds is waited out before the retry (stat
    ``retry_after/honoured``); a longer one is not slept on: the URL is given up for this run
    (stat ``retry_after/deferred``), recorded as failed with its status, and the next run tries
    it again."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("ARCHIVE_RETRY_AFTER_MAX", 60)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in (429, 503):
            return super().process_response(request, response)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            return super().process_response(request, response)
        stats = self.crawler.stats
        if delay > self.max_wait:
            stats.inc_value("retry_after/deferred")
            logger.warning("%s answered %s with Retry-After %.0fs (more than ARCHIVE_RETRY_AFTER_MAX=%gs): "
                           "left for the next run", request.url, response.status, delay, self.max_wait)
            return response
        retry = self._retry(request, f"{response.status} with Retry-After {delay:g}s")
        if retry is None:
            return response
        await asyncio.sleep(delay)
        stats.inc_value("retry_after/honoured")
        return retry
