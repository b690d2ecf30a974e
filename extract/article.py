"""The one definition of an article, shared by extraction, pipelines, the store and the CLI.

Field names match the columns of the ``articles`` table (see DESIGN.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Article:
    url: str
    site: str | None = None
    title: str | None = None
    text: str | None = None
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    language: str | None = None
    fetched_at: str | None = None
    content_hash: str | None = None
    # where the dates came from: "jsonld", "meta", "time", "text", "url", "sitemap"
    published_source: str | None = None
    modified_source: str | None = None
    paywall: bool = False
    # author names as a list (``author`` is the same names, comma separated)
    authors: list[str] = field(default_factory=list)
    # the organisation that published it (newsroom, agency, brand), never a person
    publisher: str | None = None
    # 0–1: how far the independent readings of the body agree, and how article-like it is
    extraction_confidence: float | None = None

    def compute_hash(self) -> str:
        """Hash of the normalised title and text: equal for the same story, whatever the markup."""
        norm = " ".join((self.title or "").split()) + "\n" + " ".join((self.text or "").split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return asdict(self)

    def to_row(self) -> dict:
        """The row for the ``articles`` table: lists become JSON text, booleans integers."""
        row = asdict(self)
        row["tags"] = json.dumps(self.tags, ensure_ascii=False)
        row["authors"] = json.dumps(self.authors, ensure_ascii=False)
        row["paywall"] = int(self.paywall)
        return row

    @classmethod
    def from_row(cls, row: dict) -> "Article":
        names = {f.name for f in fields(cls)}
        data = {k: v for k, v in row.items() if k in names}
        for name in ("tags", "authors"):
            if isinstance(data.get(name), str):
                data[name] = json.loads(data[name] or "[]")
            elif name in data and data[name] is None:
                data[name] = []
        if "paywall" in data:
            data["paywall"] = bool(data["paywall"])
        return cls(**data)


ARTICLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Article))

# What a fetched page is (``pages.page_type``). Only ``article`` and ``liveblog`` become
# rows of ``articles``; the others are recorded in ``pages`` with the reason.
PAGE_TYPES: tuple[str, ...] = (
    "article", "liveblog", "gallery", "video", "listing", "data", "static", "blocked", "error",
)
STORED_PAGE_TYPES = frozenset({"article", "liveblog"})
