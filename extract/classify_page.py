"""Typing a page the crawl reached only to discover links (home, sections, tags, info pages).

Cheaper than ``extract_article``: the page type is decided from the same signals
(``pagetype``) with the page's prose standing in for the extracted body, without running
trafilatura. A page that the signals call an article or a live blog (an article at a URL
that looked like a section) is extracted in full, so it is not lost.
"""

from __future__ import annotations

from . import metadata as md
from .article import STORED_PAGE_TYPES
from .page import ExtractResult, extract_article, parse_html
from .pagetype import classify, read_signals
from .site import DEFAULT_SITE, SiteProfile


def classify_page(html: str, url: str, site: SiteProfile | None = None,
                  learned: frozenset[str] = frozenset()) -> ExtractResult:
    site = site or DEFAULT_SITE
    tree = parse_html(html)
    if tree is None:
        return ExtractResult("empty", reason="empty or unparsable page")
    page = md.PageData(tree, url, site)
    try:
        _, source = md.published(page)
    except Exception:  # a date that cannot be read is no date
        source = None
    signals = read_signals(tree, url, page.nodes, page.article, page.first_meta("og:type"), site.exclude_patterns,
                           page.attribute("itemtype"))
    verdict = classify(signals, signals.prose_chars, source)
    if verdict.page_type in STORED_PAGE_TYPES:
        if signals.is_home:  # the site's front page: a listing, even when it opens with a whole story
            return ExtractResult("not_article", reason="listing: home page", page_type="listing")
        return extract_article(html, url, site, learned)
    return ExtractResult("not_article", reason=verdict.reason, page_type=verdict.page_type)
