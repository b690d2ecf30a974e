"""What a page is (``extract.article.PAGE_TYPES``), decided from several signals together.

Three families of evidence are read from the page before its body is extracted
(``read_signals``), and weighed with the extracted body (``classify``):

- structured data: JSON-LD ``@type`` of every node (``@graph`` included), microdata
  ``itemtype``, ``og:type``;
- the URL: path segments and slug words (``/foto/``, ``/video/``, ``/classifica/``,
  ``/diretta/``, ``/tag/``, ``/page/2/``, ``?page=2``, ``/chi-siamo/`` …);
- the page's shape: prose vs link text, the share of text in data tables, headline links
  (teasers), figure captions vs prose, repeated timestamps, "page not found" wording.

Each signal adds evidence to one or more types. A page is typed ``T`` (not an article)
only when T's evidence reaches ``DECISIVE`` and beats the article's: every single signal
weighs less than ``DECISIVE``, so no one signal (a URL, a missing date, a JSON-LD type)
can refuse an ordinary article. ``blocked`` is never decided here: the wall detector owns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from .fold import Folded
from .jsonld import ARTICLE_TYPES, types_of
from .texts import squashed_text, text_of

# Evidence a non-article type needs, and that must beat the article's, to be decided.
DECISIVE = 3.0
# Below this much article evidence a page that is nothing else is still not an article.
MIN_ARTICLE_EVIDENCE = 1.5
MIN_ARTICLE_CHARS = 250

LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage", "blog", "website"}
GALLERY_TYPES = {"imagegallery", "mediagallery", "photograph", "imageobjectgallery"}
STATIC_TYPES = {"aboutpage", "contactpage", "faqpage", "checkoutpage"}
DATA_TYPES = {"sportsevent", "sportsteam", "dataset", "table", "sportsorganization", "sportsleague"}

_SEG = {
    "gallery": {"foto", "fotogallery", "fotogallerie", "gallery", "galleria", "gallerie", "photo", "photos",
                "fotonotizia", "immagini", "album", "galleries", "photogallery"},
    "video": {"video", "videos", "videogallery", "webtv", "tv", "videonews", "clip"},
    "data": {"classifica", "classifiche", "standings", "risultati", "calendario", "calendari", "statistiche",
             "marcatori", "tabellino", "tabellini", "livescore", "results", "fixtures", "stats", "table"},
    "liveblog": {"live", "diretta", "liveblog", "live-blog", "minuto-per-minuto", "cronaca-live", "in-diretta"},
    "listing": {"tag", "tags", "category", "categoria", "categorie", "argomenti", "argomento", "author", "autore",
                "autori", "authors", "page", "pagina", "archivio", "archive", "search", "cerca", "ricerca",
                "topic", "topics", "sezione"},
    "static": {"chi-siamo", "chisiamo", "about", "about-us", "contatti", "contattaci", "contact", "contacts",
               "privacy", "privacy-policy", "cookie", "cookies", "cookie-policy", "note-legali", "redazione",
               "termini", "terms", "termini-e-condizioni", "disclaimer", "gerenza", "credits", "collabora",
               "collabora-con-noi", "lavora-con-noi", "pubblicita", "advertising", "impressum", "informativa",
               "mappa-del-sito", "faq", "abbonamenti", "codice-etico"},
}
# single words inside an article-like slug ("inter-festa-scudetto-le-foto-4123"): weaker
_SLUG_WORDS = {
    "gallery": {"foto", "fotogallery", "gallery", "photogallery", "immagini"},
    "video": {"video", "videogallery"},
    "data": {"classifica", "risultati", "calendario", "tabellino", "livescore", "standings"},
    "liveblog": {"live", "diretta", "liveblog"},
}
_PAGE_QUERY = re.compile(r"(^|&)(page|paged|pagina|pg|p)=\d+", re.I)
_STATIC_TITLE = re.compile(
    r"^(chi siamo|contatti|contattaci|contatta(ci)?|la redazione|redazione|privacy( policy)?|informativa( sulla)? privacy|"
    r"cookie( policy)?|informativa (sui|cookie).*|note legali|termini( e condizioni)?( d'uso)?|condizioni d'uso|"
    r"about( us)?|contact( us)?|imprint|impressum|privacy notice|terms( of (use|service))?|lavora con noi|"
    r"collabora( con noi)?|pubblicità|gerenza|credits|disclaimer)\b", re.I)
_NOT_FOUND = re.compile(
    r"pagina non (trovata|esiste|disponibile)|la pagina (che (stai cercando|cerchi)|richiesta) non|"
    r"(notizia|articolo|contenuto|pagina)( richiest[oa])? non (è |e' )?(più )?(disponibile|presente|esiste|stat[oa] trovat[oa])|"
    r"non (è|e') stat[oa] trovat[oa]|errore 404|error 404|404 not found|^404\b|\b404\s*[-–—:|]|"
    r"page not found|page (you|you're|you are) (were )?looking for|(doesn't|does not|no longer) exist|"
    r"no longer available|página no encontrada|page introuvable|seite nicht gefunden|oops", re.I)
_NOT_FOUND_FOLDED = Folded(_NOT_FOUND)  # the same matches without re.I's cost (extract.fold)
_TIME_LEAD = re.compile(r"^\s*(?:ore\s+)?([01]?\d|2[0-3])[:.h]([0-5]\d)\b|^\s*(\d{1,3})(?:\+\d{1,2})?['’′]\s")
# a clock time or a match minute anywhere: fewer than three, and the page has no live updates
_TIME_ANY = re.compile(r"\b(?:[01]?\d|2[0-3])[:.h][0-5]\d\b|\b\d{1,3}(?:\+\d{1,2})?['’′]")
_SCORE = re.compile(r"(?<![\d:./])\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?![\d:./])")
_COMMENTS = re.compile(r"(^|[\s_-])(comments?|commenti|respond|disqus|discussion)($|[\s_-])", re.I)
_PLAYER = re.compile(r"player|jwplayer|brightcove|videojs", re.I)
_EXCLUDED_TAGS = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
                  "button", "select", "svg", "iframe"}


_ITEMTYPES = etree.XPath("//@itemtype")  # (every itemtype is an element's: //*[@itemtype]/@itemtype, faster)


@dataclass
class Signals:
    """What the page says about its type, read before body extraction cleans the tree."""

    types: set[str] = field(default_factory=set)       # JSON-LD @type and microdata itemtype, lower-cased
    og_type: str = ""
    has_article_node: bool = False
    has_liveblog_node: bool = False
    url_hints: dict[str, float] = field(default_factory=dict)  # type -> URL evidence
    is_home: bool = False
    is_next_page: bool = False     # /page/N/ or ?page=N with N >= 2
    title: str = ""
    h1: str = ""
    text_chars: int = 0            # visible text of the main region
    link_chars: int = 0            # of which inside links
    prose_chars: int = 0           # in paragraphs that are not mostly links
    table_chars: int = 0           # in data tables (many short cells)
    caption_chars: int = 0
    figures: int = 0
    teasers: int = 0               # headline links: <h2-4><a>, or <article> blocks with a link
    articles: int = 0              # <article> elements
    scores: int = 0                # "2-1" results in short text lines
    timed_blocks: int = 0          # sibling blocks that each start with a time
    timed_chars: int = 0           # their text
    has_player: bool = False
    not_found_title: bool = False
    not_found_text: bool = False

    @property
    def maybe_liveblog(self) -> bool:
        return self.has_liveblog_node or self.timed_blocks >= 3


def _segments(url: str) -> tuple[list[str], str]:
    parts = urlsplit(url)
    segs = [re.sub(r"\.[a-z0-9]{2,5}$", "", s.lower()) for s in parts.path.split("/") if s]
    return segs, parts.query


def url_hints(url: str) -> tuple[dict[str, float], bool, bool]:
    """(type -> evidence, is the home page, is a next page of a listing) from the URL alone."""
    segs, query = _segments(url)
    hints: dict[str, float] = {}
    if not segs and not query or (len(segs) == 1 and segs[0] in ("index", "home", "default") and not query):
        return {"listing": 2.5}, True, False
    next_page = bool(re.search(r"/(page|pagina)/([2-9]|\d{2,})(/|$)", urlsplit(url).path.lower())
                     or re.search(r"(^|&)(page|paged|pagina|pg)=([2-9]|\d{2,})", query))
    for kind, words in _SEG.items():
        if kind == "static":
            if segs and segs[-1] in words:
                hints[kind] = 2.0
        elif any(s in words for s in segs[:-1]) or (segs and segs[-1] in words):
            hints[kind] = 1.5
    if next_page or _PAGE_QUERY.search(query):
        hints["listing"] = max(hints.get("listing", 0), 1.5)
    if segs:
        words = set(re.split(r"[-_]+", segs[-1]))
        for kind, ws in _SLUG_WORDS.items():
            if words & ws and kind not in hints:
                hints[kind] = 1.0
    return hints, False, next_page


def _text(el) -> str:
    return squashed_text(el)


def _main_region(tree):
    return _main_region_text(tree)[0]


def _mains(tree) -> list:
    return list(tree.iter("main"))


_ROLES = etree.XPath("//@role")


def _role_mains(tree) -> list:
    """//*[@role='main'] (from the role attributes: the same elements, faster)."""
    return [value.getparent() for value in _ROLES(tree) if value == "main"]


def _main_region_text(tree):
    """(the main region, its text_content() when that was read to choose it, else None)."""
    for find in (_mains, _role_mains):
        found = find(tree)
        if found:
            texts = [text_of(e) for e in found]
            best = max(range(len(found)), key=lambda i: len(texts[i]))
            return found[best], texts[best]
    body = tree.find("body")
    return (body if body is not None else tree), None


@lru_cache(maxsize=8192)
def _names_comments(value: str) -> bool:
    """An id or class that names readers' comments (cached: a page repeats its classes)."""
    return bool(_COMMENTS.search(value))


@lru_cache(maxsize=8192)
def _class_marks(cls: str) -> tuple[bool, bool, bool]:
    """(readers' comments, a caption, a video player) by a class attribute."""
    return _names_comments(cls), "caption" in cls.lower(), bool(_PLAYER.search(cls))


_EXCLUDED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"})


def _excluded(el) -> bool:
    if el.tag in _EXCLUDED_TAGS:
        return True
    role = el.get("role")
    if role and role.lower() in _EXCLUDED_ROLES:
        return True
    # readers' comments: timestamped blocks too, but never the page's own content
    ident, cls = el.get("id"), el.get("class")
    return bool(ident and _names_comments(ident) or cls and _names_comments(cls))


_TIME_CANDIDATE = re.compile(r"\d(?=[:.h+'’′])")  # the digit before a clock's separator or a minute's mark


def count_times(text: str, limit: int) -> int:
    """``len(_TIME_ANY.findall(text))``, counted up to ``limit``. Every match has a digit followed
    by one of ``:.h+'’′`` within its first three characters: only the places just before such a
    digit are tried, from the left, so the count is findall's (never more than ``limit``)."""
    n = pos = 0
    match = _TIME_ANY.match
    for candidate in _TIME_CANDIDATE.finditer(text):
        q = candidate.start()
        if q < pos:
            continue
        for start in range(max(q - 2, pos), q + 1):
            m = match(text, start)
            if m:
                n, pos = n + 1, m.end()
                break
        else:
            pos = q + 1
        if n >= limit:
            break
    return n


def _is_data_table(table) -> bool:
    rows = table.xpath(".//tr")
    if len(rows) < 4 or table.xpath(".//table"):
        return False  # layout tables hold tables; data tables hold rows of short cells
    cells = [len(_text(c)) for c in table.xpath(".//td|.//th")]
    per_row = len(cells) / len(rows)
    return per_row >= 3 and (sum(cells) / max(len(cells), 1)) < 30


def _lead(el, n: int = 24) -> str:
    """The first characters of an element's text (without reading all of it)."""
    out = ""
    for piece in el.itertext():
        out += piece
        if len(out.strip()) >= n:
            break
    return out.lstrip()[:n]


def _teaser(el) -> bool:
    """A listing's card (a headline link, or mostly link text), not a live update."""
    if el.xpath(".//*[self::h2 or self::h3 or self::h4][.//a[@href]]"):
        return True
    text = len(_text(el))
    return sum(len(_text(a)) for a in el.iter("a")) > 0.3 * max(text, 1)


def update_blocks(region, parents: list | None = None) -> list:
    """The largest run of sibling blocks that each start with a time and say something: a
    live blog's updates. Empty when the page has no such run. ``parents``: the elements with
    three children or more, when the caller already walked the region."""
    if region is None:
        return []
    with_time = set()
    for t in region.iter("time"):  # elements holding a <time>: marked once, bottom-up
        el = t
        while el is not None and el not in with_time:
            with_time.add(el)
            el = el.getparent()
    best: list = []
    if parents is None:
        parents, stack = [], [region]
        while stack:
            el = stack.pop()
            if isinstance(el.tag, str) and not _excluded(el):
                stack.extend(el)
                if len(el) >= 3:
                    parents.append(el)
    for parent in parents:
        kids = [k for k in parent if isinstance(k.tag, str) and k.tag not in ("script", "style")]
        if len(kids) < 3:
            continue
        n, misses, timed = len(kids), 0, []
        for k in kids:
            if k in with_time or _TIME_LEAD.match(_lead(k)):
                timed.append(k)
            else:
                misses += 1
                most = n - misses  # the most kids that can still be timed: stop when too few
                if most < 3 or most < 0.6 * n or most <= len(best):
                    break
        if len(timed) < 3 or len(timed) < 0.6 * len(kids) or len(timed) <= len(best):
            continue
        timed = [k for k in timed if len(_text(k)) >= 30 and not _teaser(k)]
        if len(timed) >= 3 and len(timed) >= 0.6 * len(kids) and len(timed) > len(best):
            best = timed
    return best


def read_signals(tree: lxml_html.HtmlElement, url: str | None, nodes: list[dict], article_node: dict | None,
                 og_type: str | None, exclude_patterns: tuple[str, ...] = (),
                 itemtypes: list[str] | None = None) -> Signals:
    """``url`` None: a stored file without its address, judged by its content alone;
    ``exclude_patterns``: the site's own "never an article" URL patterns; ``itemtypes``: the
    page's itemtype values, when the caller has read them already."""
    s = Signals()
    for n in nodes:
        s.types |= types_of(n)
    for it in _ITEMTYPES(tree) if itemtypes is None else itemtypes:
        for t in it.split():
            s.types.add(t.rstrip("/").rsplit("/", 1)[-1].lower())
    s.has_article_node = bool(article_node) and bool(types_of(article_node) & ARTICLE_TYPES)
    s.has_liveblog_node = "liveblogposting" in s.types
    s.og_type = (og_type or "").lower()
    if url:
        s.url_hints, s.is_home, s.is_next_page = url_hints(url)
        if any(re.search(p, url) for p in exclude_patterns):
            s.url_hints["listing"] = max(s.url_hints.get("listing", 0), 2.0)
    title = tree.find(".//title")
    s.title = _text(title) if title is not None else ""
    h1 = tree.xpath("//h1")
    s.h1 = _text(h1[0]) if h1 else ""
    s.not_found_title = bool(_NOT_FOUND_FOLDED.search(s.title) or _NOT_FOUND_FOLDED.search(s.h1))

    region, region_raw = _main_region_text(tree)
    parents: list = []  # elements with three children or more: where live updates may be
    link_len: dict = {}  # a link's text length, read once (for its paragraph, then for itself)
    stack = [region]
    pop, push = stack.pop, stack.extend
    while stack:  # one walk over the main region, skipping navigation, header, footer, sidebars
        el = pop()
        tag = el.tag
        # (the tests of _excluded, inline: this loop sees every element of the page)
        if not isinstance(tag, str) or tag in _EXCLUDED_TAGS:
            continue
        role = el.get("role")
        if role and role.lower() in _EXCLUDED_ROLES:
            continue
        cls = el.get("class")
        if cls:
            comments, caption, player = _class_marks(cls)
            if comments:
                continue
        else:
            caption = player = False
        ident = el.get("id")
        if ident and _names_comments(ident):
            continue
        if tag == "table" and _is_data_table(el):
            s.table_chars += len(_text(el))
        elif tag == "a":
            t = link_len.pop(el, None)
            s.link_chars += len(_text(el)) if t is None else t
        elif tag in ("h2", "h3", "h4") and any(a.get("href") for a in el.iter("a")) and len(_text(el)) >= 15:
            s.teasers += 1
        elif tag == "article":
            s.articles += 1
        elif tag == "figcaption" or caption or el.get("itemprop") == "caption":
            s.caption_chars += len(_text(el))
        elif tag in ("figure",):
            s.figures += 1
        elif tag in ("video", "amp-video", "video-js") or player:
            s.has_player = True
        if tag == "p" or tag in ("li", "td", "div") and len(el) == 0:
            t = _text(el)
            if t:
                links = 0
                for a in el.iter("a"):
                    n = link_len.get(a)
                    if n is None:
                        n = link_len[a] = len(_text(a))
                    links += n
                if links < 0.5 * len(t) and len(t) >= 40:
                    s.prose_chars += len(t)
                if len(t) <= 80:
                    s.scores += len(_SCORE.findall(t))
        if len(el) >= 3:
            parents.append(el)
        push(reversed(el))
    region_text = (" ".join(region_raw.split()) if region_raw is not None else _text(region)) if region is not None else ""
    s.text_chars = len(region_text)
    # live updates each start with a time: a page with fewer than three times has none (cheap gate)
    times = sum(1 for _ in region.iter("time")) if region is not None else 0
    if times < 3 and count_times(region_text, 3) < 3:
        blocks = []
    else:
        blocks = update_blocks(region, parents)
    s.timed_blocks, s.timed_chars = len(blocks), sum(len(_text(b)) for b in blocks)
    head = region_text[:400]
    s.not_found_text = bool(_NOT_FOUND_FOLDED.search(head))
    return s


@dataclass
class Verdict:
    page_type: str
    reason: str | None   # None for an article or live blog
    evidence: dict[str, float] = field(default_factory=dict)


def _add(ev: dict, why: dict, kind: str, weight: float, reason: str) -> None:
    ev[kind] = ev.get(kind, 0.0) + weight
    why.setdefault(kind, []).append(reason)


def classify(s: Signals, text_chars: int, published: str | None) -> Verdict:
    """Weigh the evidence. ``text_chars``: length of the extracted body (or of the page's
    prose when no body was extracted); ``published``: where the page's date came from
    (``jsonld``, ``meta``, ``time``, ``text``, ``url``), None when it has none."""
    ev: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    types = s.types
    # two readings of the body's length: the extracted text, and the page's own paragraphs
    # (so that a body the extractor missed still counts as a body)
    body = max(text_chars, s.prose_chars)
    if s.table_chars and s.text_chars and s.table_chars >= 0.35 * s.text_chars:
        # the extracted body holds the page's tables too: standings are not prose
        body = max(int(text_chars * (1 - s.table_chars / s.text_chars)), s.prose_chars)
    # --- the article --------------------------------------------------------------------
    if s.has_article_node:
        _add(ev, why, "article", 3, "JSON-LD article")
    elif types & ARTICLE_TYPES:
        _add(ev, why, "article", 2.5, "microdata article")
    if s.og_type == "article":
        _add(ev, why, "article", 1, "og:type article")
        if published in ("meta", "time"):
            _add(ev, why, "article", 1, "og:type article with a machine-readable date")
    if published in ("jsonld", "meta", "time"):
        _add(ev, why, "article", 1, "dated")
    elif published:
        _add(ev, why, "article", 0.5, "a date in its text or URL")
    body_weight = 4 if body >= 3000 else 3 if body >= 1500 else 2 if body >= 800 else 1 if body >= 400 else 0
    if body_weight:
        _add(ev, why, "article", body_weight, f"{body} characters of body")
    if body < MIN_ARTICLE_CHARS:
        _add(ev, why, "article", -1, "little body text")
    # --- URL ---------------------------------------------------------------------------
    for kind, weight in s.url_hints.items():
        _add(ev, why, kind, weight, "URL")
    # --- structured data ------------------------------------------------------------------
    if s.has_liveblog_node:
        _add(ev, why, "liveblog", 4, "JSON-LD LiveBlogPosting")
    if types & GALLERY_TYPES:
        _add(ev, why, "gallery", 2.5 if not s.has_article_node else 1.5, "JSON-LD gallery")
    if "videoobject" in types:
        _add(ev, why, "video", 2.5 if not s.has_article_node else 1, "JSON-LD VideoObject")
    if types & LISTING_TYPES - {"website", "blog"}:
        _add(ev, why, "listing", 2, "JSON-LD collection")
    if types & STATIC_TYPES:
        _add(ev, why, "static", 2.5, "JSON-LD about/contact page")
    if types & DATA_TYPES and not s.has_article_node:
        _add(ev, why, "data", 1, "JSON-LD sports data")
    if "webpage" in types and not s.has_article_node and not types & ARTICLE_TYPES:
        # the site describes its pages (Yoast and the like) and calls this one a plain
        # WebPage: "about us" and policy pages look so, but so do many articles
        _add(ev, why, "static", 1, "structured data calls it a plain WebPage")
    if not published:
        _add(ev, why, "static", 1, "undated")
    if s.og_type in ("video", "video.other", "video.movie", "video.episode"):
        _add(ev, why, "video", 1.5, "og:type video")
    if s.og_type == "website" and not s.has_article_node:
        _add(ev, why, "listing", 0.5, "og:type website")
    # --- shape -----------------------------------------------------------------------------
    prose = max(text_chars, 1)
    if s.is_home:
        _add(ev, why, "listing", 1.5, "home page")
    teasers = max(s.teasers, s.articles if s.articles >= 3 else 0)
    if teasers >= 8 and text_chars < 2000 or teasers >= 5 and text_chars < 250 * teasers:
        _add(ev, why, "listing", 2, f"{teasers} teasers")
    elif teasers >= 3 and text_chars < 1000:
        _add(ev, why, "listing", 1, f"{teasers} teasers")
    link_share = s.link_chars / s.text_chars if s.text_chars else 0.0
    if link_share >= 0.5 and text_chars < 1500:
        _add(ev, why, "listing", 2.5, "mostly links")
    elif link_share >= 0.25 and text_chars < 2000:
        _add(ev, why, "listing", 1.5, f"{link_share:.0%} of the text in links")
    if s.table_chars and s.text_chars:
        share = s.table_chars / s.text_chars
        if share >= 0.35 and s.table_chars > 0.5 * s.prose_chars:
            _add(ev, why, "data", 2.5, f"{share:.0%} of the text in data tables")
        elif share >= 0.2:
            _add(ev, why, "data", 1.5, f"{share:.0%} of the text in data tables")
    if s.scores >= 5 and text_chars < 1200:
        _add(ev, why, "data", 1, f"{s.scores} results")
    if s.figures >= 3 and s.caption_chars and (s.caption_chars >= 0.5 * prose or text_chars - s.caption_chars < 400):
        _add(ev, why, "gallery", 2, f"{s.figures} captioned pictures, little else")
    if s.has_player and body < 600:
        _add(ev, why, "video", 1, "a player and little text")
    if ("video" in ev or "gallery" in ev) and body < 400:
        for kind in ("video", "gallery"):
            if kind in ev:
                _add(ev, why, kind, 1, "hardly any prose")
    if s.timed_blocks >= 3 and s.timed_chars >= 0.5 * body:  # the updates are the page's text
        weight = 2.5 if s.timed_blocks >= 5 else 1.5
        _add(ev, why, "liveblog", weight, f"{s.timed_blocks} timestamped updates")
    if s.not_found_title:
        _add(ev, why, "error", 2.5, "says the page does not exist")
    if s.not_found_text and text_chars < 800:
        _add(ev, why, "error", 1.5, "says the page does not exist")
    if ev.get("error") and body < 500:
        _add(ev, why, "error", 1, "very little content")
    if _STATIC_TITLE.match(s.h1 or "") or _STATIC_TITLE.match(s.title or ""):
        _add(ev, why, "static", 1.5, "title of an institutional page")

    article = ev.get("article", 0.0)
    others = sorted(((v, k) for k, v in ev.items() if k not in ("article", "liveblog")), reverse=True)
    if others and others[0][0] >= DECISIVE and others[0][0] > article + (1 if ev.get("liveblog", 0) >= DECISIVE else 0):
        score, kind = others[0]
        return Verdict(kind, f"{kind}: " + ", ".join(why[kind]), ev)
    if ev.get("liveblog", 0) >= DECISIVE and text_chars >= MIN_ARTICLE_CHARS // 2:
        return Verdict("liveblog", None, ev)
    if article >= MIN_ARTICLE_EVIDENCE:
        return Verdict("article", None, ev)
    # too little speaks for an article: the likeliest other type, however weak
    said = "; article evidence: " + (", ".join(why.get("article", [])) or "none")
    if others and others[0][0] >= 1.5:
        kind = others[0][1]
        return Verdict(kind, f"{kind}: " + ", ".join(why[kind]) + said, ev)
    kind = "listing" if s.text_chars and s.link_chars > 0.3 * s.text_chars else "static"
    reason = "too little text" if body < MIN_ARTICLE_CHARS else "no sign of an article (no date, no structured data, short body)"
    return Verdict(kind, reason + said, ev)
