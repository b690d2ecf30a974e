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
