"""Tolerant JSON-LD reading: the Article node of a page, whatever the markup's mistakes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from .urls import dedupe_key

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "livebiogposting",
    "liveblogposting", "sportsarticle", "report", "socialmediaposting", "posting", "techarticle",
    "askpublicnewsarticle", "satiricalarticle",
}

_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _loads(raw: str):
    raw = raw.strip()
    raw = raw.removeprefix("<![CDATA[").removesuffix("]]>")
    raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", _COMMENTS.sub("", raw))).strip().rstrip(";")
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        return None


def _walk(node) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk(node[key])


def types_of(node: dict) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {str(x).lower() for x in t}
    return set()


# Real JSON-LD nests a dozen levels; a block deeper than this is hostile and ignored (counted
# invalid) before any recursive parser or walker sees it.
JSONLD_MAX_DEPTH = 64


def _too_deep(raw: str, limit: int = JSONLD_MAX_DEPTH) -> bool:
    """True when the brackets of ``raw`` (outside strings) nest deeper than ``limit``."""
    if raw.count("{") + raw.count("[") <= limit:
        return False  # (too few brackets to nest that deep: the common case, no token walk)
    depth = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', raw):
        ch = token.group(0)
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


_LD_SCRIPTS = etree.XPath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]')
# the last page's blocks and what they gave: the extraction reads a page's JSON-LD twice (its
# metadata, then the body's articleBody reading), the second time from the same text
_last: tuple[tuple[str, ...], list[dict], int] = ((), [], 0)


def read_nodes(tree: lxml_html.HtmlElement) -> tuple[list[dict], int]:
    """All JSON-LD objects of the page (flattened), and the number of blocks that were not JSON
    (or nested too deep to read safely). The nodes are shared with other callers on the same
    JSON-LD text: read them, never change them."""
    global _last
    raws = tuple(script.text or "" for script in _LD_SCRIPTS(tree))
    if raws and raws == _last[0]:
        return list(_last[1]), _last[2]
    nodes: list[dict] = []
    invalid = 0
    for raw in raws:
        if not raw.strip():
            continue
        try:
            data = None if _too_deep(raw) else _loads(raw)
            found = list(_walk(data)) if data is not None else None
        except RecursionError:
            found = None
        if found is None:
            invalid += 1
            continue
        nodes.extend(found)
    _last = (raws, nodes, invalid)
    return list(nodes), invalid


def _node_urls(node: dict) -> list[str]:
    urls = []
    for key in ("url", "@id", "mainEntityOfPage"):
        v = node.get(key)
        if isinstance(v, dict):
            v = v.get("@id") or v.get("url")
        if isinstance(v, str) and v.startswith("http"):
            urls.append(v.split("#")[0])
    return urls


def _listed(nodes: list[dict]) -> set[int]:
    """ids of the nodes that are items of an ItemList (teasers of other articles)."""
    out: set[int] = set()
    for n in nodes:
        if "itemlist" in types_of(n):
            items = n.get("itemListElement")
            for it in items if isinstance(items, list) else [items]:
                if isinstance(it, dict):
                    out.add(id(it))
                    if isinstance(it.get("item"), dict):
                        out.add(id(it["item"]))
    return out


def article_node(nodes: list[dict], page_url: str) -> dict | None:
    """The node describing this page's article: the one whose url matches the page, else
    the first article-typed node with a headline or body that is neither an item of a list
    nor a node naming another page (a related article's teaser)."""
    candidates = [n for n in nodes if types_of(n) & ARTICLE_TYPES]
    if not candidates:
        return None
    key = dedupe_key(page_url)
    for node in candidates:
        if any(dedupe_key(u) == key for u in _node_urls(node)):
            return node
    listed = _listed(nodes)
    own = [n for n in candidates if id(n) not in listed and not _node_urls(n)]
    others = [n for n in candidates if id(n) not in listed and _node_urls(n)]
    for group in (own, others, candidates):
        for node in group:
            if node.get("headline") or node.get("articleBody"):
                return node
    return (own or others or candidates)[0]


def page_nodes(nodes: list[dict], page_url: str) -> list[dict]:
    """The WebPage-typed nodes that describe this very page (their url is the page's)."""
    key = dedupe_key(page_url)
    return [n for n in nodes if "webpage" in types_of(n) and any(dedupe_key(u) == key for u in _node_urls(n))]


def find_typed(nodes: list[dict], type_name: str) -> dict | None:
    for n in nodes:
        if type_name.lower() in types_of(n):
            return n
    return None


def resolve(nodes: list[dict], value):
    """Follow a ``{"@id": ...}`` reference to the node it names (Yoast graphs do this)."""
    if isinstance(value, dict) and set(value) <= {"@id"} and "@id" in value:
        for n in nodes:
            if n.get("@id") == value["@id"] and len(n) > 1:
                return n
    return value


def names(value, nodes: list[dict] | None = None) -> list[str]:
    """Names from a string, a Person/Organization object, or a list of them."""
    out: list[str] = []
    if isinstance(value, list):
        for v in value:
            out.extend(names(v, nodes))
    elif isinstance(value, dict):
        value = resolve(nodes or [], value)
        if isinstance(value, dict):
            name = value.get("name")
            if isinstance(name, list):
                name = " ".join(str(x) for x in name)
            if isinstance(name, str) and name.strip():
                out.append(name.strip())
    elif isinstance(value, str) and value.strip():
        out.append(value.strip())
    return out


def first_text(value) -> str | None:
    if isinstance(value, list):
        for v in value:
            t = first_text(v)
            if t:
                return t
        return None
    if isinstance(value, dict):
        return first_text(value.get("name") or value.get("url") or value.get("@id"))
    if isinstance(value, (str, int, float)) and str(value).strip():
        return str(value).strip()
    return None


def image_url(value, nodes: list[dict] | None = None) -> str | None:
    if isinstance(value, list):
        for v in value:
            u = image_url(v, nodes)
            if u:
                return u
        return None
    if isinstance(value, dict):
        value = resolve(nodes or [], value)
        if isinstance(value, dict):
            return image_url(value.get("url") or value.get("contentUrl"), nodes)
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
