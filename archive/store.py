"""Writing the archive: one write transaction per fetched page and its article,
upserted on the canonical URL, with every version of an article kept."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from extract.article import Article
from extract.overlap import coverage

from .db import write_transaction
from .entities import save_entities
from .stories import assign_story

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
# a re-fetch that read much less of an archived article (a cut of the same text): the fuller
# text stays current, the shorter reading is kept as a version marked ``shrunk``
KEPT = "kept"
SHRUNK = "shrunk"
# "much less": under this share of the stored text's length, and made of the stored text
# (at least this share of its word trigrams found in it), so not a rewrite
SHRUNK_BELOW = 0.5
SHRUNK_CONTAINED = 0.9
VERSION_FIELDS = ("title", "text", "published", "modified", "author", "content_hash")
# pages.outcome of a wall (consent, login, bot check, paywall teaser): see extract.walls
BLOCKED = "blocked"
# article_versions.change of a paywall teaser kept beside the full text it does not replace
TEASER = "teaser"
# What reextract compares with the stored row (not only its content_hash)
COMPARED_FIELDS = ("title", "text", "published", "modified", "author", "section", "tags", "description",
                   "image", "language", "content_hash")


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class PageRecord:
    """One row of ``pages``: a fetched URL, where its bytes are, what became of it."""

    url: str
    site: str
    status: int
    fetched_at: str
    outcome: str
    kind: str = "article"
    content_type: str | None = None
    encoding: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    reason: str | None = None
    article_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    crawl_id: int | None = None
    page_type: str | None = None  # extract.article.PAGE_TYPES
    listed_date: str | None = None  # the sitemap lastmod / feed date seen at this fetch


def _upsert_article(db: sqlite_utils.Database, article: Article, change: str, entities: list | None = None,
                    sketch=None) -> str:
    outcome, first_seen = _upsert_row(db, article, change)
    if entities is not None:
        save_entities(db, article.url, entities)
    # a new article joins a story or starts one; an archived one keeps its story (or, in an
    # archive older than stories, gets one when reextract rebuilds it)
    assign_story(db, article, first_seen or article.fetched_at or now_utc(), sketch=sketch)
    return outcome


def _upsert_row(db: sqlite_utils.Database, article: Article, change: str) -> tuple[str, str | None]:
    """(outcome, the article's first_seen)."""
    if not article.text or not article.text.strip():
        raise ValueError(f"refusing to store an article without text: {article.url}")
    article.content_hash = article.content_hash or article.compute_hash()
    seen = article.fetched_at or now_utc()
    row = article.to_row()
    existing = db.execute("SELECT content_hash, first_seen FROM articles WHERE url = ?", [article.url]).fetchone()
    if existing is not None and change == "reextract":
        return _reextracted(db, article, row, seen), existing[1]
    if existing is None:
        row["first_seen"] = seen
        _insert(db, "articles", row)
        _add_version(db, article, "first", seen, first=True)
        return NEW, seen
    row["first_seen"] = existing[1]
    row["gone_at"] = None  # fetched again: it is back, if it had gone
    if existing[0] == article.content_hash:
        db["articles"].update(article.url, row)
        return UNCHANGED, existing[1]
    if change == "edit" and _shrunk(db, article):
        db.execute("UPDATE articles SET fetched_at = ?, gone_at = NULL WHERE url = ?", [seen, article.url])
        known = db.execute("SELECT 1 FROM article_versions WHERE url = ? AND change = ? AND content_hash = ?",
                           [article.url, SHRUNK, article.content_hash]).fetchone()
        if known is None:
            _add_version(db, article, SHRUNK, seen)
        return KEPT, existing[1]
    db["articles"].update(article.url, row)
    _add_version(db, article, change, seen)
    return UPDATED, existing[1]


def _shrunk(db: sqlite_utils.Database, article: Article) -> bool:
    """The new reading is a much shorter cut of the stored text (a layout that hid most of the
    body, a rule too eager, a lazy-loaded page), not a rewrite: it must not replace it."""
    stored = db.execute("SELECT text FROM articles WHERE url = ?", [article.url]).fetchone()[0] or ""
    new = article.text or ""
    return len(new) < SHRUNK_BELOW * len(stored) and coverage(stored, new) >= SHRUNK_CONTAINED


def _reextracted(db: sqlite_utils.Database, article: Article, row: dict, seen: str) -> str:
    """A rebuild from the WARC compares with the stored row itself (a row damaged, edited by
    hand or written by an older bug is rewritten even when its content_hash still matches)."""
    stored = db.execute(
        f"SELECT {', '.join(COMPARED_FIELDS)}, first_seen, paywall, published_source, gone_at FROM articles WHERE url = ?",
        [article.url]).fetchone()
    extra = dict(zip(("first_seen", "paywall", "published_source", "gone_at"), stored[len(COMPARED_FIELDS):]))
    if row["published"] is None and extra["published_source"] == "sitemap":  # the crawl's date, not the page's
        row["published"], row["published_source"] = stored[COMPARED_FIELDS.index("published")], "sitemap"
    row["paywall"] = max(row["paywall"], extra["paywall"] or 0)  # premium since: the flag stays
    row["first_seen"], row["gone_at"] = extra["first_seen"], extra["gone_at"]
    if all(stored[i] == row[f] for i, f in enumerate(COMPARED_FIELDS)):
        return UNCHANGED
    db["articles"].update(article.url, row)
    _add_version(db, article, "reextract", seen)
    return UPDATED


def _keep_teaser(db: sqlite_utils.Database, teaser: Article, page: PageRecord) -> None:
    """An archived article now served as a paywall teaser: its full text stays current, it is
    flagged ``paywall = 1``, and the teaser is kept as a version marked ``teaser`` (once per
    distinct teaser). A teaser never creates an article."""
    held = db.execute("SELECT article_url FROM pages WHERE url = ?", [page.url]).fetchone()
    url = held[0] if held and held[0] else teaser.url
    if db.execute("SELECT 1 FROM articles WHERE url = ?", [url]).fetchone() is None:
        return
    db.execute("UPDATE articles SET paywall = 1 WHERE url = ?", [url])
    teaser.url, teaser.content_hash = url, teaser.compute_hash()
    known = db.execute("SELECT 1 FROM article_versions WHERE url = ? AND change = ? AND content_hash = ?",
                       [url, TEASER, teaser.content_hash]).fetchone()
    if known is None:
        _add_version(db, teaser, TEASER, page.fetched_at)


def _add_version(db: sqlite_utils.Database, article: Article, change: str, seen: str, first: bool = False) -> None:
    last = 0 if first else (
        db.execute("SELECT max(version) FROM article_versions WHERE url = ?", [article.url]).fetchone()[0] or 0)
    row = {f: getattr(article, f) for f in VERSION_FIELDS}
    row.update(url=article.url, version=last + 1, change=change, seen_at=seen)
    _insert(db, "article_versions", row)


_INSERTS: dict[tuple, str] = {}


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> None:
    """A plain INSERT of ``row`` (its keys are columns of ``table``, created by the migrations).
    sqlite-utils' ``insert`` introspects the table on every call (PRAGMA table_info, foreign
    keys, …): a quarter of the store's time in the crawl's profile; the statement is cached."""
    key = (table, *row)
    sql = _INSERTS.get(key)
    if sql is None:
        sql = _INSERTS[key] = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in row)}) "
                               f"VALUES ({', '.join('?' * len(row))})")
    db.conn.execute(sql, [_value(v) for v in row.values()])


def _upsert(db: sqlite_utils.Database, table: str, row: dict, pk: str) -> None:
    """sqlite-utils' ``upsert`` (insert, or update the given columns of the row with that
    key) as one cached statement."""
    key = ("upsert", table, pk, *row)
    sql = _INSERTS.get(key)
    if sql is None:
        sets = ", ".join(f"[{c}] = excluded.[{c}]" for c in row if c != pk)
        sql = _INSERTS[key] = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in row)}) "
                               f"VALUES ({', '.join('?' * len(row))}) ON CONFLICT([{pk}]) DO UPDATE SET {sets}")
    db.conn.execute(sql, [_value(v) for v in row.values()])


def _value(value):
    """As sqlite-utils stores them: lists and dicts as JSON."""
    return json.dumps(value, default=str) if isinstance(value, (list, dict, tuple)) else value


def save_article(db: sqlite_utils.Database, article: Article, change: str = "edit",
                 entities: list | None = None) -> str:
    """Insert or update ``article``; returns "new", "updated" or "unchanged".

    ``change`` says who changed it when it differs: "edit" (the site) or "reextract"
    (our extractor). A page with no body never replaces a stored article."""
    with write_transaction(db):
        return _upsert_article(db, article, change, entities)


_LAST_FULL_COPY = ("article_url", "kind", "warc_file", "warc_offset", "warc_length", "content_type", "encoding")


def save_fetch(db: sqlite_utils.Database, page: PageRecord, article: Article | None = None,
               entities: list | None = None, sketch=None) -> str | None:
    """Record a fetched page and, when it is an article, the article (with its football
    entities and its story): all or nothing."""
    with write_transaction(db):
        return _save_fetch(db, page, article, entities, sketch)


@dataclass
class Fetch:
    """One page of a batch for ``save_fetches``."""

    page: PageRecord
    article: Article | None = None
    entities: list | None = None
    sketch: object | None = None  # archive.stories.sketch() of the article, made by an extraction worker


def save_fetches(db: sqlite_utils.Database, fetches: list[Fetch]) -> list[str | None | Exception]:
    """Record many fetched pages in one write transaction, each page all or nothing: a page
    whose write fails (a refused article) is rolled back to its savepoint alone, and its
    exception is returned in its place; the others commit together, or none does (the
    transaction's own failure — archive locked or full — is raised)."""
    results: list[str | None | Exception] = []
    with write_transaction(db):
        for fetch in fetches:
            db.execute("SAVEPOINT page")
            try:
                results.append(_save_fetch(db, fetch.page, fetch.article, fetch.entities, fetch.sketch))
            except (ValueError, TypeError, sqlite3.IntegrityError) as exc:
                db.execute("ROLLBACK TO page")
                results.append(exc)
            db.execute("RELEASE page")
    return results


def _save_fetch(db: sqlite_utils.Database, page: PageRecord, article: Article | None, entities: list | None,
                sketch) -> str | None:
    teaser = None
    if page.outcome == BLOCKED:  # a wall never becomes the current version, nor an article
        teaser, article = article, None
    outcome = _upsert_article(db, article, "edit", entities, sketch) if article is not None else None
    if article is not None:
        page.article_url = article.url
    row = dict(page.__dict__)
    if article is None:
        held = db.execute("SELECT article_url FROM pages WHERE url = ?", [page.url]).fetchone()
        if held and held[0]:
            # a 304 or a failed re-check of an archived article: the row keeps the link to
            # the article and where its last full copy is in the WARC files (for reextract)
            for key in _LAST_FULL_COPY:
                row.pop(key)
            for key in ("etag", "last_modified"):
                if row[key] is None:
                    row.pop(key)
            if page.status != 304:  # not read: the changed listing must still trigger a re-fetch
                row.pop("listed_date")
    _upsert(db, "pages", row, "url")
    if teaser is not None:
        _keep_teaser(db, teaser, page)
    if page.status in (404, 410):
        # the publisher removed it: the archive keeps every version and records when
        db.execute(
            "UPDATE articles SET gone_at = ? WHERE gone_at IS NULL AND url = "
            "(SELECT article_url FROM pages WHERE url = ?)",
            [page.fetched_at, page.url],
        )
    elif page.status == 304:  # still there, unchanged: back, if it had gone
        db.execute(
            "UPDATE articles SET gone_at = NULL WHERE gone_at IS NOT NULL AND url = "
            "(SELECT article_url FROM pages WHERE url = ?)",
            [page.url],
        )
    return outcome


def set_page_type(db: sqlite_utils.Database, url: str, page_type: str | None) -> None:
    """Record what a re-extraction says a fetched page is (``pages.page_type``)."""
    if page_type is None:
        return
    with write_transaction(db):
        db.execute("UPDATE pages SET page_type = ? WHERE url = ? AND page_type IS NOT ?", [page_type, url, page_type])


def get_article(db: sqlite_utils.Database, url: str) -> Article | None:
    rows = list(db["articles"].rows_where("url = ?", [url]))
    return Article.from_row(rows[0]) if rows else None


# --- crawl runs -----------------------------------------------------------------------

def start_crawl(db: sqlite_utils.Database, spider: str, sites: list[str]) -> int:
    """Record a new run; runs left "running" by a crash are marked "aborted"."""
    with write_transaction(db):
        db.execute("UPDATE crawls SET status = 'aborted', finish_reason = coalesce(finish_reason, 'killed') WHERE status = 'running'")
        return db["crawls"].insert(
            {"spider": spider, "sites": json.dumps(sites), "started_at": now_utc(), "status": "running"}
        ).last_pk


def finish_crawl(db: sqlite_utils.Database, crawl_id: int, reason: str, stats: dict, failed: bool) -> None:
    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    with write_transaction(db):
        db["crawls"].update(crawl_id, {
            "finished_at": now_utc(),
            "status": "failed" if failed else "finished",
            "finish_reason": reason,
            "pages_fetched": n("downloader/response_count"),
            "articles_new": n("archive/new"),
            "articles_updated": n("archive/updated"),
            "articles_unchanged": n("archive/unchanged"),
            "not_modified": n("archive/not_modified"),
            "errors": n("log_count/ERROR") + n("calcio/fetch_errors"),
            "stats": json.dumps(stats, default=str, sort_keys=True),
        })


# --- what the archive already holds (for incremental crawls) ------------------------------

@dataclass
class Held:
    fetched_at: str | None
    published: str | None
    etag: str | None
    last_modified: str | None
    listed_date: str | None = None  # the sitemap/feed date seen at the last fetch
    modified: str | None = None  # the article's own modified date, as archived


def held_pages(db: sqlite_utils.Database, site: str) -> dict[str, Held]:
    """Fetched URLs of ``site`` that hold an article: URL → what we know of its last fetch."""
    out: dict[str, Held] = {}
    listed = "p.listed_date" if "listed_date" in db["pages"].columns_dict else "NULL"  # before m006
    sql = (
        f"SELECT p.url, p.fetched_at, a.published, p.etag, p.last_modified, a.url, {listed}, a.modified FROM pages p "
        "JOIN articles a ON a.url = p.article_url WHERE p.site = ?"
    )
    for url, fetched, published, etag, last_modified, article_url, listed_date, modified in db.execute(sql, [site]).fetchall():
        held = Held(fetched, published, etag, last_modified, listed_date, modified)
        out[url] = held
        out.setdefault(article_url, held)
    return out


class HeldLookup:
    """``held_pages`` for one URL at a time: what the archive holds for a site's URL (by its
    dedupe key: any scheme, with or without the trailing slash), read when the spider meets
    the URL instead of loading the whole site's pages at start (two indexed look-ups)."""

    def __init__(self, db: sqlite_utils.Database, site: str):
        self.db = db
        self.site = site
        listed = "p.listed_date" if "listed_date" in db["pages"].columns_dict else "NULL"  # before m006
        self._sql = (
            f"SELECT p.fetched_at, a.published, p.etag, p.last_modified, {listed}, a.modified FROM pages p "
            "JOIN articles a ON a.url = p.article_url WHERE p.site = ? AND p.{column} IN (?, ?, ?, ?) LIMIT 1"
        )

    @staticmethod
    def variants(key: str) -> list[str]:
        """The URLs whose dedupe key is ``key`` (``//netloc/path?query``), in their canonical forms."""
        rest, _, query = key.removeprefix("//").partition("?")
        netloc, _, path = rest.partition("/")
        path = "/" + path.rstrip("/")
        paths = [path, path + "/"] if path != "/" else ["/", "/"]
        tail = "?" + query if query else ""
        return [f"{scheme}://{netloc}{p}{tail}" for scheme in ("https", "http") for p in paths]

    def get(self, key: str) -> Held | None:
        urls = self.variants(key)
        for column in ("url", "article_url"):  # the fetched URL first, then the article's canonical URL
            row = self.db.execute(self._sql.format(column=column), [self.site, *urls]).fetchone()
            if row is not None:
                return Held(*row)
        return None
