"""The archive's schema, only ever changed by migrations (applied in order, once)."""

from __future__ import annotations

from sqlite_utils import Migrations

MIGRATIONS = Migrations("calcio-archive")


@MIGRATIONS()
def m001_articles(db):
    db["articles"].create(
        {
            "url": str,
            "site": str,
            "title": str,
            "text": str,
            "published": str,
            "modified": str,
            "author": str,
            "section": str,
            "tags": str,
            "description": str,
            "image": str,
            "language": str,
            "fetched_at": str,
            "content_hash": str,
            "published_source": str,
            "modified_source": str,
            "paywall": int,
            "first_seen": str,
        },
        pk="url",
        not_null={"site", "text", "fetched_at", "content_hash"},
        defaults={"tags": "[]", "paywall": 0},
    )
    db["articles"].create_index(["site", "published"])
    db["articles"].create_index(["published"])
    db["articles"].create_index(["content_hash"])
