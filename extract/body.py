"""Article body: trafilatura at the core, then boilerplate rules on its paragraphs."""

from __future__ import annotations

import copy
import re
from functools import lru_cache

import trafilatura
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from . import boilerplate
from .boilerplate import is_boilerplate_paragraph, normalize_paragraph
from .site import SiteProfile

# switches, for measurement by benchmarks/extraction_quality.py (production uses the defaults)
OPTIONS = {
    "preclean": True,
    "paragraph_rules": True,
    "title_dedup": True,
}


@lru_cache(maxsize=256)
def _css(selector: str) -> CSSSelector | None:
    try:
        return CSSSelector(selector)
    except Exception:  # an invalid selector in a site profile must not lose the page
        return None


def _page_language(tree: lxml_html.HtmlElement, site: SiteProfile | None) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang")
    if not lang:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                lang = meta.get("content")
                break
    if lang:
        lang = lang.strip().lower()[:2]
        if re.fullmatch(r"[a-z]{2}", lang):
            return lang
    return site.language.lower()[:2] if site and site.language else None


def _drop(elements) -> None:
    for el in elements:
        parent = el.getparent()
        if parent is None:
            continue
        # keep the tail text: it belongs to the parent, not to the dropped element
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _preclean(tree: lxml_html.HtmlElement, site: SiteProfile | None) -> lxml_html.HtmlElement:
    """A copy of ``tree`` without the site's drop_selectors and the generic noise containers."""
    tree = copy.deepcopy(tree)
    if site is not None:
        for selector in site.drop_selectors:
            css = _css(selector)
            if css is not None:
                _drop(css(tree))
    if OPTIONS["preclean"]:
        _drop(boilerplate.find_noise_containers(tree))
    return tree


def _titles(tree: lxml_html.HtmlElement) -> set[str]:
    titles = set()
    for el in tree.iterfind(".//title"):
        if el.text:
            titles.add(normalize_paragraph(el.text))
    for el in tree.iterfind(".//h1"):
        titles.add(normalize_paragraph(el.text_content()))
    for meta in tree.iterfind(".//meta[@property]"):
        if meta.get("property") in ("og:title", "twitter:title") and meta.get("content"):
            titles.add(normalize_paragraph(meta.get("content")))
    titles.discard("")
    return titles


def _is_title(paragraph: str, titles: set[str]) -> bool:
    norm = normalize_paragraph(paragraph)
    if not norm or len(norm) < 10:
        return False
    return any(norm == t or (t.startswith(norm) and len(norm) > 0.6 * len(t)) for t in titles)


def clean_paragraphs(
    paragraphs: list[str],
    language: str | None,
    titles: set[str] = frozenset(),
    learned: frozenset[str] = frozenset(),
) -> list[str]:
    kept = []
    for n, para in enumerate(paragraphs):
        if learned and normalize_paragraph(para) in learned:
            continue
        if OPTIONS["title_dedup"] and n < 3 and not kept and _is_title(para, titles):
            continue
        if OPTIONS["paragraph_rules"] and is_boilerplate_paragraph(para, language):
            continue
        kept.append(para)
    return kept


def extract_body(
    tree: lxml_html.HtmlElement,
    url: str,
    site: SiteProfile | None = None,
    learned: frozenset[str] = frozenset(),
) -> str | None:
    """Return the clean body text (paragraphs separated by blank lines), or None.

    ``tree`` is not modified. ``site.drop_selectors`` (CSS) are removed before extraction;
    paragraphs whose ``normalize_paragraph`` form is in ``learned`` are dropped.
    """
    language = _page_language(tree, site)
    work = _preclean(tree, site)
    result = trafilatura.extract(
        work,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    if not result:
        return None
    paragraphs = [p.strip() for p in result.split("\n") if p.strip()]
    paragraphs = clean_paragraphs(paragraphs, language, _titles(tree), learned)
    return "\n\n".join(paragraphs) or None
