"""Writing articles: one write transaction per article, upserted on the canonical URL."""

from __future__ import annotations

import sqlite_utils

from extract.article import Article

from .db import write_transaction

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def save_article(db: sqlite_utils.Database, article: Article) -> str:
    """Insert or update ``article``; returns "new", "updated" or "unchanged".

    A page with no body never replaces a stored article."""
    if not article.text or not article.text.strip():
        raise ValueError(f"refusing to store an article without text: {article.url}")
    article.content_hash = article.content_hash or article.compute_hash()
    row = article.to_row()
    with write_transaction(db):
        existing = db.execute(
            "SELECT content_hash, first_seen FROM articles WHERE url = ?", [article.url]
        ).fetchone()
        if existing is None:
            row["first_seen"] = article.fetched_at
            db["articles"].insert(row)
            return NEW
        row["first_seen"] = existing[1]
        db["articles"].update(article.url, row)
        return UNCHANGED if existing[0] == article.content_hash else UPDATED


def get_article(db: sqlite_utils.Database, url: str) -> Article | None:
    rows = list(db["articles"].rows_where("url = ?", [url]))
    return Article.from_row(rows[0]) if rows else None
