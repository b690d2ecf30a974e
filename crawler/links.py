"""A page's links to its own site, read from the tree the response already parsed.

Scrapy's ``LinkExtractor`` resolves and normalises every link of a page (``urljoin``,
``safe_url_string``, the extension and scheme checks) before any domain filter: on the
article-extraction-benchmark pages, ~450 links each and nearly all of them to other sites,
that was 45 % of the crawl process's Python time. Here a cheap test on the link's text drops
the links that can never be on the site (another host, ``mailto:``, ``javascript:``) first;
the few left go through the same normalisation as ``LinkExtractor(unique=True,
canonicalize=False, tags=("a", "area"), attrs=("href",))`` with its default extension filter.
The test is conservative: a host it cannot read plainly (numeric, percent-encoded, non-ASCII)
is kept, and ``same_site`` decides afterwards as before.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from extract.urls import registered_host

_HREFS = etree.XPath("//a/@href | //area/@href", smart_strings=False)
_FALLBACK = LinkExtractor(unique=True, canonicalize=False, tags=("a", "area"), attrs=("href",))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_PLAIN_HOST = re.compile(r"^[a-z0-9.-]*[a-z-][a-z0-9.-]*$")  # a name with a letter: not a numeric form
_EXTENSIONS = {"." + e for e in IGNORED_EXTENSIONS}
_LAST_EXTENSIONS = {"." + e.rsplit(".", 1)[-1] for e in IGNORED_EXTENSIONS}  # "tar.gz" ends in ".gz"


def _ignored_extension(url: str) -> bool:
    """``url_has_any_extension(url, _EXTENSIONS)`` (LinkExtractor's default ``deny_extensions``)
    with one set look-up instead of 91 ``endswith`` calls and a full URL parse."""
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    if dot < 0 or path[dot:] not in _LAST_EXTENSIONS:
        return False
    return any(path.endswith(ext) for ext in _EXTENSIONS)


def _host_of(rest: str) -> str:
    """The host of ``//host[:port]/…``, lower-cased, without user info or port."""
    netloc = rest[2:]
    for sep in "/?#\\":
        netloc = netloc.split(sep, 1)[0]
    netloc = netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        return netloc.split("]", 1)[0] + "]"
    return netloc.split(":", 1)[0].lower().rstrip(".")


def _maybe_on(host: str, base: str) -> bool:
    """False only when ``host`` is plainly another site's name."""
    if not _PLAIN_HOST.fullmatch(host):
        return True  # numeric, IPv6, percent-encoded, non-ASCII: left to same_site
    return host == base or host.endswith("." + base) or base.endswith("." + host) or host == ""


def site_links(response, site_host: str) -> list[str]:
    """Absolute URLs of the page's ``<a>``/``<area>`` links that may be on the site of
    ``site_host``, in document order, each once (what ``LinkExtractor`` gives, less the
    links to other hosts)."""
    if not isinstance(response, HtmlResponse):
        return [link.url for link in _FALLBACK.extract_links(response)]
    base_url = get_base_url(response)
    base = registered_host(site_host.lower())
    base_scheme, _, base_rest = base_url.partition(":")
    relative_ok = base_scheme.lower() in ("http", "https") and _maybe_on(_host_of(base_rest), base)
    seen: set[str] = set()
    out: list[str] = []
    for href in _HREFS(response.selector.root):
        href = strip_html5_whitespace(href)  # an empty href is the page itself, as for LinkExtractor
        m = _SCHEME.match(href)
        if m:
            if m.group(1).lower() not in ("http", "https"):
                continue
            rest = href[m.end():]
            if rest.startswith("//") and not _maybe_on(_host_of(rest), base):
                continue
        elif href.startswith("//"):
            if not _maybe_on(_host_of(href), base):
                continue
        elif not relative_ok:
            continue
        try:  # LinkExtractor's steps, in its order
            url = urljoin(response.url, safe_url_string(urljoin(base_url, href), encoding=response.encoding))
        except ValueError:
            continue
        if url in seen or _ignored_extension(url):
            continue
        seen.add(url)
        out.append(url)
    return out
