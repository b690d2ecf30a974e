"""The same news across sites: articles grouped into stories, incrementally, as they are stored.

Each new article gets a MinHash signature (datasketch) of its salient tokens: the names and
numbers of its title and text ("Ibarra", "Villarreal", "28", "2022"), which agency copies and
rewrites of one announcement share and different stories about the same club do not. The
LSH index lives in SQLite (``story_bands``: one row per band hash of each article), so an
article costs one indexed look-up of its bands, restricted to articles dated within
``WINDOW`` of it, and the comparison of at most ``MAX_CANDIDATES`` stored signatures: bounded
in time and memory whatever the size of the archive. It joins the story of the most similar
candidate whose estimated Jaccard similarity reaches ``THRESHOLD``, or starts a story.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import numpy as np
import sqlite_utils

from extract.article import Article
from extract.dates import as_datetime
from extract.football import fold

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2 hashing scheme, fixed: stored signatures must stay comparable
THRESHOLD = 0.45          # estimated Jaccard of the salient tokens
MIN_TOKENS = 8            # fewer names and numbers than this: too little to tell, a story of its own
WINDOW = timedelta(hours=72)
MAX_CANDIDATES = 200
_TOKEN = re.compile(r"\b[A-Z][\w']*|\b\d+(?:[.,]\d+)?\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?«»\"\n]\s*)$")


def salient_tokens(title: str | None, text: str | None) -> set[str]:
    """Capitalised words not opening a sentence, and numbers, lower-cased and accent-folded."""
    out: set[str] = set()
    for part in (title or "", text or ""):
        folded = fold(part)
        for m in _TOKEN.finditer(folded):
            word = m.group(0)
            if word[0].isalpha() and _SENTENCE_START.search(folded[max(0, m.start() - 3):m.start()]):
                continue
            out.add(word.lower().rstrip("'"))
    return out


# The LSH bands: what datasketch's MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM) picks to
# minimise false positives and negatives at THRESHOLD (checked by tests/test_stories.py), as
# constants: importing datasketch costs the crawl process 0.4 s of SciPy, and it needs no MinHash
# when the workers give the sketches.
BANDS, ROWS = 25, 5


def signature(tokens: set[str]):
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch([t.encode("utf-8") for t in sorted(tokens)])
    return mh


@lru_cache(maxsize=1)
def _bands() -> list[tuple[int, int]]:
    return [(i * ROWS, (i + 1) * ROWS) for i in range(BANDS)]


def band_keys(values: np.ndarray) -> list[int]:
    """The LSH band keys of a signature's values (``MinHash.hashvalues``, uint64)."""
    keys = []
    for i, (start, end) in enumerate(_bands()):
        digest = hashlib.blake2b(i.to_bytes(2, "big") + values[start:end].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def _utc(value: str | None) -> str | None:
    dt = as_datetime(value)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat() if dt else None


def sketch(article: Article) -> tuple[int, bytes]:
    """(how many salient tokens, the MinHash values as bytes) of an article: the CPU part of
    ``assign_story``, a pure function, so the crawl computes it in its extraction workers."""
    tokens = salient_tokens(article.title, article.text)
    return len(tokens), signature(tokens).hashvalues.astype(np.uint64).tobytes()


def candidates(db: sqlite_utils.Database, keys: list[int], lo: str, hi: str) -> list[tuple[str, int, bytes]]:
    """(url, story_id, signature) of the first ``MAX_CANDIDATES`` articles sharing a band key
    with ``keys`` within ``[lo, hi]``, in the order of the band index, each once: what

        SELECT DISTINCT b.url, s.story_id, s.signature FROM story_bands b
        JOIN story_articles s ON s.url = b.url WHERE b.key IN (…) AND b.at BETWEEN ? AND ? LIMIT …

    gives, without joining every band row and deduplicating it with its 1 KB signature: an
    article shares up to ``BANDS`` keys with each copy of it, so at 14,000 articles of the
    crawl benchmark (181 pages cycled) the join read 1,700 band rows for 71 candidates,
    3.5 ms per stored article. The band rows are read for their URLs only (deduplicated
    here), then the candidates' signatures in one query."""
    marks = ",".join("?" * len(keys))
    urls = list(dict.fromkeys(url for (url,) in db.execute(
        f"SELECT b.url FROM story_bands b WHERE b.key IN ({marks}) AND b.at BETWEEN ? AND ?", [*keys, lo, hi])))
    out: list[tuple[str, int, bytes]] = []
    start = 0
    while len(out) < MAX_CANDIDATES and start < len(urls):
        chunk = urls[start:start + MAX_CANDIDATES - len(out)]
        start += len(chunk)
        found = {url: (story_id, blob) for url, story_id, blob in db.execute(
            f"SELECT url, story_id, signature FROM story_articles WHERE url IN ({','.join('?' * len(chunk))})", chunk)}
        out.extend((url, *found[url]) for url in chunk if url in found)  # a band row without its article: skipped
    return out


def assign_story(db: sqlite_utils.Database, article: Article, first_seen: str,
                 sketch: tuple[int, bytes] | None = None) -> int:
    """Put a newly stored article in a story (an existing one or a new one); returns its id.
    Runs inside the caller's write transaction. ``sketch``: the article's ``sketch()``, when
    it was computed elsewhere."""
    held = db.execute("SELECT story_id FROM story_articles WHERE url = ?", [article.url]).fetchone()
    if held:
        return held[0]
    at = _utc(article.published) or _utc(first_seen) or first_seen
    if sketch is None:
        tokens = salient_tokens(article.title, article.text)
        n_tokens, values = len(tokens), signature(tokens).hashvalues.astype(np.uint64)
    else:
        n_tokens, raw = sketch
        values = np.frombuffer(raw, dtype=np.uint64)
    keys = band_keys(values)
    best, best_sim = None, 0.0
    if n_tokens >= MIN_TOKENS:
        moment = datetime.fromisoformat(at)
        lo, hi = (moment - WINDOW).isoformat(), (moment + WINDOW).isoformat()
        rows = candidates(db, keys, lo, hi)
        for _, story_id, blob in rows:
            # MinHash.jaccard of the two signatures (same scheme, seed and length), without
            # making a MinHash of each candidate
            other = np.frombuffer(blob, dtype=np.uint64)
            if len(other) != len(values):
                raise ValueError("Cannot compute Jaccard given MinHash with different numbers of permutation functions")
            sim = float(np.count_nonzero(values == other)) / float(len(values))
            if sim >= THRESHOLD and sim > best_sim:
                best, best_sim = story_id, sim
    if best is None:
        best = db.conn.execute(
            "INSERT INTO stories (title, first_url, first_site, first_at, articles, sites) VALUES (?, ?, ?, ?, 0, 0)",
            [article.title, article.url, article.site, at]).lastrowid
    db.conn.execute(
        "INSERT INTO story_articles (url, story_id, site, at, published, first_seen, similarity, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [article.url, best, article.site, at, article.published, first_seen, round(best_sim, 3) if best_sim else None,
         values.tobytes() if n_tokens >= MIN_TOKENS else None])
    if n_tokens >= MIN_TOKENS:
        db.conn.executemany("INSERT INTO story_bands (key, url, at) VALUES (?, ?, ?)", [(k, article.url, at) for k in keys])
    _refresh(db, best)
    return best


def _refresh(db: sqlite_utils.Database, story_id: int) -> None:
    first = db.execute(
        "SELECT url, site, at FROM story_articles WHERE story_id = ? ORDER BY at, first_seen LIMIT 1", [story_id]
    ).fetchone()
    count, sites = db.execute(
        "SELECT count(*), count(DISTINCT site) FROM story_articles WHERE story_id = ?", [story_id]).fetchone()
    title = db.execute("SELECT title FROM articles WHERE url = ?", [first[0]]).fetchone()
    db.execute(
        "UPDATE stories SET first_url = ?, first_site = ?, first_at = ?, title = coalesce(?, title), articles = ?, "
        "sites = ? WHERE id = ?",
        [first[0], first[1], first[2], title[0] if title else None, count, sites, story_id],
    )
