"""What the spider hands to the pipelines: one fetched page, decoded, not yet extracted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    url: str            # the URL the response came from (after redirects)
    site: str           # the site's name from the sites list
    html: str           # decoded text (see crawler.middlewares.BodyEncodingMiddleware)
    status: int
    encoding: str
    fetched_at: str     # ISO 8601, UTC
    source: str = "link"        # how it was discovered: "sitemap", "feed", "link"
    listed_date: str | None = None  # the sitemap lastmod / feed date, if any
    headers: dict = field(default_factory=dict)
