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


@MIGRATIONS()
def m002_versions_pages_crawls(db):
    # Every version of every article, the current one included: a row is added only when
    # the normalised title+text changes (content_hash), so history is never spurious.
    db["article_versions"].create(
        {
            "id": int,
            "url": str,
            "version": int,
            "change": str,       # "first", "edit" (the newsroom changed it), "reextract" (our extractor did)
            "seen_at": str,      # when this version was fetched (or rebuilt)
            "title": str,
            "text": str,
            "published": str,
            "modified": str,
            "author": str,
            "content_hash": str,
        },
        pk="id",
        foreign_keys=[("url", "articles", "url")],
        not_null={"url", "version", "change", "seen_at", "content_hash"},
    )
    db["article_versions"].create_index(["url", "version"], unique=True)
    # One row per fetched URL: its latest fetch, where its bytes are, what extraction made of it.
    db["pages"].create(
        {
            "url": str,
            "site": str,
            "status": int,
            "content_type": str,
            "encoding": str,
            "fetched_at": str,
            "warc_file": str,
            "warc_offset": int,
            "warc_length": int,
            "kind": str,         # "article" (offered to extraction) or "discovery"
            "outcome": str,      # ok, not_article, empty, failed, timeout, not_modified, discovery
            "reason": str,
            "article_url": str,
            "etag": str,
            "last_modified": str,
            "crawl_id": int,
        },
        pk="url",
    )
    db["pages"].create_index(["site", "outcome"])
    db["crawls"].create(
        {
            "id": int,
            "spider": str,
            "sites": str,
            "started_at": str,
            "finished_at": str,
            "status": str,        # running, finished, failed, aborted
            "finish_reason": str,
            "pages_fetched": int,
            "articles_new": int,
            "articles_updated": int,
            "articles_unchanged": int,
            "not_modified": int,
            "errors": int,
            "stats": str,
        },
        pk="id",
    )
    # Paragraphs that recur verbatim on many pages of one site: learned boilerplate.
    db["boilerplate"].create(
        {"site": str, "paragraph_hash": str, "paragraph": str, "pages": int, "first_seen": str, "last_seen": str},
        pk=("site", "paragraph_hash"),
    )
    # Existing articles (archives created before history existed) get their first version.
    db.execute(
        "INSERT INTO article_versions (url, version, change, seen_at, title, text, published, modified, author, content_hash) "
        "SELECT url, 1, 'first', coalesce(first_seen, fetched_at), title, text, published, modified, author, content_hash FROM articles"
    )


@MIGRATIONS()
def m003_fulltext(db):
    # FTS5 over title, description and text, kept in sync by triggers. unicode61 with
    # remove_diacritics 2 folds accents, so "perche" finds "perché" and "citta" "città".
    # SQLite ships no Italian stemmer; prefix queries ("allenator*") cover most of it.
    db["articles"].enable_fts(
        ["title", "description", "text"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@MIGRATIONS()
def m004_gone_at(db):
    # When a re-check found the article gone (404/410): the archive keeps it, and says so.
    db["articles"].add_column("gone_at", str)


@MIGRATIONS()
def m005_page_type_authors_confidence(db):
    # What each fetched page is (article, liveblog, gallery, video, listing, data, static,
    # blocked, error): see extract.article.PAGE_TYPES.
    db["pages"].add_column("page_type", str)
    db["pages"].create_index(["site", "page_type"])
    # authors as a JSON array (for array facets), beside the comma-separated author
    db["articles"].add_column("authors", str, not_null_default="[]")
    db["articles"].add_column("publisher", str)
    db["articles"].add_column("extraction_confidence", float)
    db.execute(
        "UPDATE articles SET authors = (SELECT json_group_array(trim(value)) FROM json_each("
        "'[\"' || replace(replace(author, '\"', ''), ',', '\",\"') || '\"]')) WHERE author IS NOT NULL AND author != ''"
    )


@MIGRATIONS()
def m006_listed_date(db):
    # The sitemap lastmod / feed date seen at each fetch: a date that changed since then
    # triggers the conditional re-fetch, even when it is older than our fetch time.
    db["pages"].add_column("listed_date", str)


# --- m007: site health (issue 14) ---------------------------------------------------------
@MIGRATIONS()
def m007_site_health(db):
    # After each crawl, per site: the share of this run's articles with each field, the share
    # of pages refused or blocked, extraction failures, and the fields whose share dropped
    # clearly against the site's recent history (archive/health.py).
    db["site_health"].create(
        {
            "id": int,
            "crawl_id": int,
            "site": str,
            "checked_at": str,
            "articles": int,
            "pages": int,
            "author_share": float,
            "date_share": float,
            "section_share": float,
            "tags_share": float,
            "refused_share": float,
            "blocked_share": float,
            "failures": int,
            "alarm": str,
        },
        pk="id",
    )
    db["site_health"].create_index(["site", "crawl_id"])


@MIGRATIONS()
def m008_football(db):
    # Which clubs, national teams and competitions each article names (extract/football.py).
    db["article_entities"].create(
        {"url": str, "entity": str, "name": str, "kind": str, "mentions": int, "in_title": int},
        pk=("url", "entity"),
        foreign_keys=[("url", "articles", "url")],
    )
    db["article_entities"].create_index(["entity", "url"])
    db["article_entities"].create_index(["kind"])
    # The same news across sites (archive/stories.py): one story, its articles in order.
    db["stories"].create(
        {"id": int, "title": str, "first_url": str, "first_site": str, "first_at": str, "articles": int, "sites": int},
        pk="id",
    )
    db["stories"].create_index(["first_at"])
    db["story_articles"].create(
        {"url": str, "story_id": int, "site": str, "at": str, "published": str, "first_seen": str,
         "similarity": float, "signature": bytes},
        pk="url",
        foreign_keys=[("url", "articles", "url"), ("story_id", "stories", "id")],
    )
    db["story_articles"].create_index(["story_id", "at"])
    # The LSH index of the signatures, one row per band: queried per new article, never loaded whole.
    db["story_bands"].create({"key": int, "url": str, "at": str})
    db["story_bands"].create_index(["key", "at"])


@MIGRATIONS()
def m009_pages_article_url(db):
    # What the archive holds for a URL is looked up when the spider meets the URL
    # (archive.store.HeldLookup): by the fetched URL (the primary key), then by the article's
    # canonical URL, which this index answers without scanning the site's pages.
    db["pages"].create_index(["article_url"], if_not_exists=True)


# --- m010: indexes for Datasette at scale (issue 13) ---------------------------------------
# (m009 belongs to the crawl's side of issue 13.) Each index serves a page that
# benchmarks/datasette_speed.py times at 100k articles: the articles table's facets and its
# row count (narrow one-column indexes, scanned instead of the wide rows), the canned queries
# (each ordered the way its query reads, so it stops after its LIMIT instead of sorting the
# whole table), the pages table's default order. Expression and partial indexes are written in
# SQL: the query must repeat the indexed expression exactly (see archive/metadata.json).
M010_INDEXES = (
    "CREATE INDEX IF NOT EXISTS idx_articles_site ON articles (site)",
    "CREATE INDEX IF NOT EXISTS idx_articles_section ON articles (section)",
    "CREATE INDEX IF NOT EXISTS idx_articles_language ON articles (language)",
    # Low-confidence articles: extraction_confidence < ? ORDER BY extraction_confidence, published DESC
    "CREATE INDEX IF NOT EXISTS idx_articles_confidence ON articles (extraction_confidence, published DESC)",
    # Removed articles: the few with gone_at, newest removal first
    "CREATE INDEX IF NOT EXISTS idx_articles_gone_at ON articles (gone_at) WHERE gone_at IS NOT NULL",
    # The Atom feeds' atom_updated: the publication time when it has one, else first seen
    "CREATE INDEX IF NOT EXISTS idx_articles_atom_updated ON articles "
    "((CASE WHEN published LIKE '____-__-__T%' THEN published ELSE first_seen END))",
    # Articles per site per day: the day newest first, then the site, as the query orders them
    "CREATE INDEX IF NOT EXISTS idx_articles_day_site ON articles (substr(published, 1, 10) DESC, site)",
    # Changed articles (newest version first) and Recent edits (change = 'edit', newest first)
    "CREATE INDEX IF NOT EXISTS idx_article_versions_seen_at ON article_versions (seen_at)",
    "CREATE INDEX IF NOT EXISTS idx_article_versions_change_seen_at ON article_versions (change, seen_at)",
    # the pages table's order (newest fetch first), Failed pages, Pages that are not articles
    "CREATE INDEX IF NOT EXISTS idx_pages_fetched_at ON pages (fetched_at)",
    # Articles about a club, named by its display name
    "CREATE INDEX IF NOT EXISTS idx_article_entities_name ON article_entities (name)",
)


# weights of articles_fts's columns: title, description, text
FTS_RANK = "bm25(10.0, 5.0, 1.0)"


@MIGRATIONS()
def m010_datasette_indexes(db):
    for sql in M010_INDEXES:
        db.execute(sql)
    # FTS5's rank (the Search articles query orders by it): bm25 with a match in the headline
    # worth ten in the text, in the lead five; as fast as plain bm25
    if db["articles_fts"].exists():
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', ?)", [FTS_RANK])
    # statistics for the query planner (sqlite_stat1), so it picks these indexes: one pass
    # over the archive, here once; `calcio-archive serve` runs PRAGMA optimize on each start
    db.execute("ANALYZE")


# --- m011: Articles about a club at scale (issue 13) ----------------------------------------
# The query read every article of the club (5,000 of a big one at 100k articles: one lookup
# in articles each) to sort them by publication date. With the article's date beside each
# entity row, kept by triggers whoever writes either table, the index (entity, published)
# gives the newest 200 in order: the query reads 200 entity rows and their articles.
M011_INDEX = ("CREATE INDEX IF NOT EXISTS idx_article_entities_entity_published "
              "ON article_entities (entity, published DESC)")
M011_TRIGGERS = {
    # an entity row takes its article's date (the store writes the article first)
    "article_entities_published_ai":
        "CREATE TRIGGER IF NOT EXISTS article_entities_published_ai AFTER INSERT ON article_entities BEGIN "
        "UPDATE article_entities SET published = (SELECT published FROM articles WHERE url = NEW.url) "
        "WHERE url = NEW.url AND entity = NEW.entity; END",
    # an article written after its entity rows, or whose date changes, gives them its date
    "articles_entities_published_ai":
        "CREATE TRIGGER IF NOT EXISTS articles_entities_published_ai AFTER INSERT ON articles BEGIN "
        "UPDATE article_entities SET published = NEW.published WHERE url = NEW.url; END",
    "articles_entities_published_au":
        "CREATE TRIGGER IF NOT EXISTS articles_entities_published_au AFTER UPDATE OF published, url ON articles "
        "BEGIN UPDATE article_entities SET published = NEW.published WHERE url = NEW.url "
        "AND published IS NOT NEW.published; END",
}


@MIGRATIONS()
def m011_entities_published(db):
    if not db["article_entities"].exists():
        return
    db.execute("ALTER TABLE article_entities ADD COLUMN published TEXT")
    db.execute("UPDATE article_entities SET published = "
               "(SELECT published FROM articles WHERE articles.url = article_entities.url)")
    for sql in M011_TRIGGERS.values():
        db.execute(sql)
    db.execute(M011_INDEX)
    db.execute("ANALYZE article_entities")


# --- m012: the articles table's default facets at scale (issue 13) ------------------------
# Datasette counts a facet of the whole table with a GROUP BY over every article (a scan of
# the 100,000 entries of the facet's index at 100k articles, ~10 ms each under load). The
# counts of the default facets (metadata.json: site, section) are kept here instead, by
# triggers on articles, whoever writes it; the facet plugin
# (archive/datasette_plugins/calcio_facets.py) reads them for the unfiltered table and counts
# with Datasette's own SQL as soon as the page is filtered or searched. Null values are not
# counted (as a Datasette facet leaves them out); a value whose count falls to 0 is deleted.
FACET_COUNT_COLUMNS = ("site", "section")
M012_TABLE = ("CREATE TABLE IF NOT EXISTS article_facet_counts (facet TEXT NOT NULL, value TEXT NOT NULL, "
              "articles INTEGER NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID")


def _count_sql(column: str, ref: str, delta: int) -> str:
    if delta > 0:
        return (f"INSERT INTO article_facet_counts (facet, value, articles) SELECT '{column}', {ref}.{column}, 1 "
                f"WHERE {ref}.{column} IS NOT NULL "
                f"ON CONFLICT (facet, value) DO UPDATE SET articles = articles + 1;")
    return (f"UPDATE article_facet_counts SET articles = articles - 1 WHERE facet = '{column}' AND value = {ref}.{column}; "
            f"DELETE FROM article_facet_counts WHERE facet = '{column}' AND value = {ref}.{column} AND articles <= 0;")


M012_TRIGGERS = {
    "articles_facet_counts_ai":
        "CREATE TRIGGER IF NOT EXISTS articles_facet_counts_ai AFTER INSERT ON articles BEGIN "
        + " ".join(_count_sql(c, "NEW", 1) for c in FACET_COUNT_COLUMNS) + " END",
    "articles_facet_counts_ad":
        "CREATE TRIGGER IF NOT EXISTS articles_facet_counts_ad AFTER DELETE ON articles BEGIN "
        + " ".join(_count_sql(c, "OLD", -1) for c in FACET_COUNT_COLUMNS) + " END",
    **{f"articles_facet_counts_au_{c}":
       f"CREATE TRIGGER IF NOT EXISTS articles_facet_counts_au_{c} AFTER UPDATE OF {c} ON articles "
       f"WHEN OLD.{c} IS NOT NEW.{c} BEGIN " + _count_sql(c, "OLD", -1) + " " + _count_sql(c, "NEW", 1) + " END"
       for c in FACET_COUNT_COLUMNS},
}


@MIGRATIONS()
def m012_facet_counts(db):
    db.execute(M012_TABLE)
    for column in FACET_COUNT_COLUMNS:
        db.execute(f"INSERT INTO article_facet_counts (facet, value, articles) SELECT '{column}', {column}, count(*) "
                   f"FROM articles WHERE {column} IS NOT NULL GROUP BY {column}")
    for sql in M012_TRIGGERS.values():
        db.execute(sql)
