"""Site profiles: what the sites list says about one site.

A site needs only ``name`` and ``url``; every other key is an optional rule for
sites where the generic path is not enough.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

KNOWN_KEYS = {
    "name": "short name, stored in articles.site",
    "url": "home page URL",
    "language": "ISO 639-1 code used when a page does not declare its language",
    "timezone": "IANA zone for times given without an offset (default Europe/Rome)",
    "drop_selectors": "CSS selectors of page parts that are never article text",
    "article_patterns": "regexes: a URL matching one is an article candidate",
    "exclude_patterns": "regexes: a URL matching one is never fetched",
    "start_urls": "extra discovery pages (sections) to crawl besides the home page",
    "sitemaps": "extra sitemap URLs, besides those named in robots.txt",
    "feeds": "extra RSS/Atom feed URLs",
    "verify_certificates": "false to accept an invalid TLS certificate (escape hatch)",
    "max_articles": "cap on article pages requested per run for this site",
    "football_focus": "gazetteer ids of the clubs the site is about (a club's fan site): evidence for ambiguous nicknames",
}


class SiteConfigError(ValueError):
    """The sites list is not usable; the message says which entry and why."""


@dataclass(frozen=True)
class SiteProfile:
    name: str
    url: str
    language: str | None = None
    timezone: str = "Europe/Rome"
    drop_selectors: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    verify_certificates: bool = True
    max_articles: int | None = None
    football_focus: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @classmethod
    def from_dict(cls, entry: dict) -> "SiteProfile":
        if not isinstance(entry, dict):
            raise SiteConfigError(f"site entry must be a table, got {entry!r}")
        name, url = entry.get("name"), entry.get("url")
        if not name or not isinstance(name, str):
            raise SiteConfigError(f"site entry without a 'name': {entry!r}")
        if not url or not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise SiteConfigError(f"site {name!r}: 'url' must be an http(s) URL, got {url!r}")
        unknown = set(entry) - set(KNOWN_KEYS)
        if unknown:
            raise SiteConfigError(
                f"site {name!r}: unknown keys {sorted(unknown)}; known keys: {sorted(KNOWN_KEYS)}"
            )
        kwargs: dict = {"name": name, "url": url}
        for key in ("language", "timezone"):
            if key in entry:
                kwargs[key] = str(entry[key])
        for key in ("drop_selectors", "article_patterns", "exclude_patterns", "start_urls", "sitemaps", "feeds",
                    "football_focus"):
            if key in entry:
                value = entry[key]
                if isinstance(value, str):
                    value = [value]
                kwargs[key] = tuple(str(v) for v in value)
        if "verify_certificates" in entry:
            kwargs["verify_certificates"] = bool(entry["verify_certificates"])
        if "max_articles" in entry:
            kwargs["max_articles"] = int(entry["max_articles"])
        return cls(**kwargs)


def load_sites(path: str | Path) -> list[SiteProfile]:
    """Read a sites TOML file (``[[site]]`` tables)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteConfigError(f"sites file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"sites file {path} is not valid TOML: {exc}") from None
    entries = data.get("site", [])
    if not entries:
        raise SiteConfigError(f"sites file {path} has no [[site]] entries")
    sites = [SiteProfile.from_dict(e) for e in entries]
    names = [s.name for s in sites]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SiteConfigError(f"sites file {path}: duplicate site names {sorted(dupes)}")
    return sites


DEFAULT_SITE = SiteProfile(name="unknown", url="http://localhost/")
