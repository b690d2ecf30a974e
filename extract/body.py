"""Article body: trafilatura at the core, then boilerplate rules on its paragraphs."""

from __future__ import annotations

import copy

import trafilatura
from lxml import html as lxml_html

from .site import SiteProfile


def extract_body(tree: lxml_html.HtmlElement, url: str, site: SiteProfile | None = None) -> str | None:
    """Return the clean body text (paragraphs separated by blank lines), or None."""
    result = trafilatura.extract(
        copy.deepcopy(tree),
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not result:
        return None
    paragraphs = [p.strip() for p in result.split("\n") if p.strip()]
    return "\n\n".join(paragraphs) or None
