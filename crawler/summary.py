"""The end of every crawl: one line per site of what happened, and one plain sentence when
no site could be reached. During the crawl, a host that cannot be resolved is reported once,
in one line, instead of a traceback per request.

Per-site counts are kept in the crawl's stats (``site/<name>/<count>``), so they are also in
the ``crawls`` row of the run.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError,
                               DownloadTimeoutError, ResponseDataLossError)
from twisted.internet.error import ConnectError, ConnectionLost, ConnectionRefusedError, DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeoutError

from extract.article import STORED_PAGE_TYPES

logger = logging.getLogger(__name__)

NOTHING_REACHED = "no site could be reached: check the network or the sites file"
COUNTS = ("fetched", "new", "updated", "unchanged", "not_modified", "blocked", "errors")
# Scrapy's messages for requests its middlewares refused (robots.txt, our site scope)
_REFUSED_BY_US = ("Forbidden by robots.txt", "outside the configured sites")


class CrawlSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.started: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.filter = OneLinePerHost()
        s = crawler.signals
        s.connect(self.spider_opened, signal=signals.spider_opened)
        s.connect(self.request_scheduled, signal=signals.request_scheduled)
        s.connect(self.response_received, signal=signals.response_received)
        s.connect(self.spider_closed, signal=signals.spider_closed)
        s.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider=None):
        # Scrapy installs its root log handler after the extensions are built: filter it now
        for handler in logging.root.handlers:
            handler.addFilter(self.filter)

    def request_scheduled(self, request, spider=None):
        site = request.meta.get("site")
        if site:
            self.started.setdefault(site, time.monotonic())

    def response_received(self, response, request, spider=None):
        site = request.meta.get("site")
        if site:
            self.stats.inc_value(f"site/{site}/fetched")
            self.last[site] = time.monotonic()

    def spider_closed(self, spider, reason):
        for site in getattr(spider, "sites", {}) or {}:
            if site in self.started:
                seconds = self.last.get(site, self.started[site]) - self.started[site]
                self.stats.set_value(f"site/{site}/seconds", round(seconds, 1))

    def engine_stopped(self):
        """After the archive recorded the run: the summary is the last thing in the log."""
        for handler in logging.root.handlers:
            handler.removeFilter(self.filter)
        sites = list(getattr(self.crawler.spider, "sites", None) or [])
        if not sites:
            sites = sorted({k.split("/")[1] for k in self.stats.get_stats() if k.startswith("site/")})
        if not sites:
            return
        logger.info("%s", summary_table(self.stats.get_stats(), sites))
        if not any(self.stats.get_value(f"site/{s}/fetched", 0) for s in sites):
            logger.error(NOTHING_REACHED)


def count_page(stats, item, outcome: str | None) -> None:
    """Called by the archive pipeline for every page it records: the site's counts of
    stored (new, updated, unchanged), refused by page type, blocked, 304 and errors."""
    page = item.page
    site = page.site

    def inc(name: str) -> None:
        stats.inc_value(f"site/{site}/{name}")

    if outcome is not None:  # "kept": a shorter reading did not replace the stored text
        inc("unchanged" if outcome == "kept" else outcome)
    elif page.kind == "not_modified":
        inc("not_modified")
    elif page.kind == "error":
        reason = page.reason or f"HTTP {page.status}"
        if reason.startswith(_REFUSED_BY_US):
            inc("blocked")
        else:
            inc("errors")
            if not stats.get_value(f"site/{site}/first_error"):
                stats.set_value(f"site/{site}/first_error", reason[:200])
    elif item.outcome in ("failed", "timeout"):
        inc("errors")
    elif item.page_type == "blocked":
        inc("blocked")
    elif page.kind == "article" and item.page_type and item.page_type not in STORED_PAGE_TYPES:
        inc(f"refused/{item.page_type}")


def summary_table(stats: dict, sites: list[str]) -> str:
    """The per-site summary as plain text, one line per site."""
    header = ["site", "fetched", "new", "updated", "unchanged", "304", "refused", "blocked", "errors", "time"]
    rows = []
    for site in sites:
        get = lambda name: int(stats.get(f"site/{site}/{name}", 0) or 0)  # noqa: E731
        refused = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith(f"site/{site}/refused/")}
        refused_text = ", ".join(f"{n} {t}" for t, n in sorted(refused.items(), key=lambda kv: -kv[1])) or "0"
        seconds = stats.get(f"site/{site}/seconds")
        row = [site, *(str(get(n)) for n in COUNTS[:5]), refused_text, str(get("blocked")), str(get("errors")),
               f"{seconds:.1f}s" if seconds is not None else "-"]
        if not get("fetched"):
            error = stats.get(f"site/{site}/first_error")
            row.append("unreachable" + (f": {error}" if error else ""))
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i in (0, 6) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             + ("  " + r[len(header)] if len(r) > len(header) else "") for r in [header, *rows]]
    return "Crawl summary, per site:\n" + "\n".join(line.rstrip() for line in lines)


# --- one line per unreachable host ---------------------------------------------------------

_HOST_IN_MESSAGE = re.compile(r"lookup: ([^\s:]+?)\.?$|https?://([^/\s:]+)")
_NETWORK_ERRORS = (DNSLookupError, CannotResolveHostError, ConnectionRefusedError, DownloadConnectionRefusedError)
_DNS_ERRORS = (DNSLookupError, CannotResolveHostError)
# other network failures: each stays one line, without its traceback
_PLAIN_NETWORK_ERRORS = (DownloadTimeoutError, DownloadFailedError, ResponseDataLossError, ConnectError,
                         ConnectionLost, TwistedTimeoutError)
_DNS_MARKER = "DNS lookup failed"
_NOT_FILTERED = {"scrapy.statscollectors", __name__}  # the stats dump and the summary itself


def _exceptions(record: logging.LogRecord):
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        while exc is not None:
            yield exc
            exc = exc.__cause__ or exc.__context__
    args = record.args
    values = args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else ()
    for value in values:
        if isinstance(value, BaseException):
            yield value


def _hosts(record: logging.LogRecord, exc: BaseException | None) -> list[str]:
    hosts = []
    args = record.args
    values = list(args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else ())
    for value in values:
        if isinstance(value, Request):
            hosts.append(urlsplit(value.url).hostname or "")
    for text in ([str(exc)] if exc is not None else []) + [record.getMessage()]:
        for m in _HOST_IN_MESSAGE.finditer(text):
            hosts.append(m.group(1) or m.group(2))
    return [h.lower() for h in hosts if h]


class OneLinePerHost(logging.Filter):
    """A host that cannot be resolved (or refuses connections) is logged once, in one line,
    without traceback; later messages about that host's requests failing the same way
    (retries given up, robots.txt, fetch errors) are dropped, and for a host that cannot be
    resolved, so are the notes on its requests refused afterwards (robots.txt unavailable)."""

    def __init__(self):
        super().__init__()
        self.reported: set[str] = set()
        self.unresolvable: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        verdict = getattr(record, "_calcio_verdict", None)  # the same record, at another handler
        if verdict is not None:
            return verdict
        record._calcio_verdict = self._judge(record)
        return record._calcio_verdict

    def _judge(self, record: logging.LogRecord) -> bool:
        if record.name in _NOT_FILTERED:
            return True
        exc = next((e for e in _exceptions(record) if isinstance(e, _NETWORK_ERRORS) or _DNS_MARKER in str(e)), None)
        message = record.getMessage()
        if exc is None and _DNS_MARKER not in message:
            # a request of an unresolvable host refused afterwards (robots.txt disallowed it)
            if record.levelno <= logging.WARNING and self.unresolvable and any(h in self.unresolvable for h in _hosts(record, None)):
                return False
            if record.exc_info and isinstance(record.exc_info[1], _PLAIN_NETWORK_ERRORS):
                record.exc_info, record.exc_text = None, None  # the message already says what failed
            return True
        hosts = _hosts(record, exc)
        if not hosts:
            return True
        host = hosts[0]
        if host in self.reported:
            return False
        self.reported.add(host)
        dns = isinstance(exc, _DNS_ERRORS) or _DNS_MARKER in (str(exc) if exc else message)
        if dns:
            self.unresolvable.add(host)
        what = "cannot be resolved (DNS lookup failed)" if dns else "refuses connections"
        record.msg, record.args = "%s: the host %s (not repeated for its other requests)", (host, what)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
