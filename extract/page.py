"""Turn one page into an ExtractResult: an Article, or the reason there is none.

``extract_article(html, url, site)`` is a pure function of its arguments: no network,
no Scrapy, no database. It never raises for a bad page; a field that cannot be read is
None and named in ``ExtractResult.failed_fields``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from . import metadata as md
from . import walls
from .article import STORED_PAGE_TYPES, Article
from .body import read_body
from .caps import cap_fields
from .confidence import extraction_confidence
from .football import football_entities
from .liveblog import liveblog_text
from .pagetype import Signals, classify, read_signals
from .site import DEFAULT_SITE, SiteProfile

# page types a wall can hide behind: what the page would be if the wall were not there
WALL_CANDIDATES = STORED_PAGE_TYPES | {"error", "static"}
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ExtractResult:
    status: str  # "ok" | "not_article" | "empty" | "failed" | "blocked" (a wall, see extract.walls)
    article: Article | None = None
    reason: str | None = None
    failed_fields: list[str] = field(default_factory=list)
    jsonld_invalid: int = 0
    # what the page is (extract.article.PAGE_TYPES); None when it could not be told
    page_type: str | None = None
    # football entities the article is about (filled by the football step, when present)
    entities: list = field(default_factory=list)
    # fields cut to their cap (extract.caps), for the crawl's stats
    capped: list[str] = field(default_factory=list)


_PARSER = lxml_html.HTMLParser(remove_comments=True, huge_tree=True)
# lxml.html's own class lookup is a Python method called for every element proxy the tree
# hands out (a million calls over the 181 AEB pages, ~10 % of an extraction); the same classes
# from lxml's C lookup. Only lxml.html's form classes (FormElement, InputElement …: their
# .value/.inputs helpers, which nothing here uses) become plain HtmlElements.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)  # lxml refuses it on decoded text


# the characters _C0 removes, each looked for with ``in`` first (a C memchr scan: ~4x faster
# than the regex over a page that has none of them, which is nearly every page)
_C0_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))


def without_controls(text: str) -> str:
    """``text`` without C0 control characters (tab, newline and carriage return kept)."""
    return _C0.sub("", text) if any(c in text for c in _C0_CHARS) else text


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    html = without_controls(html or "")
    declaration = _XML_DECLARATION.match(html)  # (match: tried at the start only; sub scanned the whole page)
    if declaration:
        html = html[declaration.end():]
    if not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _field(result: ExtractResult, name: str, fn, *args, default=None):
    try:
        return fn(*args)
    except Exception:  # a field that cannot be read is None, never a lost page
        result.failed_fields.append(name)
        return default


def extract_article(
    html: str, url: str, site: SiteProfile | None = None, learned: frozenset[str] = frozenset()
) -> ExtractResult:
    site = site or DEFAULT_SITE
    if not isinstance(html, str):
        raise TypeError("extract_article takes decoded text, not bytes")
    try:
        return _extract(html, url, site, learned)
    except Exception as exc:  # hostile markup (RecursionError, MemoryError, lxml errors…): never raised
        return ExtractResult("failed", reason=f"extraction failed: {type(exc).__name__}: {exc}"[:500])


def _extract(html: str, url: str, site: SiteProfile, learned: frozenset[str]) -> ExtractResult:
    tree = parse_html(html)
    if tree is None:
        return ExtractResult("empty", reason="empty or unparsable page")
    result = ExtractResult("failed")
    page = md.PageData(tree, url, site)
    result.jsonld_invalid = page.jsonld_invalid
    canonical = _field(result, "url", md.canonical_url, page, default=url)
    # a stored file without a known URL (file://) is judged by its content alone
    web_url = canonical.startswith(("http://", "https://"))
    # Everything read from the tree comes first: the body extraction then cleans the tree in place.
    published, published_source = _field(result, "published", md.published, page, default=(None, None))
    title = _field(result, "title", md.title, page)
    modified, modified_source = _field(result, "modified", md.modified, page, published, default=(None, None))
    authors, publisher = _field(result, "author", md.byline, page, default=([], None))
    fields = {
        "authors": authors,
        "author": ", ".join(authors) or None,
        "publisher": publisher,
        "section": _field(result, "section", md.section, page, title),
        "tags": _field(result, "tags", md.tags, page, default=[]),
        "description": _field(result, "description", md.description, page),
        "image": _field(result, "image", md.image, page),
        "paywall": bool(_field(result, "paywall", md.paywalled, page, default=False)),
    }
    declared_language = _field(result, "language", md.language, page, None)
    # what the page is: its signals are read before the body extraction cleans the tree
    # (the URL it was fetched from: a canonical link that names the home page is a known CMS mistake)
    typed_url = url if url.startswith(("http://", "https://")) else canonical if web_url else None
    signals = _field(result, "page_type", read_signals, tree, typed_url, page.nodes, page.article,
                     page.first_meta("og:type"), site.exclude_patterns, page.attribute("itemtype"),
                     default=None) or Signals()
    live = _field(result, "text", liveblog_text, tree, page.nodes, site.timezone) if signals.maybe_liveblog else None
    try:
        reading = read_body(tree, url, site, learned, copy_tree=False, html=html)
        text = reading.text or ""
    except Exception as exc:  # trafilatura can fail on pathological markup
        result.reason = f"body extraction failed: {type(exc).__name__}: {exc}"
        return result
    text = without_controls(text)
    verdict = classify(signals, max(len(text), len(live or "")), published_source)
    result.page_type = verdict.page_type
    # a wall served instead of the article: only a short body can be one, and only on a page
    # that the other signals do not already call a listing, gallery, video or data page
    # (those have little prose and a cookie banner of their own)
    wall = None
    if len(text) < walls.SCAN_BELOW and verdict.page_type in WALL_CANDIDATES:
        served = reading.served_tree if reading.served_tree is not None else parse_html(html)  # the untouched page
        wall = _field(result, "walls", walls.detect, served, page.nodes, text)
    if wall is not None:  # never stored as an article
        result.status, result.page_type, result.reason = "blocked", "blocked", wall.reason
        if wall.kind != "paywall" or not text.strip():
            return result
        fields["paywall"] = True  # a teaser: handed on (archive.store keeps it only as a marked version)
    else:
        if verdict.page_type not in STORED_PAGE_TYPES:
            result.status, result.reason = "not_article", verdict.reason
            return result
        if verdict.page_type == "liveblog" and live and len(live) >= 0.5 * len(text):
            text = without_controls(live)  # every update, oldest first, with its time (unless it would lose the body)
        if len(text) < 40:
            result.status, result.reason = "empty", "no body text"
            return result
    article = Article(
        url=canonical,
        site=site.name,
        title=title,
        text=text,
        published=published,
        modified=modified,
        language=declared_language or md.guess_language(text),
        published_source=published_source,
        modified_source=modified_source,
        **fields,
    )
    result.capped = cap_fields(article)
    article.extraction_confidence = extraction_confidence(reading, text)
    article.content_hash = article.compute_hash()
    result.entities = _field(result, "entities", football_entities, title, text, fields["section"], fields["tags"],
                             site.football_focus, default=[])
    result.article = article
    if wall is None:
        result.status = "ok"
    return result
