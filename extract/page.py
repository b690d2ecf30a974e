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
from .article import Article
from .body import read_body
from .confidence import extraction_confidence
from .jsonld import types_of
from .site import DEFAULT_SITE, SiteProfile
from .urls import looks_non_article

MIN_ARTICLE_CHARS = 250
# Without a publication date, a page is still an article when its body is this long and
# nothing says it is a listing: many real articles carry no machine-readable date.
MIN_UNDATED_CHARS = 1000
NON_ARTICLE_TYPES = {"collectionpage", "profilepage", "aboutpage", "contactpage", "searchresultspage", "itemlist"}
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# lxml refuses a decoded string that still declares its encoding (XHTML's <?xml … encoding=…?>)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# where a publication date comes from the page's own metadata (extract.metadata.published)
_METADATA_DATES = ("jsonld", "meta")


@dataclass
class ExtractResult:
    status: str  # "ok" | "not_article" | "empty" | "failed"
    article: Article | None = None
    reason: str | None = None
    failed_fields: list[str] = field(default_factory=list)
    jsonld_invalid: int = 0
    # what the page is (extract.article.PAGE_TYPES); None when it could not be told
    page_type: str | None = None
    # football entities the article is about (filled by the football step, when present)
    entities: list = field(default_factory=list)


_PARSER = lxml_html.HTMLParser(remove_comments=True, huge_tree=True)


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    html = _XML_DECLARATION.sub("", _C0.sub("", html or ""), count=1)
    if not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _listing(tree: lxml_html.HtmlElement) -> bool:
    """A page of teasers: several <article> blocks or many headline links (read from the tree
    before the body is extracted; ``_kind`` then lets a long body overrule it)."""
    if len(tree.xpath("//article")) >= 3:
        return True
    teaser_links = tree.xpath("//*[self::h2 or self::h3][.//a]")
    return len(teaser_links) >= 8


def _kind(page: md.PageData, published: str | None, published_source: str | None, text: str,
          listing: bool) -> str | None:
    """None when the page is an article, else why it is not."""
    url = page.url
    web_url = url.startswith(("http://", "https://"))
    # a URL pattern alone never refuses an article: a publication date in the page's metadata
    # (not a teaser's <time>) and an article-length body overrule it
    if web_url and looks_non_article(url, page.site.exclude_patterns, strict=False) and not (
        published_source in _METADATA_DATES and len(text) >= MIN_UNDATED_CHARS
    ):
        return "non-article URL"
    if page.article:
        return None
    types = set().union(*(types_of(n) for n in page.nodes)) if page.nodes else set()
    if types & NON_ARTICLE_TYPES:
        return "listing or profile page (JSON-LD type)"
    if not published and "webpage" in types:
        # the site describes its pages (Yoast and the like) and calls this one a plain
        # WebPage, with no date: an "about us" or a policy page, however long
        return "undated page that its structured data calls a WebPage"
    og_article = (page.first_meta("og:type") or "").lower() == "article"
    if og_article and published_source in ("meta", "time", "jsonld"):
        return None
    if listing and len(text) < 2000:  # an article with a related-stories box has both
        return "listing page"
    if not published and len(text) < MIN_UNDATED_CHARS:
        return "no publication date"
    if len(text) < MIN_ARTICLE_CHARS:
        return "too little text"
    return None


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
    if (web_url and looks_non_article(canonical, site.exclude_patterns, strict=False) and not page.article
            and published_source not in _METADATA_DATES):
        # a non-article URL and no date in the metadata: two signals, the body is not worth extracting
        result.status, result.reason = "not_article", "non-article URL"
        return result
    title = _field(result, "title", md.title, page)
    modified, modified_source = _field(result, "modified", md.modified, page, published, default=(None, None))
    fields = {
        "author": _field(result, "author", md.author, page),
        "section": _field(result, "section", md.section, page, title),
        "tags": _field(result, "tags", md.tags, page, default=[]),
        "description": _field(result, "description", md.description, page),
        "image": _field(result, "image", md.image, page),
        "paywall": bool(_field(result, "paywall", md.paywalled, page, default=False)),
    }
    declared_language = _field(result, "language", md.language, page, None)
    listing = _listing(tree)
    try:
        reading = read_body(tree, url, site, learned, copy_tree=False, html=html)
        text = reading.text or ""
    except Exception as exc:  # trafilatura can fail on pathological markup
        result.reason = f"body extraction failed: {type(exc).__name__}: {exc}"
        return result
    text = _C0.sub("", text)
    reason = _kind(page, published, published_source, text, listing)
    if reason:
        result.status, result.reason = "not_article", reason
        result.page_type = "listing" if "listing" in reason else None
        return result
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
    if article.author and not article.authors:
        article.authors = [name.strip() for name in article.author.split(",") if name.strip()]
    article.extraction_confidence = extraction_confidence(reading, text)
    article.content_hash = article.compute_hash()
    result.status, result.article, result.page_type = "ok", article, "article"
    return result
