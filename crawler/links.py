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

The links of an article page are read in the extraction worker, which has the page anyway
(``links_in`` on the tree ``page_tree`` parses, as Scrapy's selector would, and ``link_targets``
for the spider's filters); the crawl process reads them itself (``site_links`` on the response)
only for listings, which it parses for their next pages, and when the worker gave none (it died,
ran out of time). This module does not import Scrapy: the workers do not load it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from w3lib.html import get_base_url as base_url_of_text
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from crawler.pagination import is_other_page
from extract.urls import canonicalize, looks_like_article, registered_host, same_site

# scrapy.linkextractors.IGNORED_EXTENSIONS (Scrapy 2.19), copied so that the extraction workers
# need not import Scrapy; tests/test_links.py checks it is still Scrapy's list
IGNORED_EXTENSIONS = [
    # archives
    "7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip",
    # images
    "mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai", "drw", "dxf",
    "eps", "ps", "svg", "cdr", "ico", "webp",
    # audio
    "mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff",
    # video
    "3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v", "flv", "webm",
    # office suites
    "xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps", "doc", "docb", "docm",
    "docx", "dotm", "dotx", "odt", "ods", "odg", "odp",
    # other
    "css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk", "jar", "sh", "rb", "js", "hta", "bat", "cpl",
    "msi", "msp", "py",
]
# URLs never worth a request: admin, login, search, feeds of comments, static files.
JUNK_URL = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-content|wp-includes|cgi-bin|login|logout|"
    r"register|account|cart|checkout|my-account|search|cerca|ricerca)(/|$|\?)|/comments/feed|"
    r"[?&](replytocom|share|print|action|output)=|(/|/index\.php)\?(s|q|search)=|/(print|stampa)/?$|/feed/?$",
    re.I,
)

_HREFS = etree.XPath("//a/@href | //area/@href", smart_strings=False)
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
    from scrapy.http import HtmlResponse
    from scrapy.utils.response import get_base_url

    if not isinstance(response, HtmlResponse):
        from scrapy.linkextractors import LinkExtractor

        extractor = LinkExtractor(unique=True, canonicalize=False, tags=("a", "area"), attrs=("href",))
        return [link.url for link in extractor.extract_links(response)]
    return links_in(response.selector.root, response.url, get_base_url(response), response.encoding, site_host)


def page_tree(text: str, url: str, encoding: str):
    """(the root Scrapy's selector parses from an HTML response's ``text``, the response's base
    URL): what ``response.selector.root`` and ``get_base_url(response)`` give, without Scrapy."""
    from parsel import Selector

    base_url = base_url_of_text(text[0:4096], url, encoding)
    return Selector(text=text, type="html", base_url=base_url).root, base_url


def links_in(root, url: str, base_url: str, encoding: str, site_host: str) -> list[str]:
    """``site_links`` of the page at ``url`` parsed as ``root`` (an lxml HTML tree)."""
    base = registered_host(site_host.lower())
    base_scheme, _, base_rest = base_url.partition(":")
    relative_ok = base_scheme.lower() in ("http", "https") and _maybe_on(_host_of(base_rest), base)
    seen: set[str] = set()
    out: list[str] = []
    for href in _HREFS(root):
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
            link = urljoin(url, safe_url_string(urljoin(base_url, href), encoding=encoding))
        except ValueError:
            continue
        if link in seen or _ignored_extension(link):
            continue
        seen.add(link)
        out.append(link)
    return out


def link_targets(links: list[str], profile, here: str) -> list[tuple[str, bool]]:
    """The links the spider follows from the page ``here`` (canonical) of the site ``profile``:
    (canonical URL, looks like an article), in the page's order. Links to other sites, junk
    (actions, logins, searches), excluded URLs and the listing's own other pages (followed as
    next pages) are left out; what was already requested, and the caps, are the spider's."""
    out: list[tuple[str, bool]] = []
    for link_url in links:
        if JUNK_URL.search(link_url):  # before canonicalising: "?share=facebook" is an action, not a page
            continue
        url = canonicalize(link_url, profile.host)
        if not same_site(url, profile.url) or JUNK_URL.search(url):
            continue
        if any(re.search(p, url) for p in profile.exclude_patterns):
            continue
        if is_other_page(url, here):  # page 2, 3 … of this listing: followed by _next_pages
            continue
        out.append((url, looks_like_article(url, profile.article_patterns, profile.exclude_patterns)))
    return out
