"""The archive as people use it in Datasette (in-process client): array facets that count
each author and tag, headlines that open the archived article, an article's history with
the words each edit inserted and removed (crawled text escaped), Atom feeds of the latest
articles and of any search, and the charts' queries over the whole archive."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode

from archive.store import save_article
from extract.article import Article
from tests.test_datasette import datasette, get

ATOM = "{http://www.w3.org/2005/Atom}"
EDITED = "https://www.curvanord.it/2026/03/01/inter-rimonta/"


def art(url, title, text, site="curvanord", published="2026-03-01T20:45:00+01:00", authors=("Luca Bianchi",),
        tags=("Inter",), fetched_at="2026-03-02T08:00:00+00:00", **kw):
    return Article(url=url, site=site, title=title, text=text, published=published, section="Serie A",
                   author=", ".join(authors), authors=list(authors), language="it", tags=list(tags),
                   fetched_at=fetched_at, **kw)


@pytest.fixture
def archive(fresh_db, db_path):
    save_article(fresh_db, art(EDITED, "L'Inter rimonta a San Siro",
                               "Primo tempo difficile per i nerazzurri.\n\nNella ripresa la squadra cambia passo.\n\n"
                               "Il tecnico: <b>siamo contenti</b>.", authors=("Luca Bianchi", "Chiara Mancini"),
                               tags=("Inter", "Serie A")))
    save_article(fresh_db, art("https://www.gazzettino-sportivo.it/calcio/inter-mercato.shtml", "Inter, il mercato di gennaio",
                               "L'Inter cerca un difensore.", site="gazzettino", published="2019-01-10T09:00:00+01:00",
                               authors=("Chiara Mancini",), tags=("Inter", "Calciomercato")))
    save_article(fresh_db, art("https://www.curvanord.it/2026/02/20/juve-modulo/", "<script>alert(1)</script> Juve",
                               "La Juventus cambia modulo.", published="2026-02-20T18:00:00+01:00", authors=(),
                               tags=("Juventus",)))
    # the newsroom edits the first story: a sentence changes, one is added, crawled markup in it
    save_article(fresh_db, art(EDITED, "L'Inter rimonta a San Siro",
                               "Primo tempo difficile per i nerazzurri.\n\nNella ripresa la squadra cambia ritmo e segna due volte.\n\n"
                               "Il tecnico: <b>siamo contenti</b>.\n\nAggiornamento: <img src=x onerror=alert(1)> infortunio per il capitano.",
                               authors=("Luca Bianchi", "Chiara Mancini"), tags=("Inter", "Serie A"),
                               fetched_at="2026-03-02T12:00:00+00:00"))
    return db_path


def test_authors_and_tags_are_array_facets(archive):
    # offered on request (at 100k articles an array facet reads every row: not a default one)
    r = get(datasette(archive), f"/{archive.stem}/articles.json?_extra=facet_results&_facet_array=authors"
                                f"&_facet_array=tags&_facet=language&_facet_date=published")
    facets = r.json()["facet_results"]
    authors = {v["value"]: v["count"] for v in facets["authors"]["results"]}
    assert authors == {"Chiara Mancini": 2, "Luca Bianchi": 1}  # two authors of one article counted apart
    tags = {v["value"]: v["count"] for v in facets["tags"]["results"]}
    assert tags == {"Inter": 2, "Serie A": 1, "Calciomercato": 1, "Juventus": 1}
    assert {"site", "section", "language", "published"} <= set(facets)
    # choosing a facet value filters on the array
    rows = get(datasette(archive), f"/{archive.stem}/articles.json?authors__arraycontains=Chiara+Mancini&_shape=array").json()
    assert len(rows) == 2


def row_path(db, url):
    return f"/{db}/articles/{tilde_encode(url)}"


def test_titles_link_to_the_archived_article(archive):
    ds = datasette(archive)
    for page in (f"/{archive.stem}/articles", f"/{archive.stem}/search?q=inter", f"/{archive.stem}/latest"):
        html = get(ds, page).text
        assert f'href="{row_path(archive.stem, EDITED)}">L&#39;Inter rimonta a San Siro</a>' in html, page
        assert "<script>alert(1)</script>" not in html
    search = get(ds, f"/{archive.stem}/search?q=inter").text
    assert len(re.findall(r'class="article-link" href="/[^"]+/articles/', search)) == 2  # every hit links
    assert get(ds, row_path(archive.stem, EDITED)).status_code == 200


def test_table_page_puts_rows_before_column_descriptions(archive):
    ds = datasette(archive)
    html = get(ds, f"/{archive.stem}/articles").text
    assert 'data-column-description="Headline"' in html  # on the column header
    css = get(ds, "/calcio-static/calcio.css").text
    assert re.search(r"dl\.column-descriptions \{ order: 99", css)  # moved below the rows
    assert "/calcio-static/calcio.css" in html


def test_article_page_shows_its_history_as_a_word_diff(archive):
    html = get(datasette(archive), row_path(archive.stem, EDITED)).text
    history = html[html.index('<section class="article-history">'):]
    assert "History: 2 versions" in history
    assert "Version 2: edited by the site" in history
    assert "<del>passo.</del><ins>ritmo e segna due volte.</ins>" in history
    assert "<ins>Aggiornamento: &lt;img src=x onerror=alert(1)&gt; infortunio per il capitano.</ins>" in history
    assert "<img src=x" not in html and "<b>siamo" not in html  # crawled markup shown as text
    # unchanged paragraphs are not repeated as changes
    assert "Primo tempo difficile" in history and "<ins>Primo" not in history


def test_recent_edits_query(archive):
    rows = get(datasette(archive), f"/{archive.stem}/recent_edits.json?_shape=array").json()
    assert [(r["url"], r["version"], r["what_changed"].strip()) for r in rows] == [(EDITED, 2, "text")]


def feed(ds, path):
    r = get(ds, path)
    assert r.status_code == 200, r.text
    assert "xml" in r.headers["content-type"]
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}updated").text)
            for e in root.findall(f"{ATOM}entry")]


def test_atom_feeds_of_latest_articles_and_of_a_search(archive):
    ds = datasette(archive)
    latest = feed(ds, f"/{archive.stem}/feed_latest.atom")
    assert len(latest) == 3 and {t for t, _, _ in latest} >= {"L'Inter rimonta a San Siro", "<script>alert(1)</script> Juve"}
    inter = feed(ds, f"/{archive.stem}/feed_search.atom?q={quote('Inter')}")
    assert sorted(link for _, link, _ in inter) == sorted([EDITED, "https://www.gazzettino-sportivo.it/calcio/inter-mercato.shtml"])
    # a search with no match is still a valid feed (one entry saying so), not an error
    nothing = feed(ds, f"/{archive.stem}/feed_search.atom?q={quote('Sampdoria')}")
    assert [(t, link) for t, link, _ in nothing] == [("No archived article matches this search yet", "urn:calcio-archive:no-match")]
    # the search page and the home page say where the feeds are (named after the served database)
    assert "feed_search.atom" in get(ds, f"/{archive.stem}/search").text
    assert f'href="/{archive.stem}/feed_search.atom?q=Inter"' in get(ds, "/").text


def chart_rows(ds, db, chart):
    r = get(ds, f"/{db}.json?sql={quote(chart['query'])}&_shape=array")
    assert r.status_code == 200, r.text
    return r.json()


def test_charts_span_the_whole_archive_and_site_health(archive, fresh_db):
    from archive.cli import datasette_metadata

    ds = datasette(archive)
    dashboards = datasette_metadata(archive.stem)["plugins"]["datasette-dashboards"]
    per_period = chart_rows(ds, archive.stem, dashboards["archive"]["charts"]["per-period"])
    # 2019 to 2026: more than two years, so months, and the 2019 article is in the chart
    assert {r["unit"] for r in per_period} == {"month"}
    assert {(r["period"], r["site"], r["articles"]) for r in per_period} == {
        ("2019-01-01", "gazzettino", 1), ("2026-02-01", "curvanord", 1), ("2026-03-01", "curvanord", 1)}
    health = dashboards["site-health"]["charts"]
    coverage = {(r["site"], r["field"]): r["share"] for r in chart_rows(ds, archive.stem, health["coverage"])}
    assert coverage[("curvanord", "author")] == 0.5 and coverage[("gazzettino", "tags")] == 1.0
    for name in ("refused", "failures", "last-crawl"):
        chart_rows(ds, archive.stem, health[name])
    for slug in ("archive", "site-health"):
        assert get(ds, f"/-/dashboards/{slug}").status_code == 200
    # a short archive is charted per day
    old = "select url from articles where published < '2026-01-01'"
    for table in ("article_versions", "article_entities", "story_articles", "story_bands"):
        fresh_db.execute(f"delete from {table} where url in ({old})")
    fresh_db.execute(f"delete from articles where url in ({old})")
    assert {r["unit"] for r in chart_rows(ds, archive.stem, dashboards["archive"]["charts"]["per-period"])} == {"day"}


def test_no_cell_is_rendered_as_markdown_and_the_dashboards_keep_markdown(archive, fresh_db):
    # datasette-render-markdown's render_cell would render *_markdown columns (and costs a third
    # of a 100-row HTML page); its template function and tag, which dashboards use, are kept
    fresh_db["notes"].insert({"id": 1, "body_markdown": "**grassetto**"}, pk="id")
    ds = datasette(archive)
    page = get(ds, f"/{archive.stem}/notes").text
    assert "<strong>grassetto</strong>" not in page and "**grassetto**" in page
    from datasette.plugins import pm

    assert "render_markdown" not in {impl.plugin_name for impl in pm.hook.render_cell.get_hookimpls()}
    assert "render_markdown" in {impl.plugin_name for impl in pm.hook.extra_template_vars.get_hookimpls()}
    assert any("Markdown" in name for name in ds.jinja_env.extensions)
    assert get(ds, "/-/dashboards/archive").status_code == 200
