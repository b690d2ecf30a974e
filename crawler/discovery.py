"""Reading sitemaps and feeds safely: no entities resolved, no network, bounded input.

Scrapy's ``Sitemap`` keeps only the direct children of ``<url>``, so the news sitemap's
``<news:publication_date>`` would be lost; this reader keeps it, with the same safe lxml
settings (``resolve_entities=False``, ``no_network``).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from lxml import etree

MAX_ENTRIES = 50_000


@dataclass
class Entry:
    url: str
    date: str | None = None  # lastmod, news publication date or feed date, as given


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _parser_kwargs() -> dict:
    return dict(
        recover=True, resolve_entities=False, no_network=True, remove_comments=True,
        remove_pis=True, huge_tree=False, load_dtd=False,
    )


def parse_sitemap(body: bytes) -> tuple[str | None, list[Entry]]:
    """Return ("sitemapindex" | "urlset" | None, entries)."""
    entries: list[Entry] = []
    kind: str | None = None
    try:
        for event, el in etree.iterparse(BytesIO(body), events=("start", "end"), **_parser_kwargs()):
            name = _local(el.tag)
            if event == "start":
                if kind is None:
                    kind = name if name in ("sitemapindex", "urlset") else "other"
                continue
            if name not in ("url", "sitemap"):
                continue
            loc = date = news_date = None
            for child in el.iter():
                cname = _local(child.tag)
                text = (child.text or "").strip()
                if cname == "loc" and loc is None:
                    loc = text
                elif cname == "lastmod":
                    date = text
                elif cname == "publication_date":
                    news_date = text
            if loc:
                entries.append(Entry(loc, news_date or date))
            el.clear()
            if len(entries) >= MAX_ENTRIES:
                break
    except etree.XMLSyntaxError:
        pass
    return (kind if kind in ("sitemapindex", "urlset") else None), entries


def parse_feed(body: bytes) -> list[Entry]:
    """Items of an RSS 1/2 or Atom feed: link and date."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(**_parser_kwargs()))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries: list[Entry] = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        link = date = None
        for child in item:
            cname = _local(child.tag)
            if cname == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = link or href.strip()
                elif child.text and child.text.strip():
                    link = link or child.text.strip()
            elif cname in ("guid",) and not link and (child.get("isPermaLink", "true") == "true"):
                if child.text and child.text.strip().startswith("http"):
                    link = child.text.strip()
            elif cname in ("pubdate", "published", "updated", "date") and child.text:
                date = date or child.text.strip()
        if link:
            entries.append(Entry(link, date))
        if len(entries) >= MAX_ENTRIES:
            break
    return entries


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
