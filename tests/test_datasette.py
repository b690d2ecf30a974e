"""The archive in Datasette, through its in-process client: metadata, search, facets,
canned queries, escaping, SQL permissions."""

import asyncio

import pytest
from datasette.app import Datasette

from archive.cli import PLUGINS, STATIC, TEMPLATES, datasette_metadata
from archive.store import PageRecord, save_article, save_fetch, start_crawl
from extract.article import Article

SHADOW = ("articles_fts", "_sqlite_migrations", "sqlite_")  # sqlite_stat1: the planner's statistics


def article(url, title, text, site="curvanord", published="2026-03-01T20:45:00+01:00", **kw):
    return Article(url=url, site=site, title=title, text=text, published=published, section="Serie A",
                   author="Mario Rossi", language="it", tags=["Juventus"], fetched_at="2026-03-02T08:00:00+00:00", **kw)


@pytest.fixture
def archive(fresh_db, db_path):
    save_article(fresh_db, article("https://www.curvanord.it/a/", "Perché la Juventus ha cambiato modulo",
                                   "In città si parla solo del nuovo modulo.\n\nL'allenatore spiega perché."))
    save_article(fresh_db, article("https://www.gaz.it/b/", "<script>alert(1)</script>",
                                   "Testo con <img src=x onerror=alert(1)> dentro.", site="gazzettino",
                                   published="2026-03-02T10:00:00+01:00"))
    save_article(fresh_db, article("https://www.curvanord.it/a/", "Perché la Juventus ha cambiato modulo",
                                   "In città si parla solo del nuovo modulo.\n\nL'allenatore spiega perché, di nuovo."))
    crawl = start_crawl(fresh_db, "calcio", ["curvanord"])
    save_fetch(fresh_db, PageRecord(url="https://www.curvanord.it/x/", site="curvanord", status=500,
                                    fetched_at="2026-03-02T08:00:00+00:00", outcome="error", kind="error",
                                    reason="Internal Server Error", crawl_id=crawl))
    return db_path


def datasette(db_path, allow_sql=True):
    return Datasette([str(db_path)], metadata=datasette_metadata(db_path.stem, allow_sql),
                     static_mounts=[("calcio-static", str(STATIC))], plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES))


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def test_every_table_and_column_is_described(archive, fresh_db):
    tables = datasette_metadata("calcio")["databases"]["calcio"]["tables"]
    for name in fresh_db.table_names():
        if name.startswith(SHADOW):
            continue
        assert tables.get(name, {}).get("description"), f"table {name} undescribed"
        described = set(tables[name]["columns"])
        assert set(fresh_db[name].columns_dict) <= described, f"{name}: {set(fresh_db[name].columns_dict) - described}"


@pytest.mark.parametrize("query, expected", [("perche", 1), ("citta", 1), ("PERCHÉ", 1), ("allenator*", 1), ("napoli", 0)])
def test_search_ignores_accents(archive, query, expected):
    ds = datasette(archive)
    r = get(ds, f"/{archive.stem}/articles.json?_search={query}&_shape=array")
    assert r.status_code == 200
    assert len(r.json()) == expected


def test_search_canned_query_with_snippet(archive):
    r = get(datasette(archive), f"/{archive.stem}/search.json?q=perche&_shape=array")
    rows = r.json()
    assert len(rows) == 1 and "⟦" in rows[0]["snippet"]


def test_facets_and_newest_first(archive):
    r = get(datasette(archive), f"/{archive.stem}/articles.json?_extra=facet_results")
    facets = r.json()["facet_results"]
    assert {"site", "section"} <= set(facets)  # the cheap ones by default (an index each)
    assert not {"authors", "tags"} & set(facets)  # array facets read every row: on request only
    rows = get(datasette(archive), f"/{archive.stem}/articles.json?_shape=array").json()
    assert rows[0]["site"] == "gazzettino"  # published later


@pytest.mark.parametrize("query", ["latest", "per_site_per_day", "changed_articles", "crawl_runs", "failed_pages"])
def test_canned_queries_run(archive, query):
    r = get(datasette(archive), f"/{archive.stem}/{query}.json?_shape=array")
    assert r.status_code == 200, r.text
    rows = r.json()
    assert rows, f"{query} returned nothing"
    if query == "changed_articles":
        assert rows[0]["url"] == "https://www.curvanord.it/a/" and "text" in rows[0]["what_changed"]
    if query == "failed_pages":
        assert rows[0]["reason"] == "Internal Server Error"


def test_crawled_html_is_never_rendered(archive):
    ds = datasette(archive)
    for path in (f"/{archive.stem}/articles", f"/{archive.stem}/latest", f"/{archive.stem}/articles?_search=testo"):
        html = get(ds, path).text
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
    r = get(ds, f"/{archive.stem}/articles.json?_shape=array")
    assert r.headers["content-type"].startswith("application/json")


def test_arbitrary_sql_only_when_allowed(archive):
    sql = "select count(*) from articles"
    assert get(datasette(archive, allow_sql=True), f"/{archive.stem}.json?sql={sql}").status_code == 200
    assert get(datasette(archive, allow_sql=False), f"/{archive.stem}.json?sql={sql}").status_code == 403
    # canned queries stay available on a public server
    assert get(datasette(archive, allow_sql=False), f"/{archive.stem}/latest.json").status_code == 200


def test_chart_reachable_from_home(archive):
    ds = datasette(archive)
    home = get(ds, "/").text
    assert "/-/dashboards/archive" in home
    r = get(ds, "/-/dashboards/archive")
    assert r.status_code == 200 and "Articles by site over the whole archive" in r.text
    assert get(ds, "/calcio-static/calcio.css").status_code == 200


def test_football_facets_and_queries_are_served(fresh_db, db_path):
    milan = [{"id": "milan", "name": "Milan", "kind": "club", "mentions": 2, "in_title": True}]
    save_article(fresh_db, article("https://www.curvanord.it/m/", "Milan, è fatta", "Il Milan prende Ibarra."),
                 entities=milan)
    ds = datasette(db_path, allow_sql=False)
    r = get(ds, f"/{db_path.stem}/article_entities.json?_shape=objects")
    assert r.status_code == 200
    facets = r.json()["facet_results"]
    facets = facets.get("results", facets)
    assert {"entity", "kind", "in_title"} <= set(facets)
    r = get(ds, f"/{db_path.stem}/articles_about_club.json?club=milan&_shape=array")
    assert r.status_code == 200 and [row["title"] for row in r.json()] == ["Milan, è fatta"]
    r = get(ds, f"/{db_path.stem}/story_timeline")
    assert r.status_code == 200
def test_page_type_queries(archive, fresh_db):
    for url, page_type, reason in [("https://www.curvanord.it/foto/derby/", "gallery", "gallery: URL, JSON-LD gallery"),
                                   ("https://www.curvanord.it/chi-siamo/", "static", "static: URL"),
                                   ("https://www.curvanord.it/sitemap.xml", None, None)]:
        save_fetch(fresh_db, PageRecord(url=url, site="curvanord", status=200, fetched_at="2026-03-02T08:00:00+00:00",
                                        outcome="not_article" if page_type else "discovery", page_type=page_type,
                                        reason=reason))
    ds = datasette(archive)
    rows = get(ds, f"/{archive.stem}/page_types.json?_shape=array").json()
    assert {(r["page_type"], r["pages"]) for r in rows} >= {("gallery", 1), ("static", 1), ("(none: robots, sitemap, feed)", 2)}  # + the failed fetch
    rows = get(ds, f"/{archive.stem}/not_articles.json?_shape=array&page_type=gallery").json()
    assert [r["url"] for r in rows] == ["https://www.curvanord.it/foto/derby/"] and rows[0]["reason"].startswith("gallery")
    rows = get(ds, f"/{archive.stem}/not_articles.json?_shape=array&page_type=").json()
    assert len(rows) == 2
    facets = get(ds, f"/{archive.stem}/pages.json?_extra=facet_results").json()["facet_results"]
    assert "page_type" in facets
