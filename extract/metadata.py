"""Article metadata from JSON-LD, meta tags, visible markup and the URL.

Each field has one function returning its value or None; none of them raises on odd
markup (the caller also guards them, and counts a field that fails).
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from bisect import bisect_right
from itertools import accumulate
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from . import authors as bylines
from . import jsonld
from . import fold
from .dates import date_from_url, parse_date, parse_text_date, same_instant, site_zone
from .site import SiteProfile
from .texts import squashed_text
from .urls import canonicalize, same_site


# Every marker the readers below look for; PageData.marked keeps only elements carrying one.
_MARK_WORDS = (
    "author", "autor", "auteur", "byline", "autore", "firma", "signature", "date", "data", "datum", "fecha", "time",
    "published", "posted-on", "meta", "breadcrumb", "crumb", "tag", "topic", "argoment", "keyword", "schlagw", "themen",
    "etiquet", "updated", "modified",
)
_ANY_MARK = re.compile("|".join(_MARK_WORDS), re.I)
_MARKED_XPATH = "//*[@class or @id or @rel or @itemprop or @itemtype or @aria-label]"
# the same attributes, read in one XPath (document order: an element's attributes come right
# after it, before its children's)
_MARK_ATTRIBUTES = etree.XPath("//@class|//@id|//@rel|//@itemprop|//@itemtype|//@aria-label")


def _values_holding(joined: str, starts: list[int], needles) -> set[int]:
    """Indices of the values joined one per line in ``joined`` (value i starts at ``starts[i]``,
    ``starts`` ending with the total length) that hold one of ``needles``: one str.find per
    needle and value, several times faster than an alternation."""
    hits: set[int] = set()
    for needle in needles:
        at = joined.find(needle)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            hits.add(i)
            at = joined.find(needle, starts[i + 1])  # the next value
    return hits


class PageData:
    """What every field reader needs from one parsed page, computed once."""

    def __init__(self, tree: lxml_html.HtmlElement, url: str, site: SiteProfile):
        self.tree = tree
        self.url = url
        self.site = site
        self.nodes, self.jsonld_invalid = jsonld.read_nodes(tree)
        self.article = jsonld.article_node(self.nodes, url) or {}
        self._marked: list | None = None
        self._values: list | None = None
        self._by_attribute: dict[str, list] | None = None
        self._hrefs: tuple | None = None  # (the links' hrefs, joined and lower-cased, their offsets)
        self._htmldate: dict[tuple[bool, bool], str | None] = {}
        self._layout: frozenset | None = None
        self._site_names: frozenset[str] | None = None
        self._own_times: list | None = None
        self.meta: dict[str, list[str]] = {}
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
            content = el.get("content")
            if key and content is not None and content.strip():
                self.meta.setdefault(key, []).append(html_lib.unescape(content.strip()))

    def marked(self, pattern: re.Pattern) -> list:
        """Elements whose class, id, rel, itemprop or itemtype matches ``pattern`` (one XPath
        pass per page, then filtered in Python: far cheaper than many contains() XPaths)."""
        if self._marked is None:
            # one regex pass over all the attribute values (one per line), not one search per
            # element; a marker word never spans two values, so an element is marked when one of
            # its values holds a word; its marker is then built as the readers see it
            values = self._attribute_values()
            starts = list(accumulate((len(v) + 1 for v in values), initial=0))
            joined = "\n".join(values)
            if fold.safe(joined):
                # (the words are plain: a value is marked when one of them is in it, lower-cased;
                # str.find per word is several times faster than the alternation)
                hits = _values_holding(joined.lower(), starts, _MARK_WORDS)
            else:
                hits = {bisect_right(starts, m.start()) - 1 for m in _ANY_MARK.finditer(joined)}
            marked: dict = {}
            for i in sorted(hits):
                el = values[i].getparent()
                if el is None or el in marked or el.tag in ("script", "style"):
                    continue
                marked[el] = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("rel"), el.get("itemprop"),
                                                    el.get("itemtype"), el.get("aria-label")))).replace("\n", " ")
            self._marked = list(marked.items())
        return [el for el, marker in self._marked if pattern.search(marker)]

    def _attribute_values(self) -> list:
        """The values of the attributes ``marked`` reads, in document order (read once)."""
        if self._values is None:
            self._values = _MARK_ATTRIBUTES(self.tree)
        return self._values

    def attribute(self, name: str) -> list:
        """The values of attribute ``name`` on the page's elements, in document order (each
        value's ``getparent()`` is its element), for the attributes ``marked`` reads (class,
        id, rel, itemprop, itemtype, aria-label): taken from the values already read, instead
        of another walk of the tree (a //@name XPath is ~0.2 ms a page)."""
        if self._by_attribute is None:
            by_attribute: dict[str, list] = {}
            for value in self._attribute_values():
                by_attribute.setdefault(value.attrname, []).append(value)
            self._by_attribute = by_attribute
        return self._by_attribute.get(name, [])

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return None

    def meta_like(self, *keys: str) -> str | None:
        """The first meta value whose name, written any way ("article:published:time",
        "article_published_time", "Article.Published-Time"), is one of ``keys``."""
        if not hasattr(self, "_meta_squashed"):
            self._meta_squashed: dict[str, str] = {}
            for key, values in self.meta.items():
                self._meta_squashed.setdefault(re.sub(r"[\W_]+", "", key), values[0])
        for key in keys:
            value = self._meta_squashed.get(re.sub(r"[\W_]+", "", key))
            if value:
                return value
        return None

    @property
    def layout(self) -> frozenset:
        """The elements that hold the article's own headline (its first <h1>): page wrappers,
        never a sidebar or a related box, whatever their classes say ("has-sidebar")."""
        if self._layout is None:
            h1 = next(iter(self.tree.iter("h1")), None)
            self._layout = frozenset(h1.iterancestors()) if h1 is not None else frozenset()
        return self._layout


def clean_space(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(html_lib.unescape(str(text)).split())
    return text or None


def element_text(el) -> str:
    return squashed_text(el)


# --- title ------------------------------------------------------------------------

# Between a headline and the site's name in <title>: "X - Site", "Site | X", "X :: Site".
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]{1,2}\s+")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _site_names(page: PageData) -> frozenset[str]:
    """The squashed names the site goes by (computed once per page)."""
    if page._site_names is None:
        page._site_names = frozenset(_read_site_names(page))
    return page._site_names


def _read_site_names(page: PageData) -> set[str]:
    from .urls import registered_host

    publisher = jsonld.resolve(page.nodes, page.article.get("publisher"))
    names = {page.site.name, page.first_meta("og:site_name") or "", page.first_meta("application-name") or "",
             *(jsonld.names(publisher, page.nodes) if publisher else [])}
    for url in (page.site.url, page.url):
        host = registered_host(urlsplit(url).hostname or "")
        names.add(host.split(".")[0])
        names.add(host)
    return {_squash(n) for n in names if n and len(_squash(n)) >= 3}


def _strip_site_name(title: str, page: PageData, extra: tuple[str, ...] = ()) -> str:
    """Drop the site's name from either end of a <title> ("Pallone Vecchio - X", "X | Curva Nord");
    ``extra`` are other labels that may end it (the article's section: "X | Sport")."""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = _site_names(page)
    extras = {_squash(e) for e in extra if e and _squash(e)}

    def is_site(part: str) -> bool:
        sq = _squash(part)
        return bool(sq) and (sq in extras or any(
            sq == n or (len(sq) >= 4 and (sq in n or n in sq) and len(part) <= 40) for n in names))

    seps = TITLE_SEPARATORS.findall(title)
    start, end = 0, len(parts)
    while end - start > 1 and is_site(parts[end - 1]):
        end -= 1
    if end == len(parts) and is_site(parts[0]):
        start += 1
    if end - start == len(parts):
        return title
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


def _h1(page: PageData) -> str | None:
    """The first <h1> that is a headline: not the site's name (blog themes put it in an h1)."""
    names = None
    for h in page.tree.xpath("//h1"):
        if _in_noise(h):
            continue
        text = element_text(h)
        if len(text) >= 10:
            names = names if names is not None else _site_names(page)
            if _squash(text) in names:
                continue
            return text
    return None


_QUOTES = "«»\"“”„‘’'‹› "
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")


def _better_h1(headline: str, h1: str | None) -> str | None:
    """The page's <h1> when the structured headline is the same title with something added
    (a kicker "Topic: «…»", the site's name "… - Site.de") or cut by the CMS ("…")."""
    if not h1 or h1 == headline:
        return None
    # cut with "…", or at the CMS's length limit (a long headline that the h1 continues)
    if _ELLIPSIS.search(headline) or len(headline) >= 90:
        cut = _squash(_ELLIPSIS.sub("", headline))
        sq_h1 = _squash(h1)
        if len(cut) >= 10 and sq_h1.startswith(cut) and len(sq_h1) > len(cut):
            return h1
    core = h1.strip(_QUOTES)
    at = headline.find(core)
    if len(core) < 15 or at < 0:
        return None
    before, after = headline[:at].strip(_QUOTES), headline[at + len(core):].strip(_QUOTES)
    if before and after:
        return None
    # a kicker: "Topic: «quoted title»" (an unquoted "Topic: title" is the headline itself)
    if before and not (re.search(r"[:|\-–—»·]$", before) and re.search(r"[«\"“„‘'‹]\s*$", headline[:at])):
        return None
    if after and not re.match(r"^[|\-–—:·]", after):
        return None
    return h1 if (before or after or headline != h1) else None


def title(page: PageData) -> str | None:
    headline = clean_space(jsonld.first_text(page.article.get("headline") or page.article.get("name")))
    h1 = _h1(page)
    if headline:
        better = _better_h1(headline, h1)
        if better:
            return better
        section_name = jsonld.first_text(page.article.get("articleSection"))
        return _strip_site_name(headline, page, (section_name or "",))
    og = clean_space(page.first_meta("og:title", "twitter:title"))
    doc_title = clean_space(page.tree.findtext(".//title"))
    if h1 and any(h1.lower() in (t or "").lower() for t in (og, doc_title)):
        return h1
    if og:
        return _better_h1(og, h1) or _strip_site_name(og, page)
    if h1:
        return h1
    return _strip_site_name(doc_title, page) if doc_title else None


# --- authors ----------------------------------------------------------------------

clean_author_name = bylines.clean_name
split_authors = bylines.split_names

_BYLINE_MARK = re.compile(r"author|byline|autore|autor|auteur|firma|signature|verfasser", re.I)
# a class token naming the byline itself, not the author's bio, photo or social links
_BYLINE_TOKEN = re.compile(
    r"^(?:.*[-_])?(?:author|authors|authorname|author-?name|byline|autore|autori|autor|auteur|firma|signature|"
    r"verfasser)(?:[-_]+(?:name|names|link|links|info|wrapper|wrap|list|text|meta|line))?$", re.I)
_NOT_BYLINE_TOKEN = re.compile(r"bio|avatar|image|img|photo|picture|desc|social|box|follow|more|about|mail|twitter", re.I)
_AUTHOR_HREF = re.compile(r"/(?:author|autore|autor|auteur|autori|autoren|journalist|redakteur|firma|firme|people|profil[eo]?|staff)/", re.I)


def _byline_elements(page: PageData):
    """Elements marked as bylines: rel=author, itemprop=author, or an author/byline class."""
    for el in page.marked(_BYLINE_MARK):
        if el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
            yield el
            continue
        tokens = (el.get("class") or "").split() + (el.get("id") or "").split()
        if any(_BYLINE_TOKEN.match(t) and not _NOT_BYLINE_TOKEN.search(t) for t in tokens):
            yield el


_BYLINE_START = re.compile(r"\s*(di|by|a cura di|von|par|por|door)\s", re.I)
# the same at the start of each text of a NUL-separated run (see _own_text_finds)
_BYLINE_START_APART = fold.Folded(re.compile(r"\x00\s*(di|by|a cura di|von|par|por|door)\s", re.I))
_APART = "\x00"  # never in a parsed page's text (extract.page drops control characters)


def _own_text_finds(elements: list, apart: fold.Folded, pattern: re.Pattern, at_start: bool = False) -> list:
    """The elements, in order, whose own text (``el.text``) ``pattern`` finds (``at_start``: matches
    at its start). One search over all the texts set apart by NUL, with ``apart``: ``pattern``
    written so that no match crosses a NUL (and, ``at_start``, opening with one), rather than one
    search per element (the run also ends with a NUL); a page whose texts hold a NUL is searched
    element by element."""
    texts = [el.text or "" for el in elements]
    joined = _APART + _APART.join(texts) + _APART
    if joined.count(_APART) != len(texts) + 1:
        find = pattern.match if at_start else pattern.search
        return [el for el, text in zip(elements, texts) if find(text)]
    starts = list(accumulate((len(t) + 1 for t in texts), initial=0))  # each text's NUL
    hits = sorted({bisect_right(starts, m.start() if at_start else m.start() - 1) - 1 for m in apart.finditer(joined)})
    return [elements[i] for i in hits]
_VISIBLE_BYLINE = re.compile(
    r"^(?:di|Di|DI|by|By|BY|a cura di|A cura di|von|Von|par|Par|por|Por)\s+([A-ZÀ-Þ][\w'’.\-À-ÿ]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-À-ÿ]+|e|ed|and|und|et|y|de|di|da|del|della|van|von|,)){0,8})\s*$"
)


def _spaced_text(el) -> str:
    """Text of an element with its parts apart ("Veröffentlicht von<a>Chris Jung</a>")."""
    return " ".join(" ".join(t.split()) for t in el.itertext() if t.strip())


def _element_names(el) -> tuple[list[str], bool]:
    """The names of a byline element: its author links (or name spans) one by one when it
    has several (names set side by side without a separator), else its text, split; and
    whether they are linked to author pages (people, whatever the site's name)."""
    links = [a for a in el.iter("a") if _AUTHOR_HREF.search(a.get("href") or "") or a.get("rel") == "author"]
    if el.tag == "a" and (_AUTHOR_HREF.search(el.get("href") or "") or el.get("rel") == "author"):
        links = [el]
    linked = bool(links)
    parts = links if len(links) >= 2 else el.xpath(".//*[@itemprop='name']")
    if len(parts) >= 2:
        names = [n for p in parts for n in split_authors(element_text(p), loose=linked)]
        if names:
            return names, linked
    if len(links) == 1 and len(_spaced_text(el)) > 2 * len(element_text(links[0])) + 20:
        return split_authors(element_text(links[0]), loose=True), True  # the link in a longer line
    text = _spaced_text(el)
    if not 2 < len(text) <= 160:
        return [], linked
    return split_authors(text, loose=linked), linked


_NOISE_TOKEN = re.compile(
    r"^(?:.*[-_])?(comments?|commenti|commentlist|related|correlat[io]|sidebar|widgets?|site-footer|page-footer|"
    r"footer-widgets?|respond|disqus)(?:[-_].*)?$"
)
# layout modifiers that name a part without being it ("has-sidebar", "with-related", "no-sidebar")
_MODIFIER = re.compile(r"^(?:no|has|with|without|show|hide|is|sidebar-(?:left|right))[-_]")


def _in_noise(el, layout: frozenset = frozenset()) -> bool:
    """Inside comments, related boxes, sidebars, navigation or the page footer. The footer
    of an article itself (WordPress's ``entry-footer`` with the tags) is not noise, nor is an
    element in ``layout`` (a wrapper holding the article's own headline)."""
    for anc in el.iterancestors():
        if anc.tag in ("body", "html"):
            break
        if anc in layout:
            continue
        tokens = f"{anc.get('class', '')} {anc.get('id', '')}".lower().split()
        if anc.tag in ("aside", "nav") or any(_NOISE_TOKEN.match(t) and not _MODIFIER.match(t) for t in tokens):
            return True
        if anc.tag == "footer" and not any(a.tag == "article" for a in anc.iterancestors()):
            return True
    return False


def _organisation_names(page: PageData, value) -> tuple[list[str], list[str], list[str]]:
    """JSON-LD author value split by @type into (persons, untyped names, organisations)."""
    persons, untyped, orgs = [], [], []
    for item in value if isinstance(value, list) else [value]:
        item = jsonld.resolve(page.nodes, item)
        types = jsonld.types_of(item) if isinstance(item, dict) else set()
        if types & {"organization", "newsmediaorganization", "corporation", "organisation"}:
            orgs.extend(jsonld.names(item, page.nodes))
        elif "person" in types:
            persons.extend(jsonld.names(item, page.nodes))
        else:
            untyped.extend(jsonld.names(item, page.nodes))
    return persons, untyped, orgs


def byline(page: PageData) -> tuple[list[str], str | None]:
    """(authors, publisher): the people who signed the article, and the organisation behind it."""
    collected = bylines.Byline(_site_names(page))
    value = page.article.get("author") or page.article.get("creator")
    persons, untyped, orgs = _organisation_names(page, value) if value else ([], [], [])
    collected.offer(orgs, organisation=True)
    typed = [c for n in persons for c in split_authors(n, loose=True)]
    plain = [c for n in untyped for c in split_authors(n, loose=True)]
    found = collected.offer(typed, person=True) | collected.offer(plain)
    for n in persons + untyped:
        collected.offer(bylines.agencies_in(n), organisation=True)
    if not found:
        meta = page.first_meta("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")
        if meta and not meta.startswith("http"):
            found = collected.offer(split_authors(meta, loose=True))
    if not found:
        for el in _byline_elements(page):
            if _in_noise(el, page.layout):
                continue
            names, linked = _element_names(el)
            parent = el.getparent()
            if parent is not None:  # name spans side by side: <span class="authorname"> … y <span …>
                for sib in el.itersiblings():
                    if sib.tag == el.tag and sib.get("class") == el.get("class"):
                        more, more_linked = _element_names(sib)
                        names, linked = names + more, linked or more_linked
            collected.offer(bylines.agencies_in(element_text(el)), organisation=True)
            if collected.offer(names, person=linked):
                found = True
                break
    if not found:
        # A short line that reads "di Nome Cognome" (legacy markup without classes).
        elements = list(page.tree.iter("p", "span", "div", "font", "em", "i", "b", "strong", "td", "small", "address"))
        for el in _own_text_finds(elements, _BYLINE_START_APART, _BYLINE_START, at_start=True):
            text = element_text(el)
            if not (4 < len(text) <= 80) or _in_noise(el, page.layout):
                continue
            m = _VISIBLE_BYLINE.match(text)
            if m and collected.offer(split_authors(m.group(1))):
                break
    publisher_node = jsonld.resolve(page.nodes, page.article.get("publisher"))
    publisher = (jsonld.names(publisher_node, page.nodes) or [None])[0] if publisher_node else None
    publisher = publisher or (collected.organisations[0] if collected.organisations else None)
    publisher = publisher or page.first_meta("og:site_name", "application-name")
    return collected.authors, clean_space(publisher)


def author(page: PageData) -> str | None:
    return ", ".join(byline(page)[0]) or None


# --- dates ------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "published_time",
    "datepublished", "date_published", "publication_date", "pub_date", "publishdate", "publish-date",
    "published-date", "article:published", "date", "pubdate", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "dc.date.created", "datecreated", "parsely-pub-date", "sailthru.date",
    "cxenseparse:recs:publishtime", "original-publish-date", "article.published", "citation_publication_date",
    "citation_date", "release_date",
)
_MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "og:modified_time",
    "modified_time", "datemodified", "date_modified", "dc.date.modified", "dcterms.modified", "last-modified",
    "article.updated", "article:modified", "lastmod",
)
_DATE_MARK = re.compile(r"date|data|datum|fecha|time|published|posted-on|meta", re.I)
_PUBLISHED_CLASS = re.compile(r"published|pubdate|dtstart|post-date|entry-date|article-date", re.I)
_UPDATE_CLASS = re.compile(r"updated|modified|update-date|last-mod", re.I)
_YEAR = re.compile(r"(19|20)\d\d")
# words that introduce the date of the last change, in the languages the archive reads
_UPDATED_WORDS = re.compile(
    r"\b(?:ultimo\s+aggiornamento|aggiornat[oa]|modificat[oa]|modifica|last\s+updated|updated|update|"
    r"zuletzt\s+(?:aktualisiert|geändert)|aktualisiert|geändert|stand:|mis\s+à\s+jour|mise\s+à\s+jour|modifié|"
    r"actualizado|actualización|actualizada|atualizado|bijgewerkt)\b",
    re.I,
)
_UPDATED_WORDS_APART = fold.Folded(_UPDATED_WORDS)  # no part of it matches a NUL


def _itemprop(page: PageData, name: str) -> list:
    """//*[@itemprop=name], in document order (from the attribute values the page read once)."""
    return [value.getparent() for value in page.attribute("itemprop") if value == name]


def _time_elements(page: PageData) -> list:
    """The page's own <time datetime> elements (outside comments, related boxes, sidebars);
    found once per page (a list the readers only read)."""
    if page._own_times is None:
        page._own_times = [el for el in page.tree.xpath("//time[@datetime]") if not _in_noise(el, page.layout)]
    return page._own_times


def _update_only(el) -> bool:
    """Classed as the date of a change and not also as the publication date: "updated" yes,
    "entry-date published updated" (one date for both) no."""
    marker = el.get("class") or ""
    return bool(_UPDATE_CLASS.search(marker)) and not _PUBLISHED_CLASS.search(marker)


def _before_update_words(text: str) -> str:
    m = _UPDATED_WORDS.search(text)
    return text[:m.start()] if m else text


def _local_form(page: PageData, value: str | None) -> str | None:
    """A UTC time written by the structured data in the offset the page itself uses for the
    same instant (WordPress: JSON-LD in UTC, <time> in local time), else unchanged."""
    if not value or not value.endswith("+00:00"):
        return value
    tz = page.site.timezone
    candidates = [el.get("datetime") for el in page.tree.xpath("//time[@datetime]")]
    candidates += [v for key, values in page.meta.items() if "time" in key or "date" in key for v in values]
    for raw in candidates:
        other = parse_date(raw, tz)
        if other and not other.endswith("+00:00") and same_instant(other, value):
            return other
    return value


def _jsonld_date(page: PageData, *keys: str) -> str | None:
    """A date of the article node, else of the WebPage node describing this very page
    (Yoast and others put datePublished there)."""
    tz = page.site.timezone
    for key in keys:
        value = parse_date(jsonld.first_text(page.article.get(key)), tz)
        if value:
            return value
    for node in jsonld.page_nodes(page.nodes, page.url):
        for key in keys:
            value = parse_date(jsonld.first_text(node.get(key)), tz)
            if value:
                return value
    return None


def _htmldate(page: PageData, original: bool, extensive: bool = False) -> str | None:
    """htmldate's reading of the page (a day), for pages where our readers find none. Its fast
    mode reads markup; the extensive one also free text, where a bare year comes back as
    1 January (refused)."""
    key = (original, extensive)
    if key not in page._htmldate:  # (asked once per page and mode: it copies and walks the whole tree)
        try:
            from htmldate import find_date

            value = find_date(page.tree, extensive_search=extensive, original_date=original, url=page.url,
                              deferred_url_extractor=True)
        except Exception:  # htmldate on pathological markup
            value = None
        if extensive and value and value.endswith("-01-01"):
            value = None
        page._htmldate[key] = parse_date(value, page.site.timezone) if value else None
    return page._htmldate[key]


def _written_day(page: PageData, value: str | None) -> str | None:
    """A UTC time whose day is not the day the page itself names (in its URL, or, near midnight,
    as htmldate reads it): a newsroom west or east of Greenwich. Written in the site's zone when
    that gives the page's day, else as that day alone (the page's offset is unknown, its day is not)."""
    if not value or not value.endswith("+00:00"):
        return value
    from datetime import date, datetime

    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = date_from_url(page.url)
    if not day and not 6 <= instant.hour < 18:
        day = _htmldate(page, original=True)  # near midnight: the day the page itself shows
    if not day or day[:10] == value[:10]:
        return value
    day = day[:10]
    try:
        url_day = date.fromisoformat(day)
    except ValueError:
        return value
    if abs((instant.date() - url_day).days) != 1:
        return value
    local = instant.astimezone(site_zone(page.site.timezone)).replace(microsecond=0).isoformat()
    return local if local[:10] == day else day


def published(page: PageData) -> tuple[str | None, str | None]:
    value, source = _published(page)
    return _written_day(page, _local_form(page, value)), source


def _published(page: PageData) -> tuple[str | None, str | None]:
    tz = page.site.timezone
    value = _jsonld_date(page, "datePublished", "dateCreated", "uploadDate")
    if value:
        return value, "jsonld"
    for key in _PUBLISHED_META:
        value = parse_date(page.meta_like(key), tz)
        if value:
            return value, "meta"
    for el in _itemprop(page, "datePublished"):
        value = parse_date(el.get("content") or el.get("datetime") or element_text(el), tz)
        if value:
            return value, "meta"
    for el in _time_elements(page):
        if not _update_only(el):
            value = parse_date(el.get("datetime"), tz)
            if value:
                return value, "time"
    for el in page.marked(_PUBLISHED_CLASS):  # hAtom: <abbr class="published" title="…">
        if el.get("title") and not _update_only(el) and not _in_noise(el, page.layout):
            value = parse_date(el.get("title"), tz)
            if value:
                return value, "time"
    for el in page.marked(_DATE_MARK):
        if _update_only(el) or _in_noise(el, page.layout):
            continue
        text = element_text(el)
        if len(text) <= 120:
            value = parse_text_date(_before_update_words(text), tz)
            if value:
                return value, "text"
    value = date_from_url(page.url, tz)
    if value:
        return value, "url"
    value = _htmldate(page, original=True)
    if value:
        return value, "htmldate"
    # Last resort: the first human date in the article's region of the page, else htmldate's
    # search of the free text.
    for el in page.tree.iter("p", "span", "div", "font", "td", "small", "em", "b"):
        if not _YEAR.search(el.text or ""):
            continue
        text = element_text(el)
        if len(text) <= 80 and not _in_noise(el, page.layout):
            value = parse_text_date(_before_update_words(text), tz)
            if value:
                return value, "text"
    value = _htmldate(page, original=True, extensive=True)
    if value:
        return value, "htmldate"
    return None, None


def _visible_update(page: PageData) -> str | None:
    """A written "Aggiornato alle 18:05 del 2 dicembre 2026", "Updated: March 3, 2026",
    "Stand: 02.12.2026 17:48", "modifica il 02 dicembre 2026 | 18:05"."""
    tz = page.site.timezone
    elements = list(page.tree.iter("p", "span", "div", "time", "small", "em", "li", "strong", "b", "i", "dd", "font"))
    for el in _own_text_finds(elements, _UPDATED_WORDS_APART, _UPDATED_WORDS):
        text = element_text(el)
        m = _UPDATED_WORDS.search(text)
        if not m or len(text) > 160 or _in_noise(el, page.layout):
            continue
        value = parse_text_date(text[m.end():], tz)
        if value:
            return value
    return None


def _earlier(a: str, b: str) -> bool:
    """``a`` is before ``b`` (instants when both have a time, else calendar days)."""
    from datetime import datetime

    try:
        x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    if x.tzinfo and y.tzinfo:
        return x < y
    return a[:10] < b[:10]


def modified(page: PageData, published_value: str | None) -> tuple[str | None, str | None]:
    tz = page.site.timezone
    value, source = _jsonld_date(page, "dateModified"), "jsonld"
    if not value:
        source = "meta"
        for key in _MODIFIED_META:
            value = parse_date(page.meta_like(key), tz)
            if value:
                break
    if not value:
        for el in _itemprop(page, "dateModified"):
            value = parse_date(el.get("content") or el.get("datetime"), tz)
            if value:
                break
    if not value:
        source = "time"
        for el in _time_elements(page):  # <time class="updated">, not also the publication date
            if _update_only(el) and (value := parse_date(el.get("datetime"), tz)):
                break
    if not value:
        for el in page.marked(_UPDATE_CLASS):  # hAtom: <abbr class="updated" title="…">
            if el.get("title") and (value := parse_date(el.get("title"), tz)):
                break
    if not value:
        value, source = _visible_update(page), "text"
    if not value:
        source = "time"
        for el in _time_elements(page):  # "entry-date published updated": one date for both
            if _UPDATE_CLASS.search(el.get("class") or "") and (value := parse_date(el.get("datetime"), tz)):
                break
    if not value:
        return None, None
    value = _local_form(page, value)
    if published_value and _earlier(value, published_value):
        return None, None  # modified before published: not believable
    return value, source


# --- section and tags ---------------------------------------------------------------

_BREADCRUMB_MARK = re.compile(r"breadcrumb|crumbs", re.I)


def _breadcrumb_section(page: PageData, title_text: str | None) -> str | None:
    crumbs = jsonld.find_typed(page.nodes, "BreadcrumbList")
    labels: list[str] = []
    if crumbs:
        items = crumbs.get("itemListElement") or []
        if isinstance(items, dict):
            items = [items]
        for it in sorted((i for i in items if isinstance(i, dict)), key=lambda i: _int(i.get("position"))):
            item = it.get("item")
            name = it.get("name") or (item.get("name") if isinstance(item, dict) else None)
            if isinstance(name, str):
                labels.append(clean_space(name) or "")
    if not labels:
        for container in page.marked(_BREADCRUMB_MARK):
            labels = [element_text(a) for a in container.iter("a")]
            if labels:
                break
    labels = [l for l in labels if l and l.lower() not in ("home", "homepage", "home page", "prima pagina", "startseite", "accueil", "inicio", "portada")]
    if title_text:
        labels = [l for l in labels if l.lower() != title_text.lower()]
    return labels[-1] if labels else None


def _int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


# a WordPress-style category archive: /category/<slug>/ (and its translations)
_CATEGORY_HREF = re.compile(r"/(?:category|categoria|categorie|kategorie|rubrique|rubrica|seccion|sezione|rubrik)/[^/?#]+/?(?:[?#].*)?$", re.I)


def section(page: PageData, title_text: str | None = None) -> str | None:
    value = jsonld.first_text(page.article.get("articleSection"))
    if value:
        return clean_space(value.split(",")[0] if "," in value and len(value) > 40 else value)
    value = page.first_meta("article:section", "og:article:section", "section", "parsely-section", "category")
    if value:
        return clean_space(value)
    value = _breadcrumb_section(page, title_text)
    if value:
        return value
    for a in _category_links(page):
        if not _in_noise(a, page.layout):
            text = element_text(a)
            if text:
                return text
    # a theme without structured data (TagDiv "Newspaper" and the like): the article's own
    # category link, outside menus, header and footer
    for a in _links_to(page, _CATEGORY_HREF, _CATEGORY_NEEDLES):
        if not _in_noise(a, page.layout) and not _in_tag_cloud(a, page.layout):
            text = element_text(a)
            if 1 < len(text) <= 40:
                return text
    return None


_HREFS = etree.XPath("//a/@href")
# strings every match of the pattern holds, lower-cased (a link without one is not searched)
_CATEGORY_NEEDLES = ("/categor", "/kategorie/", "/rubri", "/seccion/", "/sezione/")
_TAG_NEEDLES = ("/tag", "/argoment", "/topic", "/them", "/schlagwort/", "/etiqueta/", "/sujet/", "/mot-cle/",
                "t=", "g=", "s=")


def _links_to(page: PageData, per_link: re.Pattern, needles: tuple[str, ...]) -> list:
    """The page's <a> elements, in order, whose href ``per_link`` (a lower-case re.I pattern of
    extract.fold's letters) finds. Only the hrefs that hold one of ``needles`` once lower-cased
    are searched (``per_link`` finds nothing in the others: extract.fold), found with str.find over
    all the hrefs at once; a page with a character re.I folds unlike str.lower() is searched link
    by link."""
    if page._hrefs is None:  # read once for the section and the tags
        hrefs = _HREFS(page.tree)
        joined = "\n".join(hrefs)
        if fold.safe(joined):
            page._hrefs = hrefs, joined.lower(), list(accumulate((len(h) + 1 for h in hrefs), initial=0))
        else:
            page._hrefs = hrefs, None, None
    hrefs, lowered, starts = page._hrefs
    if lowered is None:
        return [a for a in page.tree.iter("a") if per_link.search(a.get("href") or "")]
    candidates = _values_holding(lowered, starts, needles)
    return [hrefs[i].getparent() for i in sorted(candidates) if per_link.search(hrefs[i])]


# //a[contains(concat(' ',@rel,' '),' category ')]|//*[contains(@class,'cat-links')]//a and
# //a[<rel holds "tag" and not "category">], found from the attributes: the same links, faster
_CATEGORY_LINKS = etree.XPath("//a/@rel[contains(concat(' ',.,' '),' category ')]/..|//@class[contains(.,'cat-links')]/..//a")


def _category_links(page: PageData) -> list:
    """``_CATEGORY_LINKS``'s links, in document order: found from the attribute values the page
    read once, unless links of both kinds (or of several boxes) must be put in order."""
    rel = [v.getparent() for v in page.attribute("rel") if " category " in f" {v} " and v.getparent().tag == "a"]
    boxes = [v.getparent() for v in page.attribute("class") if "cat-links" in v]
    if not boxes:
        return rel
    if not rel and len(boxes) == 1:
        return list(boxes[0].iterdescendants("a"))
    return _CATEGORY_LINKS(page.tree)


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() squashes


def _rel_tag_links(page: PageData) -> list:
    """//a[@rel holding the word "tag" and not "category"], in document order."""
    links = []
    for value in page.attribute("rel"):
        if "tag" in value:
            words = _XML_SPACE.split(value)
            if "tag" in words and "category" not in words:
                el = value.getparent()
                if el.tag == "a":
                    links.append(el)
    return links
_TAG_HREF = re.compile(r"(/tags?/|/argoment[oi]/|/topics?/|/thema/|/themen/|/schlagwort/|/etiqueta/|/sujet/|/mot-cle/|[?&](tag|t|tags)=)", re.I)
# a label that opens a list of topics: "Argomenti", "Tags:", "Themen", "Sujets", "Temas"…
_TOPIC_LABEL = re.compile(
    r"^\s*(?:argomenti|temi|tag|tags|topics?|related\s+topics|themen|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|"
    r"sujets|mots[- ]cl(?:é|e)s|th(?:è|e)mes|temas|etiquetas|tópicos|onderwerpen)\s*:?\s*$",
    re.I,
)
# the same, each text of a NUL-separated run whole (see _own_text_finds)
_TOPIC_LABEL_APART = fold.Folded(re.compile(r"\x00" + _TOPIC_LABEL.pattern[1:-1] + r"(?=\x00)", re.I))
_TOPIC_MARK = re.compile(r"(?:^|[\s_-])(?:tags?|topics?|argomenti|keywords|schlagw\w*|themen|etiquetas|post-tags|tag-list|taglist)(?:$|[\s_-])", re.I)

_NOT_A_TAG = re.compile(
    r"^@|^\d+$|^[\w-]+:[\w-]+$|^https?://"         # CMS ids ("@post-id:123"), numbers, URLs
    r"|^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"  # UUIDs
    r"|^[\w .-]{2,40}:\s"                           # "Category: Economy", "NLP Entity Tokens: …"
    r"|^(?:www\.)?[\w-]+\.(?:com|net|org|it|de|fr|es|co\.uk|uk|ch|at|eu)$",  # a host name
    re.I,
)


def _dedupe(labels: list[str], page: PageData | None = None) -> list[str]:
    """Tag labels, once each (case-insensitive), in order; CMS ids, numbers, UUIDs, "Key: value"
    labels and the site's own name dropped."""
    site = _site_names(page) if page is not None else set()
    seen: set[str] = set()
    out = []
    for label in labels:
        label = (clean_space(label) or "").lstrip("#").strip()
        if not label or len(label) > 80 or _NOT_A_TAG.search(label) or label.lower() in seen:
            continue
        if _squash(label) in site or _TOPIC_LABEL.match(label):  # the site's name, "Tags", "Themen"
            continue
        seen.add(label.lower())
        out.append(label)
    return out


def _tag_link(a, page: PageData) -> bool:
    """A link that can be a tag: to this site, not sponsored, not an ad."""
    href = a.get("href") or ""
    rel = (a.get("rel") or "").lower()
    if "sponsored" in rel or re.search(r"doubleclick|/ads?/|utm_|adclick|outbrain|taboola", href, re.I):
        return False
    host = urlsplit(urljoin(page.url, href)).hostname or ""
    return not host or same_site(urljoin(page.url, href), page.url)


def _topic_containers(page: PageData):
    """The candidate lists of topics, in order: the elements classed as tags/topics, then those
    opened by a label (generated one by one: the first that gives labels is the answer)."""
    for el in page.marked(_TOPIC_MARK):
        if el.tag not in ("a", "meta", "body", "html") and not _in_noise(el, page.layout):
            yield el
    elements = list(page.tree.iter("span", "strong", "b", "h2", "h3", "h4", "h5", "h6", "p", "dt", "div", "li", "em"))
    for el in _own_text_finds(elements, _TOPIC_LABEL_APART, _TOPIC_LABEL, at_start=True):
        if len(el) == 0:
            parent = el.getparent()
            if parent is not None and not _in_noise(el, page.layout):
                # the label's list: its parent, or (for a heading) the element after it
                nxt = el.getnext()
                yield nxt if nxt is not None and not len(parent.xpath(".//a")) else parent


def _topic_list(page: PageData) -> list[str]:
    """Links of a list of topics: a container classed as tags/topics, or one opened by a label
    ("Argomenti", "Themen", "Tags:")."""
    for container in _topic_containers(page):
        if container is None or container.tag == "body" or _in_tag_cloud(container, page.layout):
            continue
        links = [a for a in container.iter("a") if _tag_link(a, page)]
        texts = [element_text(a) for a in links]
        # a list of topics: a few short labels, not a menu, a pager or a paragraph of links
        if not 0 < len(links) <= 15 or any(len(t) > 40 or len(t.split()) > 5 for t in texts):
            continue
        labels = _dedupe(texts, page)
        if labels:
            return labels
    return []


def _split_keywords(values: list[str]) -> list[str]:
    out = []
    for m in values:
        out.extend(re.split(r"\s*[,;]\s*", m) if len(values) == 1 else [m])
    return out


def tags(page: PageData) -> list[str]:
    kw = page.article.get("keywords")
    if isinstance(kw, str) and kw.strip():
        found = _dedupe(re.split(r"\s*[,;]\s*", kw), page)
        if found:
            return found
    if isinstance(kw, list) and kw:
        found = _dedupe([str(k) for k in kw if isinstance(k, (str, int))], page)
        if found:
            return found
    metas = page.meta.get("article:tag") or page.meta.get("og:article:tag")
    if metas:
        return _dedupe(_split_keywords(metas), page)
    links = [
        a for a in _rel_tag_links(page)
        if not _in_noise(a, page.layout)
    ]
    if links:
        return _dedupe([element_text(a) for a in links], page)
    links = [
        a for a in _links_to(page, _TAG_HREF, _TAG_NEEDLES)
        if not _in_noise(a, page.layout) and not _in_tag_cloud(a, page.layout) and _tag_link(a, page)
    ]
    if links:
        found = _dedupe([element_text(a) for a in links], page)
        if found:
            return found
    found = _topic_list(page)
    if found:
        return found
    # news_keywords are the newsroom's; plain keywords only on a page that says it is an article
    # (elsewhere they are site-wide SEO words), and not a long SEO list
    metas = page.meta.get("news_keywords")
    if not metas and (page.article or (page.first_meta("og:type") or "").lower() == "article"):
        metas = page.meta.get("keywords")
    if metas:
        found = _dedupe(_split_keywords(metas), page)
        if 0 < len(found) <= 15:
            return found
    return []


def _in_tag_cloud(el, layout: frozenset = frozenset()) -> bool:
    """In a menu, a tag cloud or the page's header/footer (an article's own header and
    footer, where themes put its category and tags, are not; nor the wrappers in ``layout``)."""
    for anc in el.iterancestors():
        if anc in layout:
            continue
        marker = f"{anc.get('class', '')} {anc.get('id', '')}".lower()
        if anc.tag in ("header", "footer") and any(a.tag == "article" for a in anc.iterancestors()):
            continue
        if anc.tag in ("nav", "header", "footer", "aside") or re.search(r"cloud|menu|nav|header|footer|popular|trend", marker):
            return True
    return False


# --- the rest ------------------------------------------------------------------------

def description(page: PageData) -> str | None:
    return clean_space(
        page.first_meta("og:description", "description", "twitter:description", "dc.description")
        or jsonld.first_text(page.article.get("description"))
    )


def image(page: PageData) -> str | None:
    value = page.first_meta("og:image", "og:image:url", "og:image:secure_url") or jsonld.image_url(
        page.article.get("image"), page.nodes
    ) or page.first_meta("twitter:image", "twitter:image:src")
    if not value:
        return None
    value = urljoin(page.url, value.strip())
    return value if value.startswith(("http://", "https://")) else None


_STOPWORDS = {
    "it": {"il", "che", "di", "della", "per", "non", "una", "con", "sono", "nel", "alla", "anche", "più", "è", "gli", "dei"},
    "en": {"the", "and", "of", "to", "is", "that", "with", "for", "was", "on", "are", "this", "have", "from"},
    "es": {"el", "los", "las", "del", "que", "por", "una", "con", "para", "es", "se", "su"},
    "fr": {"le", "les", "des", "est", "une", "dans", "que", "pour", "pas", "sur", "du", "avec"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "ein", "eine", "den", "auf", "für"},
}


def guess_language(text: str | None) -> str | None:
    if not text:
        return None
    words = re.findall(r"\w+", text.lower())[:800]
    if len(words) < 20:
        return None
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in sw) for lang, sw in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= max(3, len(words) // 25) else None


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z]+)?\s*$", value.split(",")[0])
    return m.group(1).lower()[:2] if m else None


def language(page: PageData, text: str | None = None) -> str | None:
    """Declared language (html lang, JSON-LD, meta), else the site's, else a guess from ``text``."""
    root = page.tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        jsonld.first_text(page.article.get("inLanguage")),
        page.first_meta("og:locale", "content-language", "language", "dc.language"),
    ):
        code = _lang_code(value)
        if code:
            return code
    return page.site.language or guess_language(text)


def canonical_url(page: PageData) -> str:
    """The page's own canonical URL when it names one on the same site, else the fetched URL."""
    host = page.site.host or None
    links = [el.get("href") for el in page.tree.iter("link") if "canonical" in (el.get("rel") or "").lower().split()]
    for href in links + [page.first_meta("og:url") or ""]:
        href = (href or "").strip()
        if not href:
            continue
        absolute = urljoin(page.url, href)
        if same_site(absolute, page.url) or (page.site.url and same_site(absolute, page.site.url)):
            return canonicalize(absolute, host)
    return canonicalize(page.url, host)


def paywalled(page: PageData) -> bool:
    free = page.article.get("isAccessibleForFree")
    if isinstance(free, str):
        free = free.strip().lower() not in ("false", "no", "0")
    if free is False:
        return True
    tier = (page.first_meta("article:content_tier") or "").lower()
    return tier in ("locked", "metered", "premium")
