"""Learned boilerplate: paragraphs that recur verbatim on many articles of one site.

Rules catch the noise every site has ("Leggi anche", "Seguici su"); what is left and
repeats word for word across a site's articles (a signature line, a standing appeal to
subscribe) is that site's own boilerplate. It is learned from the archive itself, kept
in the ``boilerplate`` table with its counts, and dropped at extraction time.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import sqlite_utils

from extract.boilerplate import normalize_paragraph

from .db import write_transaction
from .store import now_utc

MIN_ARTICLES = 3       # seen on at least this many articles of the site…
MIN_SHARE = 0.02       # …and on at least this share of them
MIN_CHARS = 15         # shorter lines are left to the rules


def _hash(normalised: str) -> str:
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()


def learn(db: sqlite_utils.Database, site: str) -> int:
    """Recount the site's recurring paragraphs; returns how many are boilerplate now."""
    counts: Counter = Counter()
    examples: dict[str, str] = {}
    total = 0
    # streamed, one row at a time: a site of 100,000 articles is never in memory at once
    for (text,) in db.execute("SELECT text FROM articles WHERE site = ?", [site]):
        total += 1
        seen = set()
        for para in (text or "").split("\n\n"):
            norm = normalize_paragraph(para)
            if len(norm) >= MIN_CHARS and norm not in seen:
                seen.add(norm)
                counts[norm] += 1
                examples.setdefault(norm, para.strip())
    threshold = max(MIN_ARTICLES, int(total * MIN_SHARE))
    recurring = {norm: n for norm, n in counts.items() if n >= threshold}
    now = now_utc()
    with write_transaction(db):
        first_seen = dict(db.execute("SELECT paragraph_hash, first_seen FROM boilerplate WHERE site = ?", [site]).fetchall())
        db.execute("DELETE FROM boilerplate WHERE site = ?", [site])
        if recurring:
            db["boilerplate"].insert_all(
                {"site": site, "paragraph_hash": _hash(norm), "paragraph": examples[norm], "pages": n,
                 "first_seen": first_seen.get(_hash(norm), now), "last_seen": now}
                for norm, n in recurring.items()
            )
    return len(recurring)


def learned_for(db: sqlite_utils.Database, site: str) -> frozenset[str]:
    """The normalised paragraphs to drop for ``site``."""
    if not db["boilerplate"].exists():
        return frozenset()
    rows = db.execute("SELECT paragraph FROM boilerplate WHERE site = ?", [site]).fetchall()
    return frozenset(normalize_paragraph(p) for (p,) in rows)
