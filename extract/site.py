"""Site profiles: what the sites list says about one site.

A site needs only ``name`` and ``url``; every other key is an optional rule for
sites where the generic path is not enough.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    def from_dict(cls, entry: dict, where: str = "sites file", label: str | None = None) -> "SiteProfile":
        """A profile from one ``[[site]]`` table, every key checked: a mistake raises
        SiteConfigError naming the file, the site and the key."""
        label = label or "entry"
        if not isinstance(entry, dict):
            raise SiteConfigError(f"{where}: site {label}: must be a [[site]] table, got {type(entry).__name__}")
        name = entry.get("name")
        if isinstance(name, str) and name.strip():
            label = repr(name)

        def bad(key: str, problem: str) -> SiteConfigError:
            return SiteConfigError(f"{where}: site {label}: key {key!r}: {problem}")

        unknown = sorted(set(entry) - set(KNOWN_KEYS))
        if unknown:
            raise bad(unknown[0], f"unknown key (known keys: {', '.join(sorted(KNOWN_KEYS))})")
        if not isinstance(name, str) or not name.strip():
            raise bad("name", "required, a non-empty string")
        kwargs: dict = {"name": name, "url": _http_url(entry.get("url"), bad, "url", required=True)}
        for key in ("language", "timezone"):
            if key in entry:
                if not isinstance(entry[key], str) or not entry[key].strip():
                    raise bad(key, f"must be a non-empty string, got {entry[key]!r}")
                kwargs[key] = entry[key]
        if "timezone" in kwargs:
            try:
                ZoneInfo(kwargs["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise bad("timezone", f"unknown IANA time zone {kwargs['timezone']!r}") from None
        for key in ("drop_selectors", "article_patterns", "exclude_patterns", "start_urls", "sitemaps", "feeds",
                    "football_focus"):
            if key not in entry:
                continue
            value = [entry[key]] if isinstance(entry[key], str) else entry[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(key, f"must be a string or a list of strings, got {entry[key]!r}")
            for v in value:
                if key.endswith("_patterns"):
                    try:
                        re.compile(v)
                    except re.error as exc:
                        raise bad(key, f"invalid regex {v!r}: {exc}") from None
                elif key != "drop_selectors" and urlsplit(v).scheme:
                    _http_url(v, bad, key)
            kwargs[key] = tuple(value)
        if "verify_certificates" in entry:
            if not isinstance(entry["verify_certificates"], bool):
                raise bad("verify_certificates", f"must be true or false, got {entry['verify_certificates']!r}")
            kwargs["verify_certificates"] = entry["verify_certificates"]
        if "max_articles" in entry:
            value = entry["max_articles"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise bad("max_articles", f"must be a positive integer, got {value!r}")
            kwargs["max_articles"] = value
        return cls(**kwargs)


def _http_url(value, bad, key: str, required: bool = False) -> str:
    if value is None and not required:
        return value
    if not isinstance(value, str) or not value.strip():
        raise bad(key, f"required, an http(s) URL, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad(key, f"must be an http(s) URL with a host, got {value!r}")
    try:
        port = parts.port
    except ValueError:
        raise bad(key, f"impossible port in {value!r}") from None
    if port == 0:
        raise bad(key, f"impossible port in {value!r}")
    return value


def load_sites(path: str | Path) -> list[SiteProfile]:
    """Read and validate a sites TOML file (``[[site]]`` tables), before any request."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteConfigError(f"sites file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError(f"sites file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"sites file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"site"})
    if unknown:
        raise SiteConfigError(f"{path}: unknown top-level key {unknown[0]!r} (sites are [[site]] tables)")
    entries = data.get("site", [])
    if not isinstance(entries, list) or not entries:
        raise SiteConfigError(f"sites file {path} has no [[site]] entries")
    sites = [SiteProfile.from_dict(e, str(path), f"#{i}") for i, e in enumerate(entries, 1)]
    seen: set[str] = set()
    for site in sites:
        if site.name in seen:
            raise SiteConfigError(f"{path}: site {site.name!r}: key 'name': duplicate site name")
        seen.add(site.name)
    return sites


DEFAULT_SITE = SiteProfile(name="unknown", url="http://localhost/")
