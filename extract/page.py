"""Turn one page into an ExtractResult: an Article, or the reason there is none."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from .article import Article
from .body import extract_body
from .site import DEFAULT_SITE, SiteProfile


@dataclass
class ExtractResult:
    status: str  # "ok", "not_article", "empty", "failed"
    article: Article | None = None
    reason: str | None = None


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except Exception:
        return None


def extract_article(html: str, url: str, site: SiteProfile | None = None) -> ExtractResult:
    site = site or DEFAULT_SITE
    tree = parse_html(html)
    if tree is None:
        return ExtractResult("empty", reason="empty or unparsable page")
    text = extract_body(tree, url, site)
    if not text:
        return ExtractResult("empty", reason="no body text")
    article = Article(url=url, site=site.name, text=text)
    article.content_hash = article.compute_hash()
    return ExtractResult("ok", article)
