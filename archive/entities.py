"""The clubs, national teams and competitions of each article (``article_entities``),
replaced whole whenever the article is stored, so ``reextract`` recomputes them."""

from __future__ import annotations

import sqlite_utils


def save_entities(db: sqlite_utils.Database, url: str, entities: list[dict]) -> None:
    """Runs inside the caller's write transaction."""
    db.execute("DELETE FROM article_entities WHERE url = ?", [url])
    if entities:
        db["article_entities"].insert_all(
            {"url": url, "entity": e["id"], "name": e["name"], "kind": e["kind"],
             "mentions": int(e["mentions"]), "in_title": int(bool(e["in_title"]))}
            for e in entities
        )
