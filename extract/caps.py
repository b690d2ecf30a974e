"""Length caps on metadata fields: a hostile or broken page (a 100 KB <title>, a tags list
of thousands) never fills the archive. Caps are generous for real pages; a capped field is
cut at a word boundary when there is one, and named so the crawl counts it
(stat ``extract/field_capped/<field>``)."""

from __future__ import annotations

from .article import Article

CAPS = {
    "title": 500,
    "author": 300,       # the comma-separated names
    "section": 120,
    "description": 2000,
    "publisher": 200,
    "image": 2083,       # the URL length limit the crawl uses
}
TAG_MAX_CHARS = 100      # one tag
MAX_TAGS = 50            # tags per article
AUTHOR_MAX_CHARS = 100   # one name in ``authors``
MAX_AUTHORS = 20


def _cut(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    head = value[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 0.8 else head).rstrip()


def cap_fields(article: Article) -> list[str]:
    """Cut ``article``'s fields to their caps in place; returns the names of the fields cut."""
    capped: list[str] = []
    for name, limit in CAPS.items():
        value = getattr(article, name, None)
        if isinstance(value, str) and len(value) > limit:
            setattr(article, name, _cut(value, limit))
            capped.append(name)
    for name, one, most in (("tags", TAG_MAX_CHARS, MAX_TAGS), ("authors", AUTHOR_MAX_CHARS, MAX_AUTHORS)):
        values = getattr(article, name, None)
        if not values:
            continue
        kept = [_cut(v, one) if isinstance(v, str) else v for v in values[:most]]
        if kept != list(values):
            setattr(article, name, kept)
            capped.append(name)
    return capped
