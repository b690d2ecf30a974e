"""The clubs, national teams and competitions of each article (``article_entities``),
replaced whole whenever the article is stored, so ``reextract`` recomputes them."""

from __future__ import annotations

import sqlite_utils


def save_entities(db: sqlite_utils.Database, url: str, entities: list[dict]) -> None:
    """Runs inside the caller's write transaction."""
    db.execute("DELETE FROM article_entities WHERE url = ?", [url])
    if entities:
        db.conn.executemany(
            "INSERT INTO article_entities (url, entity, name, kind, mentions, in_title) VALUES (?, ?, ?, ?, ?, ?)",
            [(url, e["id"], e["name"], e["kind"], int(e["mentions"]), int(bool(e["in_title"]))) for e in entities],
        )
