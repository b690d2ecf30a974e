"""Article metadata from JSON-LD, meta tags, visible markup and the URL.

Each field has one function returning its value or None; none of them raises on odd
markup (the caller also guards them, and counts a field that fails).
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from . import jsonld
from .dates import date_from_url, parse_date, parse_text_date
from .site import SiteProfile
from .urls import canonicalize, same_site


# Every marker the readers below look for; PageData.marked keeps only elements carrying one.
_ANY_MARK = re.compile(r"author|byline|autore|firma|signature|date|data|time|published|posted-on|meta|breadcrumb", re.I)
_MARKED_XPATH = "//*[@class or @id or @rel or @itemprop or @itemtype or @aria-label]"


class PageData:
    """What every field reader needs from one parsed page, computed once."""

    def __init__(self, tree: lxml_html.HtmlElement, url: str, site: SiteProfile):
        self.tree = tree
        self.url = url
        self.site = site
        self.nodes, self.jsonld_invalid = jsonld.read_nodes(tree)
        self.article = jsonld.article_node(self.nodes, url) or {}
        self._marked: list | None = None
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
            self._marked = []
            for el in self.tree.xpath(_MARKED_XPATH):
                marker = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("rel"), el.get("itemprop"),
                                                el.get("itemtype"), el.get("aria-label"))))
                if _ANY_MARK.search(marker) and el.tag not in ("script", "style"):
                    self._marked.append((el, marker))
        return [el for el, marker in self._marked if pattern.search(marker)]

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return None


def clean_space(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(html_lib.unescape(str(text)).split())
    return text or None


def element_text(el) -> str:
    return " ".join(el.text_content().split())


# --- title ------------------------------------------------------------------------

# Between a headline and the site's name in <title>: "X - Site", "Site | X", "X :: Site".
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]{1,2}\s+")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _site_names(page: PageData) -> set[str]:
    from .urls import registered_host

    names = {page.site.name, page.first_meta("og:site_name") or "", page.first_meta("application-name") or ""}
    for url in (page.site.url, page.url):
        host = registered_host(urlsplit(url).hostname or "")
        names.add(host.split(".")[0])
    return {_squash(n) for n in names if n and len(_squash(n)) >= 3}


def _strip_site_name(title: str, page: PageData) -> str:
    """Drop the site's name from either end of a <title> ("Pallone Vecchio - X", "X | Curva Nord")."""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = _site_names(page)

    def is_site(part: str) -> bool:
        sq = _squash(part)
        return bool(sq) and any(sq == n or (len(sq) >= 4 and (sq in n or n in sq) and len(part) <= 40) for n in names)

    seps = TITLE_SEPARATORS.findall(title)
    start, end = 0, len(parts)
    if is_site(parts[-1]):
        end -= 1
    elif is_site(parts[0]):
        start += 1
    if end - start == len(parts):
        return title
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


def _h1(page: PageData) -> str | None:
    for h in page.tree.xpath("//h1"):
        text = element_text(h)
        if len(text) >= 10:
            return text
    return None


def title(page: PageData) -> str | None:
    headline = clean_space(jsonld.first_text(page.article.get("headline") or page.article.get("name")))
    if headline:
        return headline
    h1 = _h1(page)
    og = clean_space(page.first_meta("og:title", "twitter:title"))
    doc_title = clean_space(page.tree.findtext(".//title"))
    if h1 and any(h1.lower() in (t or "").lower() for t in (og, doc_title)):
        return h1
    if og:
        return _strip_site_name(og, page)
    if h1:
        return h1
    return _strip_site_name(doc_title, page) if doc_title else None


# --- authors ----------------------------------------------------------------------

_BYLINE_PREFIX = re.compile(
    r"^\s*(?:scritto\s+da|a\s+cura\s+(?:di|della|del)|articolo\s+di|testo\s+di|di|by|da|written\s+by|posted\s+by|"
    r"autore:?|author:?)\s+",
    re.I,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\s+e\s+|\s+and\s+|\s+ed\s+|\s*/\s*)\s*")
_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.\-À-ÿ]*(?:\s+[A-ZÀ-ÖØ-Þa-z][\w'’.\-À-ÿ]*){0,4}$")
_NOT_NAMES = {"redazione web", "admin", "administrator", "staff", "guest"}


def clean_author_name(raw: str) -> str | None:
    name = clean_space(raw)
    if not name:
        return None
    name = re.sub(r"\s*[|•·].*$", "", name)          # "Mario Rossi | 14 marzo 2017"
    name = re.sub(r"\s*[-–—]\s*\d.*$", "", name)     # "Mario Rossi - 14/03/2017"
    name = re.sub(r"\bil\s+\d{1,2}\s+\w+\s+\d{4}.*$", "", name, flags=re.I).strip()
    prev = None
    while prev != name:
        prev = name
        name = _BYLINE_PREFIX.sub("", name).strip(" :,-")
    if not name or name.lower() in _NOT_NAMES or "@" in name or name.startswith("http"):
        return None
    if len(name) > 60 or any(ch.isdigit() for ch in name):
        return None
    return name


def split_authors(raw: str) -> list[str]:
    text = clean_space(raw) or ""
    text = _BYLINE_PREFIX.sub("", text)
    out = []
    for part in _AUTHOR_SPLIT.split(text):
        name = clean_author_name(part)
        if name:
            out.append(name)
    return out


_STAFF = re.compile(r"^(la\s+)?redazione\b|^staff\b|^editorial staff\b", re.I)


def _join_authors(names: list[str]) -> str | None:
    """Names, once each; a staff byline ("Redazione") only when no person is named."""
    people = [n for n in names if not _STAFF.match(n)]
    names = people or [n[0].upper() + n[1:] for n in names if n]
    seen: list[str] = []
    for n in names:
        if n and n.lower() not in {s.lower() for s in seen}:
            seen.append(n)
    return ", ".join(seen) or None


_BYLINE_MARK = re.compile(r"author|byline|autore|firma|signature", re.I)


def _byline_elements(page: PageData):
    """Elements marked as bylines: rel=author, itemprop=author, or an author/byline class."""
    for el in page.marked(_BYLINE_MARK):
        if el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
            yield el
        elif _BYLINE_MARK.search(el.get("class") or "") and _BYLINE_CLASS.search(el.get("class") or ""):
            yield el


_BYLINE_CLASS = re.compile(
    r"(^|\s)author(\s|$)|byline|autore|firma|author-name|entry-author|post-author|article-author|signature", re.I
)
_BYLINE_START = re.compile(r"\s*(di|by|a cura di)\s", re.I)
_VISIBLE_BYLINE = re.compile(
    r"^(?:di|Di|DI|by|By|BY|a cura di|A cura di)\s+([A-ZÀ-Þ][\w'’.\-À-ÿ]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-À-ÿ]+|e|ed|and|de|di|da|del|della|van|von|,)){0,8})\s*$"
)


_NOISE_TOKEN = re.compile(
    r"^(?:.*[-_])?(comments?|commenti|commentlist|related|correlat[io]|sidebar|widgets?|site-footer|page-footer|"
    r"footer-widgets?|respond|disqus)(?:[-_].*)?$"
)


def _in_noise(el) -> bool:
    """Inside comments, related boxes, sidebars, navigation or the page footer. The footer
    of an article itself (WordPress's ``entry-footer`` with the tags) is not noise."""
    for anc in el.iterancestors():
        if anc.tag in ("body", "html"):
            break
        tokens = f"{anc.get('class', '')} {anc.get('id', '')}".lower().split()
        if anc.tag in ("aside", "nav") or any(_NOISE_TOKEN.match(t) and not t.startswith("no-") for t in tokens):
            return True
        if anc.tag == "footer" and not any(a.tag == "article" for a in anc.iterancestors()):
            return True
    return False


def author(page: PageData) -> str | None:
    names = jsonld.names(page.article.get("author") or page.article.get("creator"), page.nodes)
    cleaned = [c for n in names for c in split_authors(n)]
    if cleaned:
        return _join_authors(cleaned)
    meta = page.first_meta("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
    if meta and not meta.startswith("http"):
        cleaned = split_authors(meta)
        if cleaned:
            return _join_authors(cleaned)
    for el in _byline_elements(page):
        if _in_noise(el):
            continue
        text = element_text(el)
        if 2 < len(text) <= 120:
            cleaned = split_authors(text)
            if cleaned:
                return _join_authors(cleaned)
    # A short line that reads "di Nome Cognome" (legacy markup without classes).
    for el in page.tree.iter("p", "span", "div", "font", "em", "i", "b", "strong", "td", "small", "address"):
        if not _BYLINE_START.match(el.text or ""):
            continue
        text = element_text(el)
        if not (4 < len(text) <= 80) or _in_noise(el):
            continue
        m = _VISIBLE_BYLINE.match(text)
        if m:
            cleaned = split_authors(m.group(1))
            if cleaned:
                return _join_authors(cleaned)
    return None


# --- dates ------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.created", "parsely-pub-date",
    "sailthru.date", "cxenseparse:recs:publishtime", "original-publish-date", "article.published",
)
_MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "last-modified", "article.updated",
)
_DATE_MARK = re.compile(r"date|data|time|published|posted-on|meta", re.I)
_YEAR = re.compile(r"(19|20)\d\d")


def published(page: PageData) -> tuple[str | None, str | None]:
    tz = page.site.timezone
    value = parse_date(jsonld.first_text(page.article.get("datePublished") or page.article.get("dateCreated")), tz)
    if value:
        return value, "jsonld"
    # a Yoast-like graph may date the page on its WebPage node (the one whose url is this page)
    for node in jsonld.page_nodes(page.nodes, page.url):
        value = parse_date(jsonld.first_text(node.get("datePublished")), tz)
        if value:
            return value, "jsonld"
    for key in _PUBLISHED_META:
        value = parse_date(page.first_meta(key), tz)
        if value:
            return value, "meta"
    for el in page.tree.xpath("//*[@itemprop='datePublished']"):
        value = parse_date(el.get("content") or el.get("datetime") or element_text(el), tz)
        if value:
            return value, "meta"
    for el in page.tree.xpath("//time[@datetime]"):
        if _in_noise(el) or "updated" in (el.get("class") or "") or "modified" in (el.get("class") or ""):
            continue
        value = parse_date(el.get("datetime"), tz)
        if value:
            return value, "time"
    for el in page.marked(_DATE_MARK):
        if _in_noise(el):
            continue
        text = element_text(el)
        if len(text) <= 120:
            value = parse_text_date(text, tz)
            if value:
                return value, "text"
    value = date_from_url(page.url, tz)
    if value:
        return value, "url"
    # Last resort: the first human date in the article's region of the page.
    for el in page.tree.iter("p", "span", "div", "font", "td", "small", "em", "b"):
        if not _YEAR.search(el.text or ""):
            continue
        text = element_text(el)
        if len(text) <= 80 and not _in_noise(el):
            value = parse_text_date(text, tz)
            if value:
                return value, "text"
    return None, None


def modified(page: PageData, published_value: str | None) -> tuple[str | None, str | None]:
    tz = page.site.timezone
    value, source = parse_date(jsonld.first_text(page.article.get("dateModified")), tz), "jsonld"
    if not value:
        source = "meta"
        for key in _MODIFIED_META:
            value = parse_date(page.first_meta(key), tz)
            if value:
                break
    if not value:
        for el in page.tree.xpath("//*[@itemprop='dateModified']|//time[contains(@class,'updated') or contains(@class,'modified')]"):
            value = parse_date(el.get("content") or el.get("datetime"), tz)
            if value:
                source = "time"
                break
    if not value:
        return None, None
    if published_value and value[:19] < published_value[:19] and len(value) == len(published_value):
        return None, None  # modified before published: not believable
    return value, source


# --- section and tags ---------------------------------------------------------------

_BREADCRUMB_MARK = re.compile(r"breadcrumb", re.I)


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
    labels = [l for l in labels if l and l.lower() not in ("home", "homepage", "home page", "prima pagina")]
    if title_text:
        labels = [l for l in labels if l.lower() != title_text.lower()]
    return labels[-1] if labels else None


def _int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


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
    for a in page.tree.xpath("//a[contains(concat(' ',@rel,' '),' category ')]|//*[contains(@class,'cat-links')]//a"):
        if not _in_noise(a):
            text = element_text(a)
            if text:
                return text
    return None


_TAG_HREF = re.compile(r"(/tags?/|/argoment[oi]/|/topic/|[?&](tag|t|tags)=)", re.I)


_NOT_A_TAG = re.compile(r"^@|^\d+$|^[\w-]+:[\w-]+$|^https?://")  # CMS ids ("@post-id:123"), numbers, URLs


def _dedupe(labels: list[str]) -> list[str]:
    """Tag labels, once each (case-insensitive), in order; CMS ids and numbers dropped."""
    seen: set[str] = set()
    out = []
    for label in labels:
        label = (clean_space(label) or "").lstrip("#").strip()
        if not label or len(label) > 80 or _NOT_A_TAG.search(label) or label.lower() in seen:
            continue
        seen.add(label.lower())
        out.append(label)
    return out


def tags(page: PageData) -> list[str]:
    kw = page.article.get("keywords")
    if isinstance(kw, str) and kw.strip():
        return _dedupe(kw.split(","))
    if isinstance(kw, list) and kw:
        return _dedupe([str(k) for k in kw if isinstance(k, (str, int))])
    metas = page.meta.get("article:tag") or page.meta.get("og:article:tag")
    if metas:
        out = []
        for m in metas:
            out.extend(m.split(",") if len(metas) == 1 else [m])
        return _dedupe(out)
    links = [
        a for a in page.tree.xpath(
            "//a[contains(concat(' ',normalize-space(@rel),' '),' tag ')"
            " and not(contains(concat(' ',normalize-space(@rel),' '),' category '))]"
        )
        if not _in_noise(a)
    ]
    if not links:
        links = [
            a for a in page.tree.iter("a")
            if _TAG_HREF.search(a.get("href") or "") and not _in_noise(a) and not _in_tag_cloud(a)
        ]
    return _dedupe([element_text(a) for a in links])


def _in_tag_cloud(el) -> bool:
    for anc in el.iterancestors():
        marker = f"{anc.get('class', '')} {anc.get('id', '')}".lower()
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
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
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
