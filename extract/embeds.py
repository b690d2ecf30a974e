"""Embedded posts and promo boxes: page parts that sit inside an article body and are not its text.

Two general mechanisms, both independent of the CMS:

* ``find_embeds``: the markup every platform's embed code produces (it is the platform's, not the
  site's, so it holds across CMSs): the blockquotes of X/Twitter, Instagram, TikTok, Facebook,
  Threads, Bluesky, Reddit embeds, Facebook's SDK ``<div class="fb-post">``, and any blockquote or
  embed wrapper (a class token holding "embed") that points at a post or video on one of those
  platforms or YouTube (its permalink, or an ``<iframe>`` of the platform). The fallback text that
  the embed shows before its script runs ("pic.twitter.com/…", "— Inter (@Inter) December 1,
  2026", "A post shared by …") goes with it.
* ``find_promo_boxes``: by text shape, not by class name: a small block (at most ``PROMO_MAX_WORDS``
  words) in which at least two lines are calls to subscribe, pay, download an app or join a
  channel (``PROMO_RULES`` of ``extract.boilerplate``), at least one of them not a bare price, e.g.
  "Abbonati per continuare a leggere" + "1 € al mese" + "Sei già abbonato? Accedi". A single such
  line is left to the paragraph rules.

Both return elements to remove before the body is extracted (``extract.body`` drops them keeping
their tail text). Pure functions of the tree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .boilerplate import is_promo_line, matching_rule
from .texts import text_of

# the blockquote / div classes of each platform's embed code
EMBED_CLASSES = re.compile(
    r"^(twitter-tweet|twitter-video|twitter-timeline|instagram-media|tiktok-embed|fb-post|fb-video|"
    r"fb-xfbml-parse-ignore|text-post-media|bluesky-embed|reddit-embed-bq|imgur-embed-pub)$",
    re.I,
)
# permalinks of a post or a video on a social platform
POST_URL = re.compile(
    r"^(https?:)?//([\w-]+\.)?("
    r"(twitter|x)\.com/\w+/status(es)?/\d|"
    r"instagram\.com/(p|reel|reels|tv)/|"
    r"tiktok\.com/@[\w.-]+/video/|"
    r"facebook\.com/.+/(posts|videos|photos)/|facebook\.com/(watch|permalink\.php|plugins/(post|video))|fb\.watch/|"
    r"youtube(-nocookie)?\.com/(watch|embed|shorts)|youtu\.be/|"
    r"threads\.(net|com)/@[\w.]+/post/|bsky\.app/profile/.+/post/|"
    r"reddit\.com/r/\w+/comments/"
    r")",
    re.I,
)
_EMBED_TOKEN = re.compile(r"embed", re.I)


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _points_to_post(el) -> bool:
    for link in el.iter("a", "iframe", "embed", "object"):
        url = link.get("href") or link.get("src") or link.get("data") or ""
        if POST_URL.match(url.strip()):
            return True
    return False


_EMBED_CLASS_HINT = re.compile(r"mbed|twitter|instagram|tiktok|fb-|bluesky|reddit|text-post-media|imgur", re.I)


@lru_cache(maxsize=4096)
def _hints_embed(cls: str) -> bool:
    """A class attribute that may name an embed (cached: a page repeats its classes)."""
    return bool(_EMBED_CLASS_HINT.search(cls))


def _embed_candidates(tree):
    for el in tree.iter("blockquote", "iframe", "div", "figure", "section", "span", "aside"):
        if el.tag in ("blockquote", "iframe") or el.get("data-embed") is not None:
            yield el
        else:
            cls = el.get("class")
            if cls and _hints_embed(cls):
                yield el


def find_embeds(tree) -> list:
    """Outermost elements that are an embedded social post or video, with their fallback text."""
    found: list = []
    for el in _embed_candidates(tree):  # document order
        classes = _classes(el)
        if el.tag == "iframe":
            hit = bool(POST_URL.match((el.get("src") or el.get("data-src") or "").strip()))
        elif any(EMBED_CLASSES.match(c) for c in classes):
            hit = True
        elif el.tag == "blockquote" or any(_EMBED_TOKEN.search(c) for c in classes) or el.get("data-embed") is not None:
            # a quoted post, or an embed wrapper of any CMS: when it points at a platform's post;
            # never a wrapper that holds long text besides (the article itself)
            hit = _points_to_post(el) and len(text_of(el)) < 1500
        else:
            hit = False
        if hit:
            found.append(el)
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


PROMO_MAX_WORDS = 90
_BLOCKS = ("div", "section", "aside", "form", "figure", "footer", "ul", "p", "center", "table")


_LINE_BREAKS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "button", "br", "section",
                          "aside", "form", "figure", "figcaption", "footer", "header", "table", "tr", "td", "label",
                          "blockquote", "center"})


def _lines(box) -> list[str]:
    """The text lines of a block as a reader sees them: block elements break lines, inline ones don't."""
    lines: list[str] = []
    buf: list[str] = []

    def flush():
        line = " ".join("".join(buf).split())
        if line:
            lines.append(line)
        buf.clear()

    def walk(el, depth=0):
        if not isinstance(el.tag, str) or el.tag in ("script", "style") or depth > 40:
            return
        breaks = el.tag in _LINE_BREAKS
        if breaks:
            flush()
        buf.append(el.text or "")
        for child in el:
            walk(child, depth + 1)
            buf.append(child.tail or "")
        if breaks:
            flush()

    walk(box)
    flush()
    return lines


def _is_promo_box(box, language: str | None, seen: dict | None = None) -> bool:
    """Two or more promo lines, and they make at least half of the block's words. ``seen``: the
    verdicts on lines already judged (nested boxes share their lines), filled in."""
    lines = _lines(box)
    words = sum(len(line.split()) for line in lines) or 1
    if seen is None:
        seen = {}
    hits = set()
    for line in lines:
        promo = seen.get(line)
        if promo is None:
            promo = seen[line] = is_promo_line(line, language)
        if promo:
            hits.add(line)
    # prices alone are a list of prices (an article on subscription plans), not a promo
    calls = [line for line in hits if matching_rule(line, language) != "price_period"]
    return len(hits) >= 2 and bool(calls) and sum(len(line.split()) for line in hits) >= 0.5 * words


# words that may open a promo box (a cheap gate, plain substrings: the box is judged by its lines)
_PROMO_HINTS = (
    "bbonat", "ubscri", "ABBONA", "SUBSCRI", "WhatsApp", "Whatsapp", "Telegram", "App Store", "Google Play",
    "€", "£", "Scarica", "scarica", "Download", "ontinua a leggere", "ONTINUA A LEGGERE", "ontinue reading",
    "ONTINUE READING",
)


@lru_cache(maxsize=512)
def _hint_texts(hints: frozenset[str]) -> etree.XPath:
    """The text nodes below an element that hold one of ``hints`` (found by libxml2, not by a
    Python loop over every element)."""
    test = " or ".join(f"contains(., '{h}')" for h in sorted(hints))
    return etree.XPath(f"descendant::text()[{test}]")


def _preorder_key(el, root) -> tuple[int, ...]:
    """Where ``el`` comes in a pre-order walk of ``root`` (its child indices from ``root`` down)."""
    path = []
    while el is not root:
        parent = el.getparent()
        path.append(parent.index(el))
        el = parent
    return tuple(reversed(path))


def _hint_elements(tree, hints: frozenset[str]):
    """Elements whose own text (or a child's tail) holds one of ``hints`` (plain substrings), in the
    order of a walk over the elements of ``tree``: an element for its text, then its parent for its
    tail (the text and tail of scripts, styles, comments and processing instructions are not read)."""
    found = []
    for text in _hint_texts(hints)(tree):
        holder = text.getparent()  # the element the text is in, or (a tail) the one it follows
        if holder is None or not isinstance(holder.tag, str) or holder.tag in ("script", "style"):
            continue
        if text.is_text:
            found.append((_preorder_key(holder, tree), 0, holder))
        elif holder is not tree:  # a tail below ``tree``: its parent's text
            parent = holder.getparent()
            if parent is not None:
                found.append((_preorder_key(holder, tree), 1, parent))
    tail = tree.tail  # the tail of ``tree`` itself (not a descendant text)
    if tail and any(h in tail for h in hints) and isinstance(tree.tag, str) and tree.tag not in ("script", "style"):
        parent = tree.getparent()
        if parent is not None:
            found.append(((), 1, parent))
    found.sort(key=lambda item: (item[0], item[1]))
    for _, _, el in found:
        yield el


def find_promo_boxes(tree, language: str | None = None) -> list:
    """Outermost small blocks with two or more promo lines (subscribe, price, app, channel …)."""
    boxes: list = []
    checked: set = set()
    evaluated: set = set()
    body = tree.find("body")
    if body is None:
        return boxes
    # the hints the page's text holds; then only those are looked for element by element
    page_text = text_of(body)
    hints = frozenset(h for h in _PROMO_HINTS if h in page_text)
    if not hints:
        return boxes
    seen: dict = {}  # line -> is_promo_line(line)
    for el in _hint_elements(body, hints):
        if el in checked:
            continue
        checked.add(el)
        # the blocks from ``el`` up that are still small boxes; the largest that is mostly promo wins
        path = []
        for _ in range(6):
            if el is None or el.tag in ("body", "html", "article", "main"):
                break
            if len(text_of(el).split()) > PROMO_MAX_WORDS:
                break
            if el.tag in _BLOCKS:
                path.append(el)
            el = el.getparent()
        for box in reversed(path):
            if box in evaluated:  # judged already, from another line of the same block
                continue
            evaluated.add(box)
            if any(a in boxes for a in box.iterancestors()):
                break
            if _is_promo_box(box, language, seen):
                boxes = [b for b in boxes if box not in b.iterancestors()]
                boxes.append(box)
                break
    return boxes
