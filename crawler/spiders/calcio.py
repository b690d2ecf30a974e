"""The ``calcio`` spider: discovers articles of each site and fetches them.

Discovery per site: robots.txt ``Sitemap:`` lines (else ``/sitemap.xml``) → sitemap
index → post/news sitemaps; the RSS/Atom feed named by the home page (or ``/feed/`` on
WordPress); links of the home page and of section pages, up to ``ARCHIVE_LINK_DEPTH``
hops, on the site's own host; a section's next pages (``crawler/pagination.py``) count as
the section itself, not as further hops. Every URL is canonicalised before it is requested.
Each HTML page is handed, as its bytes and encoding, to an extraction worker
(``crawler.pipelines.extract.PageWorkers``), which checks an article's body, reads the links
the spider follows (``crawler.links``) and extracts it; the page goes to the pipelines as
``ExtractedPage`` (the extractor decides whether it is an article), then its links are
requested. Listings (home, sections) are also parsed here, for their feeds and next pages.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.bodies import body_fault
from crawler.discovery import looks_like_feed, parse_feed, parse_sitemap
from crawler.pagination import next_page_urls
from archive.db import ArchiveError, open_db
from archive.boilerplate import learned_for
from archive.store import Held, HeldLookup
from crawler.items import ExtractedPage, FetchedPage
from crawler.links import JUNK_URL, link_targets, site_links
from crawler.pipelines.extract import PageRead, PageWorkers
from crawler.seen import SeenStore, SiteSeen
from extract.dates import as_datetime, parse_date
from extract.site import SiteConfigError, SiteProfile, load_sites
from extract.urls import canonicalize, dedupe_key, looks_like_article, looks_non_article, same_site

# Sitemaps of a sitemap index that never list articles (WordPress/Yoast/Rank Math names).
NON_ARTICLE_SITEMAP = re.compile(
    r"(page|category|categor|tag|author|autor|attachment|product|video|image|taxonom|topic|"
    r"local|portfolio|event|web-story|stories)[-_]?(sitemap|\d|s?\.xml)",
    re.I,
)
class NothingHeld:
    """The held state of a site when the archive is new or unreadable."""

    def get(self, key: str) -> Held | None:
        return None


@dataclass
class SiteState:
    profile: SiteProfile
    # dedupe keys requested in this run: a set on disk (crawler.seen), not in memory
    seen: SiteSeen | set[str] = field(default_factory=set)
    articles: int = 0
    discovery: int = 0
    feed_found: bool = False
    # dedupe key → last fetch of an archived article, looked up in the archive (or Redis) per URL
    held: HeldLookup | NothingHeld = field(default_factory=NothingHeld)
    learned: frozenset[str] = frozenset()  # the site's learned boilerplate paragraphs


class CalcioSpider(scrapy.Spider):
    name = "calcio"

    def __init__(self, sites: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sites_path = sites

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        path = spider.sites_path or settings.get("ARCHIVE_SITES")
        try:
            profiles = load_sites(path)
        except SiteConfigError as exc:
            raise scrapy.exceptions.UsageError(str(exc)) from None
        store = SeenStore.of(crawler)
        spider.sites = {p.name: SiteState(p, seen=SiteSeen(store, p.name)) for p in profiles}
        spider._held_db = None
        spider.workers = PageWorkers.of(crawler)  # extraction, body checks and links of pages
        crawler.signals.connect(spider._close_held, signal=scrapy.signals.spider_closed)
        spider.link_depth = settings.getint("ARCHIVE_LINK_DEPTH", 2)
        spider.max_articles = settings.getint("ARCHIVE_MAX_ARTICLES_PER_SITE", 300)
        spider.max_discovery = settings.getint("ARCHIVE_MAX_DISCOVERY_PER_SITE", 60)
        spider.max_section_pages = settings.getint("ARCHIVE_MAX_SECTION_PAGES", 10)
        spider.refresh = timedelta(hours=settings.getfloat("ARCHIVE_REFRESH_HOURS", 48))
        if settings.get("ARCHIVE_FRONTIER"):  # a worker learns what the archive holds from Redis
            from crawler.frontier import load_archive_state

            load_archive_state(spider, settings)
        else:
            spider._load_archive_state(settings.get("ARCHIVE_DB"))
        return spider

    def _load_archive_state(self, db_path: str | None) -> None:
        """What the archive already holds, so a repeat run skips unchanged articles (looked up
        per URL, through a read connection kept for the run), and each site's learned
        boilerplate, for extraction."""
        if not db_path or not Path(db_path).exists():
            return
        db = None
        try:
            db = open_db(db_path, migrate=False)
            if not db["pages"].exists():
                db.close()
                return
            for state in self.sites.values():
                state.held = HeldLookup(db, state.profile.name)
                state.learned = learned_for(db, state.profile.name)
            self._held_db = db
        except (ArchiveError, sqlite3.DatabaseError) as exc:
            self.logger.warning("Cannot read what the archive holds (%s): every article will be fetched", exc)
            for state in self.sites.values():
                state.held = NothingHeld()
            if db is not None:
                db.close()

    def _close_held(self, spider=None) -> None:
        if self._held_db is not None:
            self._held_db.close()
            self._held_db = None

    # --- start ---------------------------------------------------------------------

    async def start(self):
        for state in self.sites.values():
            for request in self._entry_points(state):
                if request is not None:  # None: a duplicate entry point
                    yield request

    def _entry_points(self, state: SiteState):
        site = state.profile
        root = urljoin(site.url, "/")
        yield self._request(state, urljoin(root, "/robots.txt"), self.parse_robots, "robots",
                            meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True}, priority=30)
        yield self._request(state, site.url, self.parse_page, "home", priority=20)
        for url in site.start_urls:
            yield self._request(state, urljoin(site.url, url), self.parse_page, "section", priority=10)
        for url in site.sitemaps:
            yield self._request(state, urljoin(site.url, url), self.parse_sitemap, "sitemap", priority=25)
        for url in site.feeds:
            state.feed_found = True
            yield self._request(state, urljoin(site.url, url), self.parse_feed, "feed", priority=25)

    def _request(self, state: SiteState, url: str, callback, role: str, hops: int = 0,
                 meta: dict | None = None, priority: int = 0, headers: dict | None = None,
                 **extra_meta) -> scrapy.Request | None:
        url = canonicalize(url, state.profile.host)
        key = dedupe_key(url)
        if key in state.seen:
            return None
        state.seen.add(key)
        full_meta = {"site": state.profile.name, "role": role, "hops": hops, **(meta or {}), **extra_meta}
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=full_meta, priority=priority,
                              headers=headers or None)

    # --- page records -----------------------------------------------------------------

    def _record(self, response: Response, kind: str) -> FetchedPage:
        meta = response.meta
        location = meta.get("warc")
        header = response.headers.get
        return FetchedPage(
            url=response.url,
            site=meta["site"],
            status=response.status,
            fetched_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            kind=kind,
            encoding=getattr(response, "encoding", None),
            content_type=_header(header(b"Content-Type")),
            source=meta.get("source", "link"),
            listed_date=meta.get("listed_date"),
            etag=_header(header(b"ETag")),
            last_modified=_header(header(b"Last-Modified")),
            warc_file=location.file if location else None,
            warc_offset=location.offset if location else None,
            warc_length=location.length if location else None,
        )

    # --- robots, sitemaps, feeds ----------------------------------------------------------

    def parse_robots(self, response: Response):
        state = self.sites[response.meta["site"]]
        yield self._record(response, "discovery")
        sitemaps = []
        if isinstance(response, TextResponse) and response.status == 200:
            sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not sitemaps:
            sitemaps = [urljoin(response.url, "/sitemap.xml")]
        for url in sitemaps:
            if same_site(url, state.profile.url):
                if req := self._discovery(state, url, self.parse_sitemap, "sitemap", 0, priority=25):
                    yield req

    def _sitemap_body(self, response: Response) -> bytes | None:
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception as exc:  # too big once decompressed, or broken gzip
                self.logger.warning("Sitemap %s not read: %s", response.url, exc)
                self.crawler.stats.inc_value("discovery/sitemap_invalid")
                return None
        return body

    def parse_sitemap(self, response: Response):
        state = self.sites[response.meta["site"]]
        self.crawler.stats.inc_value("calcio/pages")
        yield self._record(response, "discovery")
        body = self._sitemap_body(response)
        if body is None:
            return
        kind, entries = parse_sitemap(body)
        if kind is None:
            self.logger.warning("Not a sitemap: %s", response.url)
            self.crawler.stats.inc_value("discovery/sitemap_invalid")
            return
        self.crawler.stats.inc_value(f"discovery/{kind}")
        entries.sort(key=lambda e: _sort_key(e.date), reverse=True)
        if kind == "sitemapindex":
            for entry in entries:
                if NON_ARTICLE_SITEMAP.search(entry.url.rsplit("/", 1)[-1]):
                    continue
                if same_site(entry.url, state.profile.url):
                    if req := self._discovery(state, entry.url, self.parse_sitemap, "sitemap", 0, priority=25):
                        yield req
            return
        for entry in entries:
            if req := self._article(state, entry.url, 0, source="sitemap", listed_date=entry.date):
                yield req

    def parse_feed(self, response: Response):
        state = self.sites[response.meta["site"]]
        self.crawler.stats.inc_value("calcio/pages")
        yield self._record(response, "discovery")
        if not looks_like_feed(response.body):
            self.logger.info("Not a feed: %s", response.url)
            return
        entries = parse_feed(response.body)
        self.crawler.stats.inc_value("discovery/feed_entries", len(entries))
        for entry in entries:
            if req := self._article(state, entry.url, 0, source="feed", listed_date=entry.date):
                yield req

    # --- HTML pages ----------------------------------------------------------------------

    async def parse_page(self, response: Response):
        state = self.sites[response.meta["site"]]
        profile = state.profile
        role, hops = response.meta["role"], response.meta.get("hops", 0)
        self.crawler.stats.inc_value("calcio/pages")
        if response.status == 304:
            self.crawler.stats.inc_value("incremental/not_modified")
            yield self._record(response, "not_modified")
            return
        if not isinstance(response, TextResponse) or not hasattr(response, "xpath"):
            self.crawler.stats.inc_value("calcio/non_html")
            yield self._record(response, "non_html")
            return
        if role == "home":
            for request in self._feeds_of(state, response):
                yield request
        url = canonicalize(response.url, profile.host)
        if role != "home" and not looks_non_article(url, profile.exclude_patterns):
            record = self._record(response, "article")
        else:  # typed by extraction (listing, static, data …), never stored as such
            record = self._record(response, "discovery")
        follow = hops < self.link_depth
        # a listing is parsed here for its next pages, and its links read from that tree;
        # an article's links are read by the worker that extracts it
        listing = follow and (role in ("home", "section") or not looks_like_article(url, profile.article_patterns))
        if record.kind == "discovery" and not response.body:  # nothing to type
            read = PageRead(ExtractedPage(record, "discovery"))
        else:
            read = await self.workers.read(record, response.body, state, check_body=role == "article",
                                           links_from=url if follow and not listing else None, flags=response.flags)
        fault = read.fault
        if read.lost and role == "article":  # the worker may have died before it checked the body
            fault = body_fault(response)
        if fault is not None:
            for out in self._faulty_body(response, *fault):
                yield out
            return
        yield read.page
        if not follow:
            return
        targets = read.links
        if targets is None:  # a listing, or the worker was lost
            targets = link_targets(site_links(response, profile.host), profile, url)
        found = [req for req in self._links_of(state, targets, hops + 1) if req]
        for request in found:
            yield request
        if listing:
            for request in self._next_pages(state, response, hops, bool(found)):
                yield request

    def _next_pages(self, state: SiteState, response: TextResponse, hops: int, brought_new: bool):
        """A listing's next page, as part of the same listing: same hops, within the caps,
        newest first (page N's links are counted against the caps before page N+1 is read)."""
        page_no = response.meta.get("page_no", 1)
        if page_no > 1 and not brought_new:  # a ?page=N that answers for every N, or the end
            self.crawler.stats.inc_value("calcio/pagination_exhausted")
            return
        profile = state.profile
        for url in next_page_urls(response, lambda u: canonicalize(u, profile.host)):
            if not same_site(url, profile.url) or JUNK_URL.search(url) or any(re.search(p, url) for p in profile.exclude_patterns):
                continue
            if page_no >= self.max_section_pages:
                self.crawler.stats.inc_value("calcio/pagination_cap_reached")
                return
            if req := self._discovery(state, url, self.parse_page, "section", hops, priority=4, page_no=page_no + 1):
                self.crawler.stats.inc_value("calcio/pagination_pages")
                yield req

    def _faulty_body(self, response: Response, outcome: str, reason: str):
        """``empty`` and ``partial`` bodies are fetched once more in the run (CDN glitches,
        dropped connections), then recorded with that outcome; ``non_html`` at once. None of
        them reaches extraction, so none replaces an archived article."""
        stats = self.crawler.stats
        if outcome != "non_html" and not response.meta.get("body_retried"):
            stats.inc_value(f"calcio/{outcome}_retried")
            yield response.request.replace(dont_filter=True, meta={**response.meta, "body_retried": outcome})
            return
        stats.inc_value("extract/binary_body" if outcome == "non_html" else f"calcio/{outcome}")
        self.logger.warning("%s: %s (%s)", outcome, response.url, reason)
        record = self._record(response, outcome)
        record.reason = reason
        yield record

    def _feeds_of(self, state: SiteState, response: TextResponse):
        hrefs = response.xpath(
            '//link[contains(@rel,"alternate")][contains(@type,"rss") or contains(@type,"atom")]/@href'
        ).getall()
        hrefs = [h for h in hrefs if "comment" not in h.lower()][:2]
        if not hrefs and not state.feed_found and b"/wp-content/" in response.body:
            hrefs = ["/feed/"]  # WordPress serves its feed there even when the theme hides the link
        for href in hrefs:
            url = response.urljoin(href)
            if same_site(url, state.profile.url):
                state.feed_found = True
                if req := self._discovery(state, url, self.parse_feed, "feed", 0, priority=25):
                    yield req

    def _links_of(self, state: SiteState, targets: list[tuple[str, bool]], hops: int):
        """Requests for a page's links (``crawler.links.link_targets``), in the page's order."""
        for url, article in targets:
            if article:
                yield self._article(state, url, hops, source="link")
            else:
                yield self._discovery(state, url, self.parse_page, "section", hops, priority=5)

    def _article(self, state: SiteState, url: str, hops: int, source: str, listed_date: str | None = None):
        profile = state.profile
        url = canonicalize(url, profile.host)  # once: every check below sees the same URL
        key = dedupe_key(url)
        if key in state.seen:
            return None
        if not same_site(url, profile.url) or JUNK_URL.search(url) or looks_non_article(url, profile.exclude_patterns):
            return None
        if state.articles >= (profile.max_articles or self.max_articles):
            self.crawler.stats.inc_value("calcio/article_cap_reached")
            return None
        headers = {}
        try:
            held = state.held.get(key)
        except sqlite3.DatabaseError as exc:  # the archive went unreadable mid-run: fetch it
            self.logger.warning("Cannot read what the archive holds for %s (%s)", url, exc)
            held = None
        if held is not None:
            if not self._worth_refetching(held, listed_date):
                self.crawler.stats.inc_value("incremental/skipped")
                state.seen.add(key)
                return None
            if held.etag:
                headers["If-None-Match"] = held.etag
            if held.last_modified:
                headers["If-Modified-Since"] = held.last_modified
            self.crawler.stats.inc_value("incremental/rechecked")
        req = self._request(state, url, self.parse_page, "article", hops, headers=headers, source=source,
                            listed_date=listed_date, handle_httpstatus_list=[304])
        if req is not None:
            state.articles += 1
            self.crawler.stats.inc_value("calcio/article_requests")
        return req

    def _worth_refetching(self, held: Held, listed_date: str | None) -> bool:
        """An archived article is fetched again when it is recent, when the sitemap/feed date
        changed since our last fetch (newer or older: publishers' clocks, date-only lastmods,
        late sitemaps), or when it is newer than our last fetch.

        One URL is often listed in several places with different dates (the news sitemap and
        the feed give its publication date, the sitemap its lastmod), and which listing reaches
        a worker first varies: a listed date equal to one the archive holds for the article
        (the one recorded at the last fetch, its published or modified date) is no change."""
        now = datetime.now(timezone.utc)
        published = as_datetime(held.published)
        if published is not None and now - published < self.refresh:
            return True
        if listed_date and held.listed_date and _instant(listed_date) not in {
                _instant(d) for d in (held.listed_date, held.published, held.modified) if d}:
            self.crawler.stats.inc_value("incremental/listed_date_changed")
            return True
        listed, fetched = as_datetime(parse_date(listed_date) if listed_date else None), as_datetime(held.fetched_at)
        return listed is not None and (fetched is None or listed > fetched)

    def _discovery(self, state: SiteState, url: str, callback, role: str, hops: int, priority: int = 0,
                   **extra_meta):
        if state.discovery >= self.max_discovery:
            self.crawler.stats.inc_value("calcio/discovery_cap_reached")
            return None
        req = self._request(state, url, callback, role, hops, priority=priority, **extra_meta)
        if req is not None:
            state.discovery += 1
        return req

    def on_error(self, failure):
        request = failure.request
        response = getattr(failure.value, "response", None)
        role = request.meta.get("role")
        self.crawler.stats.inc_value("calcio/fetch_errors")
        level = logging.WARNING if role == "article" else logging.INFO
        self.logger.log(level, "Fetch failed: %s (%s)", request.url, failure.getErrorMessage())
        if "site" not in request.meta:
            return
        if response is not None:
            record = self._record(response, "error")
        else:
            record = FetchedPage(url=request.url, site=request.meta["site"], status=0, kind="error",
                                 fetched_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat())
        record.reason = failure.getErrorMessage()[:500]
        yield record


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None


_OLDEST = datetime.min.replace(tzinfo=timezone.utc)


def _instant(value: str):
    """A listed or archived date, comparable whatever its offset (12:30+02:00 is 10:30Z)."""
    text = parse_date(value) or value.strip()
    return as_datetime(text) or text


def _sort_key(value: str | None) -> datetime:
    """Newest first across offsets: the instant, not the written string."""
    return as_datetime(parse_date(value) if value else None) or _OLDEST
