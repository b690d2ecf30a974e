"""Article body: trafilatura at the core, then boilerplate rules on its paragraphs.

``extract_body(tree, url, site, learned)``:

1. works on a copy of the page, without the site's ``drop_selectors``, embedded posts and promo
   boxes (``extract.embeds``) and the generic noise containers of ``extract.boilerplate``
   (comment sections, related boxes, share bars, ad slots, standings widgets, hover cards); wrappers of the marked-up article body are protected from
   trafilatura's class-name heuristics; text laid out with ``<br>`` straight in a ``<div>`` gets
   its opening paragraph wrapped in a ``<p>``;
2. runs trafilatura in precision mode (fast: without its readability/jusText comparison) and
   compares that reading with independent readings of the page (``read_body``): the JSON-LD
   ``articleBody`` always, and, when a cheap signal says the body may be lost, trafilatura's
   balanced mode with its comparison on the page as served; a reading that is fuller and that
   the precision reading mostly misses wins (``_fuller``);
3. adds the paragraphs of a body split into sibling "chunks" that trafilatura left out;
4. drops boilerplate paragraphs: the page title repeated, datelines at the edges, paragraphs
   matching ``is_boilerplate_paragraph``, the link lists announced by a "Related:"/"Leggi anche"
   marker, and the learned boilerplate of the site.

Every step was measured on both development sets (benchmarks/RESULTS.md).
Pure: no I/O, the caller's tree is not modified; safe in worker processes (the only module state
is regex/selector caches, and ``OPTIONS``, which only benchmarks change).
"""

from __future__ import annotations

import copy
from collections import Counter
import html as html_lib
import re

from dataclasses import dataclass, field
from functools import lru_cache

import trafilatura
from trafilatura.settings import Extractor
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from . import boilerplate
from . import embeds
from . import jsonld
from .boilerplate import is_dateline, matching_rule, normalize_paragraph
from .metadata import TITLE_SEPARATORS
from .overlap import coverage, share_in, trigrams
from .site import SiteProfile
from .texts import text_of

# switches, for measurement by benchmarks/ (production uses the defaults)
OPTIONS = {
    "embeds": True,
    "promo_boxes": True,
    "preclean": True,
    "protect_body_wrappers": True,
    "paragraph_rules": True,
    "title_dedup": True,
    "datelines": True,
    "marker_lists": True,
    "split_chunks": True,
    "fill_holes": True,
    "lead": True,  # the standfirst right before the body, when the page's description says it is one  # blocks precision mode dropped between its own paragraphs, and the lead (_fill_holes)
    "wrap_leading_text": True,
    "short_fallback": True,
    "compare_readings": True,  # independent readings of the page, the fuller one wins (read_body)
    "unwrap_layout_tables": True,
    "mark_main_block": True,
    "ad_labels": True,
    "br_paragraphs": True,
    "head_code": True,
    "fast": True,  # skip trafilatura's readability/jusText comparison: same F1 here, a third faster
}

# a body shorter than this (characters) is retried: trafilatura's balanced mode, then JSON-LD
MIN_BODY_CHARS = 250

_LIST_ITEM = re.compile(r"^\s*[-•*–]\s+")
_SENTENCE_END = re.compile(r"[.!?…:;»”\"']\s*$")


@lru_cache(maxsize=256)
def _css(selector: str) -> CSSSelector | None:
    try:
        return CSSSelector(selector)
    except Exception:  # an invalid selector in a site profile must not lose the page
        return None


def page_language(tree: lxml_html.HtmlElement, site: SiteProfile | None = None) -> str | None:
    """ISO 639-1 code the page declares (``<html lang>``, Content-Language), else the site's."""
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


def _drop(elements) -> int:
    """Remove ``elements`` (keeping their tail text); returns how many characters of paragraphs went."""
    removed = 0
    for el in elements:
        parent = el.getparent()
        if parent is None:
            continue
        removed += sum(len(text_of(p)) for p in el.iter("p"))  # paragraphs, not menus
        # keep the tail text: it belongs to the parent, not to the dropped element
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    return removed


def _marked_bodies(tree: lxml_html.HtmlElement, source: str | None = None) -> list:
    """The elements marked itemprop=articleBody. ``source``, the page the tree was parsed from:
    when it does not even hold the word, the tree is not searched (a whole-tree XPath costs
    about ten times the string search, and four pages in five have no such mark)."""
    if source is not None and "articleBody" not in source:
        return []
    return tree.xpath('//*[@itemprop="articleBody"]')


def _protect_body_wrappers(tree: lxml_html.HtmlElement, source: str | None = None) -> None:
    """Clear class/id of the ancestors of a marked-up article body (itemprop=articleBody).

    trafilatura drops containers by class-name tokens ("slide", "bar", "meta" …); a wrapper that
    holds the article body is never boilerplate, whatever its class says.
    """
    for body in _marked_bodies(tree, source)[:1]:
        for anc in body.iterancestors():
            if anc.tag in ("body", "html"):
                break
            for attr in ("class", "id"):
                if attr in anc.attrib:
                    del anc.attrib[attr]


_INLINE_TAGS = frozenset({"a", "em", "i", "b", "strong", "span", "u", "sup", "sub", "small", "mark", "abbr", "cite", "q"})


def _wrap_leading_text(tree: lxml_html.HtmlElement) -> None:
    """Put the long text that opens a <div> (before its first child) into a <p> of its own.

    Bodies written as text and <br>s straight inside a <div> otherwise lose that first
    paragraph in trafilatura, which keeps only the text it finds in or after child elements.
    """
    for div in tree.iter("div"):
        text = div.text
        if (
            text
            and len(text) >= 80
            and len(text.strip()) >= 80
            and div.find("br") is not None  # text laid out with <br>s, not a <div> used as a <p>
        ):
            p = lxml_html.Element("p")
            p.text = text
            # the inline elements that continue the first sentence (<em>, <a> …) go with it
            while len(div) and div[0].tag in _INLINE_TAGS:
                p.append(div[0])
            div.text = None
            div.insert(0, p)



_BR_CONTAINERS = ("div", "td", "th", "font", "article", "section", "main", "center")


def _running_text(el) -> int:
    size = len((el.text or "").strip())
    for child in el:
        size += len((child.tail or "").strip())
    return size


def _br_paragraphs(tree: lxml_html.HtmlElement) -> None:
    """Text laid out with <br>s ("para one<br><br>para two") becomes <p>s, as readability does:
    trafilatura then sees paragraphs instead of one run (or loses the runs between blocks)."""
    # the containers with a <br> of their own, found from the <br>s (fewer than the containers)
    with_br = {br.getparent() for br in tree.iter("br")}
    if not with_br:
        return
    for el in list(tree.iter(*_BR_CONTAINERS)):
        if el not in with_br or _running_text(el) < 200:
            continue
        parts: list = []
        current = lxml_html.Element("p")
        current.text = el.text

        def close():
            nonlocal current
            if (current.text and current.text.strip()) or len(current):
                parts.append(current)
            current = lxml_html.Element("p")

        for child in list(el):
            if child.tag == "br":
                close()
                current.text = child.tail
            elif not isinstance(child.tag, str) or child.tag in _INLINE_TAGS or child.tag == "font":
                current.append(child)  # keeps its tail
            else:
                close()
                tail, child.tail = child.tail, None
                parts.append(child)
                current.text = tail
        close()
        el.text = None
        for child in list(el):
            el.remove(child)
        el.extend(parts)


_BLOCK_TAGS = {"p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "form", "blockquote"}
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}


def _is_layout_table(table) -> bool:
    """A table used for page layout (old sites), not for data: one column only, or cells
    holding blocks (paragraphs, other tables) or running text. Data tables (standings,
    fixtures) have several columns of short cells."""
    rows = [r for r in table.iter("tr") if next(r.iterancestors("table"), None) is table]
    if rows and all(len([c for c in r if c.tag in ("td", "th")]) <= 1 for r in rows):
        return True
    for cell in table.iter("td", "th"):
        if any(child.tag in _BLOCK_TAGS for child in cell.iterchildren()):
            return True
        text = " ".join(cell.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
        if len(" ".join(text.split())) >= 200:
            return True
    return False


def _unwrap_layout_tables(tree: lxml_html.HtmlElement) -> None:
    """Turn layout tables into plain blocks, so trafilatura reads them as text, not as one
    table of cells joined by pipes; data tables (short cells) stay tables."""
    layout = {t for t in tree.iter("table") if _is_layout_table(t)}
    if not layout:
        return
    parts = []
    for el in tree.iter(*_TABLE_PARTS):
        owner = el if el.tag == "table" else next(el.iterancestors("table"), None)
        if owner in layout:
            parts.append(el)
    for el in parts:
        el.tag = "div"


_MAIN_CLASS = re.compile(r"content|entry|post|article|story")
_TEXT_BLOCK_TAGS = ("div", "td", "font", "section", "span", "center", "blockquote")


def _own_text(el) -> int:
    """Characters of running text directly in ``el``: its text, its children's tails, its <p> children."""
    size = len((el.text or "").strip())
    for child in el:
        if child.tag == "p":
            size += len(text_of(child).strip())
        elif child.tag in ("b", "i", "em", "strong", "a", "br", "span", "u"):
            size += len(text_of(child).strip()) if child.tag != "br" else 0
        size += len((child.tail or "").strip())
    return size


def _mark_main_block(tree: lxml_html.HtmlElement) -> None:
    """Pages with no semantic or conventional content container (old table layouts, Italian
    class names such as "testo"): the block with the most running text becomes <article>, so
    trafilatura extracts it whole, subheadings included, instead of recovering loose <p>s."""
    if tree.find(".//article") is not None or tree.find(".//main") is not None:
        return
    if _MAIN_CLASS.search(" ".join(tree.xpath("//@class|//@id|//@itemprop|//@role")).lower()):
        return
    sizes = sorted(((_own_text(el), i, el) for i, el in enumerate(tree.iter(*_TEXT_BLOCK_TAGS))), reverse=True)
    if not sizes:
        return
    best_size, _, best = sizes[0]
    runner_up = sizes[1][0] if len(sizes) > 1 else 0
    total = sum(size for size, _, _ in sizes) + _own_text(tree.find("body") if tree.find("body") is not None else tree)
    # only when one block clearly holds the text: a body split in several blocks is left alone
    if best_size >= MIN_BODY_CHARS and (best_size >= 0.5 * total or best_size >= 3 * runner_up):
        best.tag = "article"


_AD_LABEL = re.compile(
    r"^(pubblicit[àa]|annuncio pubblicitario|annunci|advertisement|advertising|ad|ads|sponsor(ed|izzato)?|"
    r"contenuto sponsorizzato|publicidad|anzeige|publicité|werbung)$",
    re.I,
)


def _visible_text(el) -> str:
    return " ".join(" ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")).split())


def _drop_ad_labels(tree: lxml_html.HtmlElement) -> None:
    """Ad slots whose only visible text is their label ("Pubblicità", "Annuncio
    pubblicitario"): removed whole, the text that follows them kept."""
    slots = []
    for el in tree.iter():
        if el.tag in ("script", "style") or not isinstance(el.tag, str):
            continue
        text = el.text
        if not text or len(text) > 60 or not _AD_LABEL.match(text.strip(" :-\n\t\xa0")):
            continue
        # climb while the container shows nothing but the label
        while el.getparent() is not None and el.getparent().tag not in ("body", "html", "article", "main"):
            if not _AD_LABEL.match(_visible_text(el.getparent()).strip(" :-")):
                break
            el = el.getparent()
        if _AD_LABEL.match(_visible_text(el).strip(" :-")):
            slots.append(el)
    _drop(slots)


def _preclean(tree: lxml_html.HtmlElement, site: SiteProfile | None, copy_tree: bool = True,
              stats: dict | None = None, source: str | None = None) -> lxml_html.HtmlElement:
    """``tree`` (a copy, unless ``copy_tree`` is false) without the site's drop_selectors and the
    generic noise containers; ``stats["removed"]`` gets the characters of text removed.
    ``source``: the page ``tree`` was parsed from, when known (lets steps skip searches for
    markup the page does not hold)."""
    if copy_tree:
        tree = copy.deepcopy(tree)
    removed = 0
    if site is not None:
        for selector in site.drop_selectors:
            css = _css(selector)
            if css is not None:
                removed += _drop(css(tree))
    for name, step in _PRECLEAN_STEPS:
        if OPTIONS[name]:
            removed += step(tree, source) or 0
    if stats is not None:
        stats["removed"] = removed
    return tree


# In this order; each can be switched off by name for measurement (benchmarks --without).
# Each step takes the tree and the page's source (or None).
_PRECLEAN_STEPS = (
    ("embeds", lambda tree, source: _drop(embeds.find_embeds(tree))),
    ("promo_boxes", lambda tree, source: _drop(embeds.find_promo_boxes(tree))),
    ("preclean", lambda tree, source: _drop(boilerplate.find_noise_containers(tree))),
    ("protect_body_wrappers", _protect_body_wrappers),
    ("ad_labels", lambda tree, source: _drop_ad_labels(tree)),
    ("unwrap_layout_tables", lambda tree, source: _unwrap_layout_tables(tree)),
    ("mark_main_block", lambda tree, source: _mark_main_block(tree)),
    ("wrap_leading_text", lambda tree, source: _wrap_leading_text(tree)),
    ("br_paragraphs", lambda tree, source: _br_paragraphs(tree)),
    ("head_code", lambda tree, source: _drop_head_code(tree)),
)


_HEAD_CODE = frozenset({"script", "style", "link", "noscript", "template"})


def _describes(meta) -> bool:
    """A <meta> giving the page's description (the standfirst test reads them after trafilatura)."""
    return meta.get("name") in ("description", "twitter:description") or meta.get("property") == "og:description"


def _drop_head_code(tree: lxml_html.HtmlElement) -> None:
    """The <head>'s scripts, styles, links, comments and metas other than the description: no
    text of the page, but every XPath trafilatura runs over the tree visits them (the <title>
    and the description metas stay; the page's metadata was read before the cleaning)."""
    head = tree.find("head")
    if head is not None:
        for el in list(head):
            if not isinstance(el.tag, str) or el.tag in _HEAD_CODE or (el.tag == "meta" and not _describes(el)):
                tail = el.tail
                head.remove(el)  # (white space between head elements: nothing to keep)
                if tail and tail.strip():
                    head.text = (head.text or "") + tail




def _titles(tree: lxml_html.HtmlElement) -> set[str]:
    titles = set()
    for el in tree.iterfind(".//title"):
        if el.text:
            titles.add(normalize_paragraph(el.text))
            # "Site name - Headline" / "Headline | Site name": the headline alone too
            titles.update(normalize_paragraph(part) for part in TITLE_SEPARATORS.split(el.text) if len(part) >= 20)
    for el in tree.iterfind(".//h1"):
        titles.add(normalize_paragraph(text_of(el)))
    for meta in tree.iterfind(".//meta[@property]"):
        if meta.get("property") in ("og:title", "twitter:title") and meta.get("content"):
            titles.add(normalize_paragraph(meta.get("content")))
    titles.discard("")
    return titles


def _is_title(paragraph: str, titles: set[str], at_start: bool) -> bool:
    norm = normalize_paragraph(paragraph)
    if len(norm) < 10:
        return False
    if norm in titles:
        return True
    # "<title>" is often "Headline | Site name": at the start, a paragraph that is most of it
    return at_start and any(t.startswith(norm) and len(norm) > 0.6 * len(t) for t in titles)


def _without_title_prefix(paragraph: str, headings: set[str]) -> str:
    """The opening paragraph without the page's <h1> glued in front of it ("Headline First
    sentence…", as a reading of <h1> and <p> without a break gives it). Only the <h1>: an
    opening sentence that starts with the words of og:title or <title> is the article's own."""
    words = paragraph.split()
    for n in range(4, min(len(words) - 3, 40)):
        if normalize_paragraph(" ".join(words[:n])) in headings:
            return " ".join(words[n:])
    return paragraph


def _title_like(paragraph: str) -> bool:
    """A link title: a list item, or a short line that does not end a sentence."""
    if _LIST_ITEM.match(paragraph):
        return True
    return len(paragraph.split()) <= 20 and not _SENTENCE_END.search(paragraph)


def clean_paragraphs(
    paragraphs: list[str],
    language: str | None,
    titles: set[str] = frozenset(),
    learned: frozenset[str] = frozenset(),
) -> list[str]:
    """The paragraphs that are article text, in order."""
    kept: list[str] = []
    in_marker_list = False
    last = len(paragraphs) - 1
    for n, para in enumerate(paragraphs):
        if learned and normalize_paragraph(para) in learned:
            continue
        if in_marker_list:
            if _title_like(para):
                continue
            in_marker_list = False
        if OPTIONS["title_dedup"] and _is_title(para, titles, at_start=not kept and n < 3):
            continue
        if OPTIONS["datelines"] and (not kept or n == last) and is_dateline(para):
            continue
        if OPTIONS["paragraph_rules"]:
            rule = matching_rule(para, language)
            if rule:
                # "Related:" alone, or "Leggi anche" with nothing after it, announces a list of links
                if OPTIONS["marker_lists"] and rule in boilerplate.MARKER_RULES and len(para.split()) <= 5:
                    in_marker_list = True
                continue
        kept.append(para)
    # a body never ends on the heading of a widget that trafilatura let through ("Classifica")
    while kept and _TRAILING_WIDGET_HEADING.match(kept[-1].strip()):
        kept.pop()
    return kept


_TRAILING_WIDGET_HEADING = re.compile(
    r"^(la\s+)?(classifica|classifiche|risultati|calendario|marcatori|prossimo turno|ultime notizie|"
    r"ultim'ora|i più letti|più letti|più lette|video|foto|gallery|fotogallery|tag|tags|argomenti|"
    r"standings|results|fixtures|most read|latest news)(\s+(serie\s+[abc]|di\s+serie\s+[abc]|live))?\s*[:.]?$",
    re.I,
)


_CHUNK_TAGS = ("p", "h2", "h3", "h4")
_MIN_CHUNK_CHARS = 400


def _key(text: str) -> str:
    return _block_key(text)[:80]


def _link_share(el) -> float:
    total = len(text_of(el)) or 1
    return sum(len(text_of(a)) for a in el.iter("a")) / total


def _add_split_chunks(work: lxml_html.HtmlElement, paragraphs: list[str], texts: dict | None = None) -> list[str]:
    """Paragraphs of a body split into sibling containers ("chunks" around ad slots) that trafilatura left out.

    The container of the extracted paragraphs is found in the page; elements of the same tag and
    class near it (sharing an ancestor at most three levels up, no <h1> inside, mostly not links,
    400+ characters of paragraphs) are chunks of the same body: their paragraphs are added in
    document order.
    """
    keys = {_key(p): i for i, p in enumerate(paragraphs) if len(p) >= 40}
    if not keys:
        return paragraphs
    if texts is None:
        texts = _element_texts(work)
    position = {}
    containers: dict = {}
    for n, el in enumerate(work.iter(_CHUNK_TAGS)):
        position[el] = n
        k = _key(texts[el])
        if k in keys:
            parent = el.getparent()
            if parent is not None:
                containers[parent] = containers.get(parent, 0) + 1
    if not containers:
        return paragraphs
    container = max(containers, key=containers.get)
    cls = container.get("class")
    if not cls:
        return paragraphs
    ancestors = [a for _, a in zip(range(3), container.iterancestors())]
    ancestor_set = set(ancestors)
    added = []
    for twin in work.iter(container.tag):
        if twin is container or twin.get("class") != cls or container in twin.iterancestors():
            continue
        if not any(a in ancestor_set for _, a in zip(range(3), twin.iterancestors())):
            continue
        if twin.find(".//h1") is not None:
            continue
        items = [el for el in twin.iter(_CHUNK_TAGS) if el in position]
        found = [(position[el], " ".join(texts[el].split())) for el in items]
        found = [(pos, t) for pos, t in found if t and _key(t) not in keys]
        if sum(len(t) for _, t in found) < _MIN_CHUNK_CHARS or _link_share(twin) > 0.3:
            continue
        added.extend(found)
    if not added:
        return paragraphs
    # place the extracted paragraphs at their positions in the page; unmatched ones follow the previous
    placed = []
    last = -1.0
    by_key = {}
    for el, pos in position.items():
        by_key.setdefault(_key(texts[el]), pos)
    for i, para in enumerate(paragraphs):
        pos = by_key.get(_key(para)) if len(para) >= 40 else None
        last = float(pos) if pos is not None and pos > last else last + 1e-3
        placed.append((last, para))
    placed.extend((float(pos), text) for pos, text in added)
    placed.sort(key=lambda x: x[0])
    return [p for _, p in placed]


@lru_cache(maxsize=8)
def _extractor(precision: bool, fast: bool) -> Extractor:
    """trafilatura's options for one kind of reading, built once: building them reads its
    configuration (about 0.15 ms a call); trafilatura never changes a shared one."""
    return Extractor(comments=False, tables=True, precision=precision, dedup=False, fast=fast)


def _trafilatura_text(work: lxml_html.HtmlElement, url: str, precision: bool, fast: bool | None = None) -> str:
    options = copy.copy(_extractor(precision, OPTIONS["fast"] if fast is None else fast))
    options.url = options.source = url  # (what Extractor(url=url) sets: for its log lines)
    result = trafilatura.extract(work, url=url, options=options)
    return result or ""


_TAG = re.compile(r"<[^>]{0,400}>")


def _jsonld_body(tree: lxml_html.HtmlElement, url: str, source: str | None = None) -> str:
    """The page's JSON-LD articleBody, when the page's visible text holds its opening words.
    ``source``: the page ``tree`` was parsed from, when known (without the word, it has none)."""
    if source is not None and "articleBody" not in source:
        return ""
    try:
        nodes, _ = jsonld.read_nodes(tree)
        node = jsonld.article_node(nodes, url)
    except Exception:  # tolerant: JSON-LD is a fallback, never a reason to fail
        return ""
    body = node.get("articleBody") if isinstance(node, dict) else None
    if not isinstance(body, str) or len(body) < MIN_BODY_CHARS:
        return ""
    body = html_lib.unescape(_TAG.sub("\n", body))
    # consistent with the page: its first 12 words appear in the text a reader sees
    head = " ".join(body.split()[:12]).casefold()
    seen = []
    for el in tree.iter("p", "div", "span", "li", "td"):
        if el.text:
            seen.append(el.text)
        if el.tail:
            seen.append(el.tail)
    page_text = " ".join(" ".join(seen).split()).casefold()
    return body if head and head in page_text else ""


# --------------------------------------------------------------------------- readings
# The precision reading (trafilatura's precision mode on the pre-cleaned page) is the default. It
# is compared with independent readings of the same page, and loses to a fuller one when it covers
# less than half of what that reading holds (see ``_choose``). The costly independent reading
# (trafilatura's balanced mode on the page as served, without our pre-cleaning) runs only when a
# cheap signal says the precision reading may have lost the body (``_suspect``).

# the fuller reading wins when it is this much longer and the precision reading covers less of it
FULLER_RATIO = 1.2
MIN_COVERAGE = 0.5
# a JSON-LD articleBody this much longer than the precision reading (and covered less than
# MIN_COVERAGE by it) makes it suspect
SUSPECT_RATIO = 1.5
# ... and so does a page whose <p>s hold this many times the body's text (and this much more)
PARAGRAPH_MASS_RATIO = 3
PARAGRAPH_MASS_EXTRA = 1000


@dataclass
class BodyReading:
    """The body and the evidence behind it (for ``extract.confidence``)."""

    text: str | None
    chosen: str = "precision"  # precision | balanced (cleaned page) | page (as served) | jsonld | none
    precision_chars: int = 0
    # characters of the independent readings taken: balanced (trafilatura on the page as served),
    # structural (the marked-up article block), jsonld (articleBody); None when not taken
    balanced_chars: int | None = None
    structural_chars: int | None = None
    jsonld_chars: int | None = None
    # share of the best independent reading's word trigrams found in the chosen text (0–1), None
    # when no independent reading was there to compare
    agreement: float | None = None
    removed_chars: int = 0  # text the pre-cleaning removed
    paragraphs: list[str] = field(default_factory=list)
    # the page as served, parsed anew for the independent reading (trafilatura reads a copy of
    # it, so it is untouched: the wall scan can use it instead of parsing the page again)
    served_tree: object = None


def _structural_text(tree: lxml_html.HtmlElement, source: str | None = None) -> str:
    """The text of the page's marked-up article block: itemprop=articleBody, else the largest
    top-level <article>, else <main> (what a reader mode would take), paragraph by paragraph.
    ``source``: the page ``tree`` was parsed from, when known."""
    blocks = _marked_bodies(tree, source)
    if not blocks:
        # (tag walks in document order: a few elements, cheaper than the XPaths' tests of every node)
        blocks = [el for el in tree.iter("article") if next(el.iterancestors("article"), None) is None]
        blocks = blocks or list(tree.iter("main"))
    if not blocks:
        return ""
    block = max(blocks, key=lambda el: len(text_of(el)))
    parts = [" ".join(text_of(el).split()) for el in block.iter("p", "li", "h2", "h3", "blockquote", "pre")]
    return "\n".join(p for p in parts if len(p) >= 20)


def _clean(result: str, work, language, titles, learned) -> list[str]:
    paragraphs = [p.strip() for p in result.split("\n") if p.strip()]
    if work is not None and (OPTIONS["split_chunks"] or OPTIONS["fill_holes"]):
        texts = _element_texts(work)
        if OPTIONS["split_chunks"]:
            paragraphs = _add_split_chunks(work, paragraphs, texts)
        if OPTIONS["fill_holes"]:
            paragraphs = _fill_holes(work, paragraphs, texts)
    return clean_paragraphs(paragraphs, language, titles, learned)


def _element_texts(work) -> dict:
    """The text of every block element of the cleaned page (p, headings, list items, quotes …), in
    document order, read once for the steps that match the reading's paragraphs to the page
    (serialising as text is about twice as fast as text_content(), same string)."""
    return {el: etree.tostring(el, method="text", encoding=str, with_tail=False) for el in work.iter(_HOLE_TAGS)}


# --------------------------------------------------------------------------- holes
# Precision mode drops whole blocks for reasons that are not about the block itself: a heading
# it deletes by link density or because it ends a section, an
# interview question in its own <p>. The page says where the body is (the blocks precision mode
# kept); a block between two of them, in the same page region, is part of that body unless it is
# link-dominated (an inline "Read also" teaser), a picture's caption, or a paragraph rule drops it.
# (The standfirst before the body stays out: it is the article's ``description``, and the
# article-extraction-benchmark's bodies leave it out while trafilatura-eval's keep it.)

_HOLE_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd")
_HOLE_SKIP_ANCESTORS = frozenset({"figure", "figcaption", "nav", "aside", "footer", "form", "table", "button", "select",
                                  "noscript"})
_HOLE_MAX_LINK_SHARE = 0.3
_HOLE_MAX_RUN = 3  # a longer run of blocks between two kept paragraphs is a widget, not a hole
_LEAD_MIN_CHARS = 60
_LEAD_MIN_SHARE = 0.8  # of the block's trigrams in the description, and of the description's in the block
_LEAD_LOOK_BACK = 3  # blocks looked at before the body ...
_LEAD_MAX_SKIPPED = 120  # ... past short ones only
_HOLE_MAX_HELD = 0.5  # a block whose trigrams the body already holds (in another form) is no hole
_WORD = re.compile(r"\w")
_NOT_TEXT = frozenset({"script", "style", "template", "noscript"})
_MEDIA = ("img", "picture", "video", "iframe", "svg")
_NOT_LEAF = frozenset(_HOLE_TAGS) | _NOT_TEXT


_KEY_EDGES = " \t\n\"'«»“”‘’.,;:!?-–—>|•*·"


def _block_key(text: str) -> str:
    """What a block and a paragraph of the reading are matched on (cheaper than normalize_paragraph:
    both sides come from the same page text)."""
    return _squashed_key(" ".join(text.split()))


def _squashed_key(text: str) -> str:
    """``_block_key`` of a text whose white space is already squashed (a block's text)."""
    return text.casefold().strip(_KEY_EDGES)


class _LazyTrigrams:
    """The trigrams of a text, computed the first time they are asked for."""

    __slots__ = ("text", "_value")

    def __init__(self, text: str):
        self.text, self._value = text, None

    def get(self) -> frozenset:
        if self._value is None:
            self._value = trigrams(self.text)
        return self._value


def _block_texts(work, texts: dict | None = None):
    """The page's text blocks in document order (innermost only), as (element, text); a block
    with a script or a style in it is no text block."""
    blocks = []
    for el, raw in (texts if texts is not None else _element_texts(work)).items():
        if len(el) and next(el.iterdescendants(*_NOT_LEAF), None) is not None:
            continue  # a container of blocks (its inner blocks stand for it), or code
        text = " ".join(raw.split())
        if text:
            blocks.append((el, text))
    return blocks


def _caption(el, parent) -> bool:
    """A picture's caption: the block, or the wrapper it shares with a picture, holds the picture."""
    if any(True for _ in el.iterdescendants(*_MEDIA)):
        return True
    return parent is not None and parent is el.getparent() and any(child.tag in _MEDIA for child in parent)


def _skipped(el) -> bool:
    for anc in el.iterancestors():
        if anc.tag in _HOLE_SKIP_ANCESTORS:
            return True
        if anc.tag == "body":
            return False
    return False


def _fill_holes(work, paragraphs: list[str], texts: dict | None = None) -> list[str]:
    """The precision reading with the blocks it dropped between its own paragraphs put back, in
    page order."""
    if len(paragraphs) < 2:
        return paragraphs
    blocks = _block_texts(work, texts)
    if len(blocks) < 3:
        return paragraphs
    index: dict[str, int] = {}
    for n, (_, text) in enumerate(blocks):
        index.setdefault(_squashed_key(text), n)
    normalized = [_block_key(p) for p in paragraphs]
    located = [index.get(key) for key in normalized]
    lines = sum(n is None for n in located) * 2 > len(located)
    if lines:
        # most paragraphs are lines of bigger blocks (posts, <br> layouts): a line of 40+
        # characters locates the block it is in
        keys = [(n, _squashed_key(text)) for n, (_, text) in enumerate(blocks)]
        for i, key in enumerate(normalized):
            if located[i] is None and len(key) >= 40:
                located[i] = next((n for n, k in keys if key in k), None)
    found = [n for n in located if n is not None]
    if len(found) < 2:
        return paragraphs
    first, last = min(found), max(found)
    taken = set(found)
    # every kept paragraph's text, to skip blocks it already holds (a merged or split paragraph)
    held = (" ".join(normalized), set(normalized))
    held_trigrams = _LazyTrigrams("\n".join(paragraphs))  # read only when a block gets that far
    # the containers the kept paragraphs sit in: a dropped block must sit in one of them, or in a
    # box or header inside one (a list item: its list), so that a widget elsewhere on the page
    # between two kept paragraphs stays out
    containers = {blocks[n][0].getparent() for n in found}
    # where the reading is made of lines of bigger blocks (a thread's posts, each in its own
    # wrapper), a block of the kind the body is made of (the tag and class of two or more kept
    # blocks) is part of it however wide the gap around it (the posters' menus in between)
    body_kinds: set = set()
    if lines:
        kinds = Counter(_kind(blocks[n][0]) for n in set(found))
        body_kinds = {kind for kind, count in kinds.items() if kind is not None and count >= 2}
    additions: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []
    for n in range(first + 1, last + 1):
        if n in taken:
            if len(run) <= _HOLE_MAX_RUN:
                additions.extend(run)
            run = []
            continue
        el, text = blocks[n]
        norm = _squashed_key(text)
        parent = el.getparent()
        if el.tag in ("li", "dt", "dd") and parent is not None:
            parent = parent.getparent()
        grandparent = parent.getparent() if parent is not None else None
        body_kind = bool(body_kinds) and _kind(el) in body_kinds
        if (not _WORD.search(norm) or _held(norm, held)
                or (parent not in containers and grandparent not in containers and not body_kind)
                or _skipped(el)
                or (not body_kind and _caption(el, parent)) or _link_share(el) > _HOLE_MAX_LINK_SHARE
                or share_in(text, held_trigrams.get()) >= _HOLE_MAX_HELD):
            run.append((n, ""))  # a block that is not taken still makes the gap wider
            continue
        if body_kind:
            additions.append((n, text))  # whatever the gap
            run.append((n, ""))
            continue
        run.append((n, text))
    additions = [(n, text) for n, text in additions if text]
    if OPTIONS["lead"]:
        lead = _lead_before(work, blocks, first, held, held_trigrams)
        if lead is not None:
            additions.append(lead)
    if not additions:
        return paragraphs
    placed: list[tuple[float, str]] = []
    position = -1.0
    for para, n in zip(paragraphs, located):
        position = float(n) if n is not None and n > position else position + 1e-3
        placed.append((position, para))
    placed.extend((float(n), text) for n, text in additions)
    placed.sort(key=lambda item: item[0])
    return [text for _, text in placed]


def _kind(el) -> tuple | None:
    """What kind of block this is: its tag and class, or (a plain <p> a layout made of <br>s)
    its tag and its parent's tag and class; None when nothing names it."""
    if el.get("class"):
        return el.tag, el.get("class")
    parent = el.getparent()
    if parent is not None and parent.get("class"):
        return el.tag, parent.tag, parent.get("class")
    return None


def _held(norm: str, held: tuple[str, set[str]]) -> bool:
    """The body already holds this block: as one of its paragraphs, or (30+ characters) inside one."""
    return norm in held[1] or (len(norm) >= 30 and norm in held[0])


def _lead_before(work, blocks, first: int, held: tuple[str, set[str]],
                 held_trigrams: "_LazyTrigrams") -> tuple[int, str] | None:
    """The standfirst precision mode dropped (with the <header> it sits in): one of the few blocks
    right before the body, past short ones only (a byline, a date, a caption), when the page's
    own description (meta, Open Graph, Twitter) is that block."""
    descriptions = None
    for n in range(first - 1, max(first - 1 - _LEAD_LOOK_BACK, -1), -1):
        el, text = blocks[n]
        if len(text) >= _LEAD_MIN_CHARS and not _skipped(el) and _link_share(el) <= _HOLE_MAX_LINK_SHARE:
            if descriptions is None:
                descriptions = [trigrams(" ".join(d.split()).rstrip(".… "))  # a cut description ends in "…"
                                for d in (m.get("content") for m in work.iter("meta") if _describes(m))
                                if d is not None and len(d) >= _LEAD_MIN_CHARS]
                if not descriptions:
                    return None
            own = trigrams(text)
            if any(share_in(text, d) >= _LEAD_MIN_SHARE and (len(d & own) / len(d) if d else 0) >= _LEAD_MIN_SHARE
                   for d in descriptions):
                if _held(_squashed_key(text), held) or share_in(text, held_trigrams.get()) >= _HOLE_MAX_HELD:
                    return None
                return n, text
        if len(text) > _LEAD_MAX_SKIPPED:
            return None  # a paragraph that is not the description: the standfirst is not above it
    return None


def read_body(
    tree: lxml_html.HtmlElement,
    url: str,
    site: SiteProfile | None = None,
    learned: frozenset[str] = frozenset(),
    copy_tree: bool = True,
    html: str | None = None,
) -> BodyReading:
    """The clean body and the readings it was chosen from (see ``extract_body``).

    ``html``, the page's source, lets the independent reading start from the page as served when
    ``copy_tree`` is false (the tree is then cleaned in place); without it that reading is skipped
    on such calls.
    """
    language = page_language(tree, site)
    titles = _titles(tree)
    headings = {normalize_paragraph(text_of(h)) for h in tree.iter("h1")} - {""}
    structural = _structural_text(tree, html) if OPTIONS["compare_readings"] else ""
    # the page's paragraph mass, another cheap reading (what a "take every <p>" baseline would keep)
    paragraph_chars = sum(len(text_of(p)) for p in tree.iter("p")) if OPTIONS["compare_readings"] else 0
    jsonld_text = _jsonld_body(tree, url, html)
    stats: dict = {}
    work = _preclean(tree, site, copy_tree, stats, html)
    precision = _trafilatura_text(work, url, precision=True)
    reading = BodyReading(None, precision_chars=len(precision), removed_chars=stats.get("removed", 0),
                          structural_chars=len(structural) if structural else None,
                          jsonld_chars=len(jsonld_text) if jsonld_text else None)
    paragraphs = _clean(precision, work, language, titles, learned) if precision else []
    text = "\n\n".join(paragraphs)
    candidates: list[tuple[str, list[str]]] = []
    if OPTIONS["compare_readings"]:
        if _suspect(text, len(precision), structural, jsonld_text, reading.removed_chars, paragraph_chars):
            # trafilatura's balanced mode with its readability/jusText comparison on the page as
            # served (our pre-cleaning may be what lost the body); when the precision reading is
            # (almost) empty, on the cleaned page too, unless the cleaning removed more paragraph
            # text than the body kept (then the cleaned page is the suspect)
            if not copy_tree and html:
                reading.served_tree = _reparse(html)
            sources = [("page", tree if copy_tree else reading.served_tree)]
            if len(precision) < MIN_BODY_CHARS and reading.removed_chars <= len(text):
                sources.insert(0, ("balanced", work))
            for name, source in sources:
                if source is None:
                    continue
                other = _trafilatura_text(source, url, precision=False, fast=False)
                if name == "page":
                    reading.balanced_chars = len(other)
                if other:
                    candidates.append((name, _clean(other, None, language, titles, learned)))
    elif OPTIONS["short_fallback"] and len(precision) < MIN_BODY_CHARS:
        # (comparison switched off, for measurement) the old retry: balanced mode on the cleaned page
        balanced = _trafilatura_text(work, url, precision=False, fast=False)
        reading.balanced_chars = len(balanced)
        if balanced:
            candidates.append(("balanced", _clean(balanced, work, language, titles, learned)))
    if jsonld_text:
        candidates.append(("jsonld", clean_paragraphs([p.strip() for p in jsonld_text.split("\n") if p.strip()],
                                                      language, titles, learned)))
    for name, paras in candidates:
        other = "\n\n".join(paras)
        if _fuller(other, text):
            text, paragraphs, reading.chosen = other, paras, name
    references = [t for t in (structural, jsonld_text, *("\n\n".join(paras) for _, paras in candidates)) if t]
    if references:
        best = max(references, key=len)
        reading.agreement = round(coverage(text, best), 3) if text else 0.0
    if OPTIONS["title_dedup"] and paragraphs:
        # a reading that ran the <h1> and the first <p> together ("Headline First sentence…")
        first = _without_title_prefix(paragraphs[0], headings)
        if first != paragraphs[0]:
            paragraphs = [first, *paragraphs[1:]]
            text = "\n\n".join(paragraphs)
    if not text:
        reading.chosen = "none"
    reading.text = text or None
    reading.paragraphs = paragraphs
    return reading


def _suspect(text: str, precision_chars: int, structural: str, jsonld_text: str, removed: int,
             paragraph_chars: int) -> bool:
    """A cheap sign that the precision reading may have lost (part of) the body."""
    n = len(text)
    if min(n, precision_chars) < MIN_BODY_CHARS or _prose_chars(text) < MIN_BODY_CHARS:
        return True  # (almost) nothing, or nothing but table rows (a calendar, a price grid)
    if removed > n:  # the pre-cleaning removed more paragraph text than the body kept
        return True
    if paragraph_chars > PARAGRAPH_MASS_RATIO * n and paragraph_chars - n > PARAGRAPH_MASS_EXTRA:
        return True  # the page's paragraphs hold far more text than the body
    # (the marked-up article block was tried as a trigger too: it never led to a better body,
    # see benchmarks/RESULTS.md; it is still compared with the result, for the confidence)
    return len(jsonld_text) > SUSPECT_RATIO * n and coverage(text, jsonld_text) < MIN_COVERAGE


def _prose_chars(text: str) -> int:
    """Characters of the text's lines that are not table rows."""
    if "|" not in text:
        return len(text)
    return sum(len(line) for line in text.split("\n") if not line.lstrip().startswith("|"))


def _fuller(other: str, text: str) -> bool:
    """``other`` wins over ``text`` when it is longer and ``text`` covers less than half of it
    (a reading that only adds related stories or comments around the same body does not win)."""
    if len(text) < MIN_BODY_CHARS:  # (almost) nothing: the longer reading
        return len(other) > len(text)
    if _prose_chars(text) < MIN_BODY_CHARS:  # nothing but table rows: a reading with prose
        return _prose_chars(other) >= MIN_BODY_CHARS
    if len(other) <= FULLER_RATIO * len(text):
        return False
    return coverage(text, other) < MIN_COVERAGE


def _reparse(html: str):
    from .page import parse_html  # the one parser of the project (same options)

    return parse_html(html)


def extract_body(
    tree: lxml_html.HtmlElement,
    url: str,
    site: SiteProfile | None = None,
    learned: frozenset[str] = frozenset(),
    copy_tree: bool = True,
    html: str | None = None,
) -> str | None:
    """Return the clean body text (paragraphs separated by blank lines), or None.

    ``tree`` is not modified, unless ``copy_tree`` is false (a caller that has read all it
    needs from the tree saves the copy; it passes ``html`` so that the independent reading can
    start from the page as served). ``site.drop_selectors`` (CSS) are removed before
    extraction; paragraphs whose ``normalize_paragraph`` form is in ``learned`` are dropped.
    """
    return read_body(tree, url, site, learned, copy_tree, html).text
