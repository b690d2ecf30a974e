"""The archive served at scale (issue 13): migration m010's indexes and FTS rank, the canned
queries rewritten to use them still answering what they say, and the plans that use them.
Speed itself is measured by benchmarks/datasette_speed.py, not here."""

import asyncio
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from archive.cli import PLUGINS, STATIC, TEMPLATES, datasette_metadata
from archive.schema import FACET_COUNT_COLUMNS, FTS_RANK, M010_INDEXES, M011_TRIGGERS, M012_TRIGGERS
from archive.store import save_article
from extract.article import Article

QUERIES = datasette_metadata("calcio")["databases"]["calcio"]["queries"]
COMMON, RARE = "derby", "zemaniano"
N = 1_100  # over the feed's 1,000 matches, where it scans its index instead of sorting the matches


def index_names(db):
    return {name for (name,) in db.execute("select name from sqlite_master where type = 'index'")}


def test_m010_indexes_statistics_and_rank(fresh_db):
    names = index_names(fresh_db)
    for sql in M010_INDEXES:
        assert sql.split("IF NOT EXISTS ")[1].split()[0] in names, sql
    assert fresh_db["sqlite_stat1"].exists()  # ANALYZE ran: the planner knows the indexes
    config = dict(fresh_db.execute("select k, v from articles_fts_config").fetchall())
    assert config["rank"] == FTS_RANK


@pytest.fixture
def big(fresh_db, db_path):
    """1,100 articles over 60 sites and 400 days, written as the store writes them (FTS by
    its triggers), entities, edits and removals among them."""
    start = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    rows, entities, versions = [], [], []
    for i in range(N):
        when = start + timedelta(hours=9 * i)
        site = f"sito{i % 60:02d}"
        url = f"https://www.{site}.it/{i}/"
        club, name = ("inter", "Inter") if i % 3 == 0 else ("pro-patria", "Pro Patria")
        text = f"Il {COMMON} di ieri sera, articolo {i}." + (f" Un gioco {RARE}." if i in (5, 500, 1000) else "")
        rows.append({"url": url, "site": site, "title": f"{name}, notizia {i}", "text": text,
                     # every 7th gives a date only: the feeds take its first_seen then
                     "published": when.date().isoformat() if i % 7 == 0 else when.isoformat(),
                     "first_seen": (when + timedelta(minutes=30)).astimezone(timezone.utc).isoformat(),
                     "fetched_at": when.isoformat(), "content_hash": f"h{i}", "language": "it",
                     "section": "Serie A" if i % 2 else "Serie C", "authors": json.dumps(["Mario Rossi"]),
                     "extraction_confidence": (i % 10) / 10, "gone_at": when.isoformat() if i % 250 == 0 else None})
        entities.append({"url": url, "entity": club, "name": name, "kind": "club", "mentions": 1 + i % 4,
                         "in_title": 1})
        versions.append({"url": url, "version": 1, "change": "first", "seen_at": rows[-1]["first_seen"],
                         "title": rows[-1]["title"], "text": text, "content_hash": f"h{i}"})
        if i % 10 == 0:
            versions.append({**versions[-1], "version": 2, "change": "edit" if i % 20 else "reextract",
                             "seen_at": (when + timedelta(days=1)).isoformat(), "text": text + " Aggiornato."})
    fresh_db["articles"].insert_all(rows)
    fresh_db["article_entities"].insert_all(entities)
    fresh_db["article_versions"].insert_all(versions)
    fresh_db.execute("ANALYZE")
    return db_path


def datasette(db_path):
    return Datasette([str(db_path)], metadata=datasette_metadata(db_path.stem), static_mounts=[("calcio-static", str(STATIC))],
                     plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES))


def query(ds, db_path, name, **params):
    qs = "&".join(f"{k}={v}" for k, v in params.items())
    r = asyncio.run(ds.client.get(f"/{db_path.stem}/{name}.json?_shape=array&{qs}"))
    assert r.status_code == 200, r.text
    return r.json()


UPDATED = "case when published like '____-__-__T%' then published else first_seen end"


@pytest.mark.parametrize("term, matches", [(COMMON, N), (RARE, 3), ("nessuno", 0)])
def test_feed_search_gives_the_newest_matches_whichever_plan(big, fresh_db, term, matches):
    # > 1000 matches: the newest 50 by scanning the atom_updated index; fewer: the matches sorted
    expected = [url for (url,) in fresh_db.execute(
        f"select url from articles where rowid in (select rowid from articles_fts where articles_fts match ?) "
        f"order by {UPDATED} desc limit 50", [term])]
    assert len(expected) == min(matches, 50)
    rows = query(datasette(big), big, "feed_search", q=term)
    if matches:
        assert [r["atom_id"] for r in rows] == expected
        assert all(r["atom_updated"] and r["atom_title"] for r in rows)
    else:
        assert [r["atom_id"] for r in rows] == ["urn:calcio-archive:no-match"]


def test_feed_latest_and_latest(big, fresh_db):
    ds = datasette(big)
    expected = [u for (u,) in fresh_db.execute(f"select url from articles order by {UPDATED} desc limit 50")]
    assert [r["atom_id"] for r in query(ds, big, "feed_latest")] == expected
    expected = [u for (u,) in fresh_db.execute("select url from articles order by published desc limit 100")]
    assert [r["url"] for r in query(ds, big, "latest")] == expected


def test_per_site_per_day_counts_the_latest_days(big, fresh_db):
    expected = fresh_db.execute(
        "select substr(published, 1, 10) as day, site, count(*) from articles where published is not null "
        "group by day, site order by day desc, site limit 1000").fetchall()
    rows = query(datasette(big), big, "per_site_per_day")
    assert [(r["day"], r["site"], r["articles"]) for r in rows] == [tuple(e) for e in expected]
    assert len(rows) == 1000 and sum(r["articles"] for r in rows) < N  # the newest 1,000 day and site pairs


@pytest.mark.parametrize("club", ["inter", "Inter", "pro-patria", "Pro Patria", "nobody"])
def test_articles_about_club_by_id_or_name(big, fresh_db, club):
    expected = [u for (u,) in fresh_db.execute(
        "select a.url from article_entities e join articles a on a.url = e.url where e.entity = lower(?) "
        "or e.name = ? order by a.published desc limit 200", [club, club])]
    assert (len(expected) == 200) == (club != "nobody")
    assert [r["url"] for r in query(datasette(big), big, "articles_about_club", club=club.replace(" ", "+"))] == expected


def test_low_confidence_removed_and_changed(big, fresh_db):
    ds = datasette(big)
    rows = query(ds, big, "low_confidence", threshold="0.2")
    assert len(rows) == 220 and {r["extraction_confidence"] for r in rows} == {0.0, 0.1}
    assert rows[0]["extraction_confidence"] == 0.0 and rows[0]["published"] >= rows[1]["published"]
    removed = query(ds, big, "removed_articles")
    assert len(removed) == 5 and [r["gone_at"] for r in removed] == sorted((r["gone_at"] for r in removed), reverse=True)
    edits = query(ds, big, "recent_edits")
    assert len(edits) == N // 20 and all("text" in r["what_changed"] for r in edits)
    changed = query(ds, big, "changed_articles")
    assert len(changed) == 110 and {r["change"] for r in changed} == {"edit", "reextract"}
    assert [r["seen_at"] for r in changed] == sorted((r["seen_at"] for r in changed), reverse=True)


@pytest.mark.parametrize("name, index", [
    ("feed_latest", "idx_articles_atom_updated"),
    ("per_site_per_day", "idx_articles_day_site"),
    ("low_confidence", "idx_articles_confidence"),
    ("removed_articles", "idx_articles_gone_at"),
    ("recent_edits", "idx_article_versions_change_seen_at"),
    ("changed_articles", "idx_article_versions_seen_at"),
    ("articles_about_club", "idx_article_entities_entity_published"),
])
def test_canned_queries_read_their_index(big, fresh_db, name, index):
    sql = QUERIES[name]["sql"]
    params = {p: "inter" if p == "club" else "" for p in ("club", "threshold", "q", "page_type") if f":{p}" in sql}
    plan = " | ".join(row[3] for row in fresh_db.execute(f"explain query plan {sql}", params))
    assert index in plan, plan


def test_search_is_ranked_headline_first(big, fresh_db):
    fresh_db["articles"].insert({"url": "https://www.sito01.it/titolo/", "site": "sito01", "title": f"Il {RARE} torna",
                                 "text": "Niente di nuovo.", "fetched_at": "2026-01-01", "content_hash": "t"})
    rows = query(datasette(big), big, "search", q=RARE)
    assert len(rows) == 4 and rows[0]["url"] == "https://www.sito01.it/titolo/"  # bm25(10, 5, 1): the headline


def test_served_with_bounded_facets_and_memory_mapped_reads(big):
    from archive.cli import FACET_TIME_LIMIT_MS, datasette_args

    args = datasette_args(str(big), "127.0.0.1", 8001, "/tmp/meta.json")
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert settings["suggest_facets"] == "off" and settings["facet_time_limit_ms"] == str(FACET_TIME_LIMIT_MS)
    ds = datasette(big)
    db = ds.get_database(big.stem)
    mmap = asyncio.run(db.execute("pragma mmap_size")).rows[0][0]
    cache = asyncio.run(db.execute("pragma cache_size")).rows[0][0]
    assert mmap > 0 and cache < -2000  # larger than SQLite's default 2 MB


def test_m011_entities_carry_their_articles_date_whoever_writes(fresh_db):
    assert set(M011_TRIGGERS) <= {n for (n,) in fresh_db.execute("select name from sqlite_master where type = 'trigger'")}
    inter = [{"id": "inter", "name": "Inter", "kind": "club", "mentions": 2, "in_title": True}]

    def article(published, text="Inter, la notizia del giorno."):
        return Article(url="https://www.sito01.it/a/", site="sito01", title="Inter", text=text,
                       published=published, fetched_at="2026-01-02T10:00:00+00:00")

    def dates():
        return fresh_db.execute("select published from article_entities").fetchall()

    save_article(fresh_db, article("2026-01-01T10:00:00+01:00"), entities=inter)  # the store
    assert dates() == [("2026-01-01T10:00:00+01:00",)]
    save_article(fresh_db, article("2026-01-03T09:00:00+01:00", "Inter, la notizia corretta."), entities=inter)
    assert dates() == [("2026-01-03T09:00:00+01:00",)]
    fresh_db.execute("update articles set published = null")  # any other writer
    assert dates() == [(None,)]
    # entity rows written before their article (a writer without foreign keys) take its date when it comes
    fresh_db.execute("pragma foreign_keys = off")
    fresh_db["article_entities"].insert({"url": "https://www.sito02.it/b/", "entity": "milan", "name": "Milan",
                                         "kind": "club", "mentions": 1, "in_title": 0})
    fresh_db["articles"].insert({"url": "https://www.sito02.it/b/", "site": "sito02", "title": "Milan", "text": "t",
                                 "published": "2026-02-01", "fetched_at": "2026-02-01", "content_hash": "b"})
    assert fresh_db.execute("select published from article_entities where entity = 'milan'").fetchall() == [("2026-02-01",)]


def test_m011_backfills_an_archive_written_before_it(tmp_path):
    from archive.db import open_db
    from archive.schema import MIGRATIONS

    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    MIGRATIONS.apply(db, stop_before="m011_entities_published")
    db["articles"].insert({"url": "u", "site": "s", "title": "t", "text": "t", "published": "2026-03-01",
                           "fetched_at": "2026-03-01", "content_hash": "h"})
    db["article_entities"].insert({"url": "u", "entity": "roma", "name": "Roma", "kind": "club", "mentions": 1,
                                   "in_title": 1})
    db.close()
    db = open_db(path)
    assert db.execute("select entity, published from article_entities").fetchall() == [("roma", "2026-03-01")]
    assert "idx_article_entities_entity_published" in index_names(db)


def test_articles_about_club_newest_first_with_dates_and_ties(big, fresh_db):
    # the order comes from the entity rows' copy of the date: the same as the articles' own
    fresh_db.execute("update articles set published = '2030-01-01' where url = 'https://www.sito00.it/0/'")
    fresh_db.execute("update articles set published = null where url = 'https://www.sito03.it/3/'")
    rows = query(datasette(big), big, "articles_about_club", club="inter")
    assert rows[0]["url"] == "https://www.sito00.it/0/" and rows[0]["published"] == "2030-01-01"
    dates = [r["published"] for r in rows]
    assert dates == sorted(dates, reverse=True) and len(rows) == 200
    assert "https://www.sito03.it/3/" not in {r["url"] for r in rows}  # undated: last, past the 200


# --- m012 and the facet and search plugins ---------------------------------------------------
def facet_counts_by_sql(db, column, where="", params=()):
    return [tuple(r) for r in db.execute(
        f"select {column}, count(*) as c from articles where {column} is not null {where} group by {column} "
        f"order by c desc, {column}", params)]


def stored_counts(db):
    return {(f, v): n for f, v, n in db.execute("select facet, value, articles from article_facet_counts")}


def counts_by_sql(db):
    return {(c, v): n for c in FACET_COUNT_COLUMNS for v, n in facet_counts_by_sql(db, c)}


def test_m012_counts_follow_every_write(fresh_db):
    assert set(M012_TRIGGERS) <= {n for (n,) in fresh_db.execute("select name from sqlite_master where type = 'trigger'")}

    def article(url, site, section, text="Il derby di ieri."):
        return Article(url=url, site=site, title="Derby", text=text, section=section,
                       published="2026-01-01T10:00:00+01:00", fetched_at="2026-01-02T10:00:00+00:00")

    save_article(fresh_db, article("https://a.it/1/", "sito01", "Serie A"))  # the store
    save_article(fresh_db, article("https://a.it/2/", "sito01", None))
    save_article(fresh_db, article("https://b.it/3/", "sito02", "Serie B"))
    assert stored_counts(fresh_db) == counts_by_sql(fresh_db) == {
        ("site", "sito01"): 2, ("site", "sito02"): 1, ("section", "Serie A"): 1, ("section", "Serie B"): 1}
    save_article(fresh_db, article("https://a.it/1/", "sito01", "Serie C", "Il derby di ieri, corretto."))  # an edit
    fresh_db.execute("update articles set title = 'x'")  # a write that moves no count
    fresh_db.execute("update articles set site = 'sito03' where url = 'https://b.it/3/'")  # any other writer
    fresh_db.execute("update articles set section = 'Serie A' where url = 'https://a.it/2/'")
    assert stored_counts(fresh_db) == counts_by_sql(fresh_db)
    fresh_db.execute("pragma foreign_keys = off")  # the archive never deletes an article; a writer could
    fresh_db.execute("delete from articles where site = 'sito01'")
    assert stored_counts(fresh_db) == counts_by_sql(fresh_db) == {("site", "sito03"): 1, ("section", "Serie B"): 1}


def test_m012_backfills_an_archive_written_before_it(tmp_path):
    from archive.db import open_db
    from archive.schema import MIGRATIONS

    path = tmp_path / "old.db"
    db = open_db(path, migrate=False)
    MIGRATIONS.apply(db, stop_before="m012_facet_counts")
    db["articles"].insert_all([{"url": f"u{i}", "site": f"s{i % 3}", "section": None if i % 4 else "Serie A",
                                "text": "t", "fetched_at": "2026-03-01", "content_hash": "h"} for i in range(20)])
    db.close()
    db = open_db(path)
    assert stored_counts(db) == counts_by_sql(db) and stored_counts(db)[("section", "Serie A")] == 5


def traced(ds, path, status=200):
    """The response and the SQL Datasette ran for it (its tracer needs a running task)."""
    from datasette.tracer import capture_traces

    async def get():
        traces = []
        with capture_traces(traces):
            return await ds.client.get(path), [t["sql"] for t in traces]

    r, sqls = asyncio.run(get())
    assert status is None or (r.status_code == status and sqls), r.text
    return r, sqls


def facets_of(r):
    return {name: [(v["value"], v["count"]) for v in f["results"]] for name, f in r.json()["facet_results"].items()}


def test_table_facets_read_the_counts_unfiltered_and_count_when_filtered(big, fresh_db):
    ds = datasette(big)
    r, sqls = traced(ds, f"/{big.stem}/articles.json?_extra=facet_results")
    assert facets_of(r) == {c: facet_counts_by_sql(fresh_db, c)[:6] for c in ("site", "section")}
    assert {f["type"] for f in r.json()["facet_results"].values()} == {"column"}  # as Datasette's own
    assert sum("article_facet_counts" in s for s in sqls) == 2, sqls
    assert not any("count(*) as count" in s for s in sqls)  # no facet counted over the articles
    # filtered or searched: Datasette's count over the matching rows
    r, sqls = traced(ds, f"/{big.stem}/articles.json?_extra=facet_results&site=sito03")
    assert facets_of(r) == {"site": [("sito03", 19)], "section": facet_counts_by_sql(fresh_db, "section", "and site = 'sito03'")}
    assert not any("article_facet_counts" in s for s in sqls)
    assert sum(s.startswith("select site, section, count(*) from (") for s in sqls) == 1  # one pass for both
    r, _ = traced(ds, f"/{big.stem}/articles.json?_extra=facet_results&_search={RARE}")
    assert facets_of(r)["section"] == [("Serie C", 2), ("Serie A", 1)]  # articles 5, 500 and 1000
    # the HTML page shows them as Datasette's column facets, with their links
    page = asyncio.run(ds.client.get(f"/{big.stem}/articles")).text
    assert 'data-column="site"' in page and "(counted)" not in page and "?site=sito00" in page


def search_plugin():
    from datasette.plugins import pm

    return pm.get_plugin("calcio_search.py")


@pytest.mark.parametrize("many, mode", [(True, "raw"), (False, "raw"), (True, "escaped")])
def test_table_search_reads_in_the_tables_order_when_it_matches_many(big, fresh_db, monkeypatch, many, mode):
    ds = datasette(big)  # loads the plugins
    monkeypatch.setattr(search_plugin(), "MANY", 100 if many else 10_000)
    r, sqls = traced(ds, f"/{big.stem}/articles.json?_search={COMMON}&_extra=facet_results&_extra=count&_size=50"
                         f"&_shape=objects&_searchmode={mode}")
    main = next(s for s in sqls if s.startswith("select url, site"))
    assert ("+rowid in (select rowid from" in main) == many
    expected = [p for (p,) in fresh_db.execute("select published from articles order by published desc limit 50")]
    assert [row["published"] for row in r.json()["rows"]] == expected  # every article has the word
    assert r.json()["filtered_table_rows_count"] == N
    assert facets_of(r)["section"] == facet_counts_by_sql(fresh_db, "section")
    # the first 6 of 60 sites, ties (18 or 19 articles each) in the order of the value, as Datasette's
    assert facets_of(r)["site"] == facet_counts_by_sql(fresh_db, "site")[:6] and r.json()["facet_results"]["site"]["truncated"]
    # both facets in one pass over the matches, found by rowid as Datasette writes the search
    facet_sqls = [s for s in sqls if s.startswith("select site, section, count(*) from (")]
    assert len(facet_sqls) == 1 and " rowid in (select rowid from" in facet_sqls[0] and "+rowid" not in facet_sqls[0]
    # the next page goes on where the first stopped
    r2 = asyncio.run(ds.client.get(f"/{big.stem}/articles.json?_search={COMMON}&_size=50&_shape=objects&_next={r.json()['next']}"))
    expected = [p for (p,) in fresh_db.execute("select published from articles order by published desc limit 50 offset 50")]
    assert [row["published"] for row in r2.json()["rows"]] == expected


@pytest.mark.parametrize("args", [f"_search={RARE}", f"_search={COMMON}&_sort=title", f"_search={COMMON}&site=sito03",
                                  f"_search_text={COMMON}", "_search=" + quote('"unclosed')])
def test_table_search_left_to_the_planner_otherwise(big, fresh_db, monkeypatch, args):
    # few matches, another order, another filter, a column search, a malformed query: Datasette's SQL
    ds = datasette(big)
    monkeypatch.setattr(search_plugin(), "MANY", 4)  # over the rare word's 3 matches
    r, sqls = traced(ds, f"/{big.stem}/articles.json?{args}", status=None)
    assert not any("+rowid" in s for s in sqls)
    if "unclosed" in args:
        assert r.status_code == 400 and "unterminated string" in r.text  # SQLite's message, as without the plugin
    else:
        assert r.status_code == 200 and any("articles_fts" in s for s in sqls) and r.json()["rows"]
