"""What the spider hands to the pipelines: a fetched page's record, and the page once extracted."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.article import Article


@dataclass
class FetchedPage:
    url: str            # the URL the response came from (after redirects)
    site: str           # the site's name from the sites list
    status: int
    fetched_at: str     # ISO 8601, UTC
    kind: str = "article"       # "article": offered to extraction; "discovery": home, section, sitemap, feed
    encoding: str | None = None  # see crawler.middlewares.BodyEncodingMiddleware
    content_type: str | None = None
    source: str = "link"        # how it was discovered: "sitemap", "feed", "link"
    listed_date: str | None = None  # the sitemap lastmod / feed date, if any
    etag: str | None = None
    last_modified: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    reason: str | None = None   # why a fetch failed (kind "error")


@dataclass
class ExtractedPage:
    """A fetched page after extraction: the article, or why there is none."""

    page: FetchedPage
    outcome: str                # ok, not_article, empty, failed, timeout, not_modified, discovery
    reason: str | None = None
    article: Article | None = None
    page_type: str | None = None   # extract.article.PAGE_TYPES
    entities: list = field(default_factory=list)  # football entities (extract.football), stored with the article
    sketch: tuple | None = None    # archive.stories.sketch() of the article, computed by the extraction worker
