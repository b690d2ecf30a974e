"""End to end: the real `scrapy crawl calcio` on the three fixture sites, given only a
name and a home URL each, stores exactly their articles, field for field, fetched once."""

import json
import shutil
from dataclasses import dataclass
import sqlite3
from collections import Counter
from urllib.parse import urlsplit

import pytest

from click.testing import CliRunner

from archive.cli import cli
from tests.crawling import rows, run_crawl
from tests.fixtures.server import FixtureSites

FIELDS = ["url", "site", "title", "text", "published", "modified", "author", "section", "tags",
          "description", "image", "language"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    with FixtureSites() as sites:
        toml = sites.write_sites_toml(tmp / "sites.toml")
        run = run_crawl(toml, tmp / "calcio.db")
        served = Served(sites.expected_articles(), sites.non_article_urls(),
                        {site.name: (site.hits, site.expected_articles()) for site in sites},
                        sites.liveblogs(), sites.page_types())
    # the servers are stopped: what follows is offline
    return served, run, rows(tmp / "calcio.db"), rows(tmp / "calcio.db", "pages"), tmp


@dataclass
class Served:
    """What the fixture sites served, kept after they stopped."""

    expected: list[dict]
    non_articles: list[str]
    per_site: dict  # name -> (hits, expected articles)
    liveblogs: list[dict]  # stored like articles
    page_types: dict  # local URL -> the page type each HTML page must get


def test_the_crawl_succeeds(crawl):
    sites, run, stored, pages, _ = crawl
    assert run.returncode == 0, run.log[-4000:]
    assert run.stats.get("log_count/ERROR", 0) == 0, run.log[-4000:]


def test_exactly_the_articles_are_stored(crawl):
    sites, run, stored, pages, _ = crawl
    expected = {e["url"] for e in sites.expected} | {lb["url"] for lb in sites.liveblogs}
    assert len(expected) >= 30 and sites.liveblogs
    assert sorted(set(stored) - expected) == [], "stored pages that are not articles (or under a wrong URL)"
    assert sorted(expected - set(stored)) == [], "articles missing from the archive"
    for url in sites.non_articles:
        assert url not in stored


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_matches(crawl, field):
    sites, run, stored, pages, _ = crawl
    wrong = []
    for exp in sites.expected:
        row = stored.get(exp["url"])
        if row is None:
            continue
        got = json.loads(row["tags"]) if field == "tags" else row[field]
        if got != exp[field]:
            wrong.append(f"{exp['url']}\n    want {exp[field]!r}\n    got  {got!r}")
    assert not wrong, f"{field} differs on {len(wrong)} articles:\n" + "\n".join(wrong[:6])


def test_each_article_fetched_once_and_variants_collapsed(crawl):
    sites, run, stored, pages, _ = crawl
    for hits, expected in sites.per_site.values():
        ok = Counter()
        for hit in hits:
            if hit.status == 200:
                ok[urlsplit(hit.path).path + ("?" + urlsplit(hit.path).query if "notizie.php" in hit.path else "")] += 1
        for exp in expected:
            parts = urlsplit(exp["url"])
            key = parts.path + ("?" + parts.query if parts.query else "")
            assert ok[key] == 1, f"{exp['url']} fetched {ok[key]} times"
    assert run.stats.get("archive/duplicate_in_run", 0) == 0


def test_robots_disallow_respected_and_action_links_not_followed(crawl):
    sites, *_ = crawl
    for hits, _ in sites.per_site.values():
        assert not any(h.path.startswith("/wp-admin") for h in hits)
        # share buttons, reply-to-comment and print links are actions, not pages
        # (while section pages with a query, like sezione.php?s=mercato, are followed)
        assert not any(marker in h.path for h in hits for marker in ("share=", "replytocom=", "nb=1"))


def test_legacy_section_pages_with_a_query_are_discovery_pages(crawl):
    sites, run, stored, pages, _ = crawl
    sections = [u for u in pages if "sezione.php?s=" in u]
    assert sections and all(pages[u]["kind"] == "discovery" for u in sections)


def test_pages_table_accounts_for_every_fetch(crawl):
    sites, run, stored, pages, _ = crawl
    outcomes = Counter(p["outcome"] for p in pages.values())
    assert outcomes["ok"] == len(stored)
    assert all(p["warc_file"] for p in pages.values() if p["status"])


def test_reextract_from_warc_gives_back_the_same_articles(crawl):
    sites, run, stored, pages, tmp = crawl
    db = tmp / "wiped.db"
    shutil.copy(tmp / "calcio.db", db)
    con = sqlite3.connect(db)
    con.execute("delete from article_versions")
    con.execute("delete from articles")
    con.execute("update pages set page_type = null where kind = 'article'")
    con.commit()
    con.close()
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(tmp / "warc"),
                                      "--sites", str(tmp / "sites.toml"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert f"{len(stored)} articles changed ({len(stored)} new" in result.output
    assert rows(db) == stored
    # and every page offered to extraction gets its type back
    assert {u: p["page_type"] for u, p in rows(db, "pages").items()} == {u: p["page_type"] for u, p in pages.items()}


def test_every_fetched_page_has_its_page_type(crawl):
    """Name + URL only: the gallery, the video, standings and live results, the soft 404, the
    static pages and every listing are recorded with their type (and not stored); articles and
    the live blog are stored as such."""
    sites, run, stored, pages, _ = crawl
    wrong = [f"{url}: want {want}, got {pages[url]['page_type']} ({pages[url]['reason']})"
             for url, want in sites.page_types.items() if url in pages and pages[url]["page_type"] != want]
    assert not wrong, "\n".join(wrong)
    fetched = {t for u, t in sites.page_types.items() if u in pages}
    assert fetched >= {"article", "liveblog", "gallery", "video", "listing", "data", "static", "error"}
    assert all(pages[u]["page_type"] in ("article", "liveblog") for u in stored if u in pages)
    for url, want in sites.page_types.items():
        if url in pages and want not in ("article", "liveblog"):
            assert url not in stored and pages[url]["outcome"] in ("not_article", "discovery"), url
            assert pages[url]["reason"], f"{url}: recorded without a reason"
    # robots.txt, sitemaps and feeds are not web pages: no type
    assert all(p["page_type"] is None for u, p in pages.items() if u.endswith((".xml", "robots.txt", "/feed/")))


def test_live_blog_keeps_every_update_in_order(crawl):
    sites, run, stored, pages, _ = crawl
    for lb in sites.liveblogs:
        row = stored[lb["url"]]
        assert row["text"] == lb["text"] and row["title"] == lb["title"] and row["published"] == lb["published"]
        assert pages[lb["url"]]["page_type"] == "liveblog"


def test_an_article_listed_only_on_page_two_of_a_section_is_stored(crawl):
    sites, run, stored, pages, _ = crawl
    hits, expected = sites.per_site["gazzettino"]
    only_on_page_two = [e for e in expected if "viola-park" in e["url"]]
    assert only_on_page_two and only_on_page_two[0]["url"] in stored
    assert any(h.path == "/ultime-notizie/?page=2" for h in hits)
    assert run.stats.get("calcio/pagination_pages", 0) >= 1


def test_football_entities_stored_with_each_article(crawl):
    sites, run, stored, pages, tmp = crawl
    con = sqlite3.connect(tmp / "calcio.db")
    got: dict[str, set] = {}
    for url, entity in con.execute("select url, entity from article_entities"):
        got.setdefault(url, set()).add(entity)
    con.close()
    expected = {e["url"]: set(e["entities"]) for e in sites.expected}
    right = sum(len(got.get(u, set()) & want) for u, want in expected.items())
    found = sum(len(v) for v in got.values())
    wanted = sum(len(v) for v in expected.values())
    assert set(got) <= set(stored)
    assert right / found >= 0.95 and right / wanted >= 0.90, (right, found, wanted)


def test_stories_group_the_same_news_across_sites_and_nothing_else(crawl):
    from tests.fixtures import content

    sites, run, stored, pages, tmp = crawl
    story_of = rows(tmp / "calcio.db", "story_articles")
    assert set(story_of) == set(stored), "every stored article has a story"
    def local(url):  # the servers' URLs and the production ones share their paths
        parts = urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    known: dict[str, set] = {}
    for art in content.all_articles():
        known.setdefault(art.story or art.url, set()).add(local(art.url))
    for lb in sites.liveblogs:  # a live blog is stored too, a story of its own
        known.setdefault(lb["url"], set()).add(local(lb["url"]))
    got: dict[int, set] = {}
    for url, row in story_of.items():
        got.setdefault(row["story_id"], set()).add(local(url))
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, known.values()))
    assert sum(len(g) > 1 for g in got.values()) == 2
    # who had it first: the newspaper's announcement, then the blog's rewrite 3h35 later
    con = sqlite3.connect(tmp / "calcio.db")
    first = con.execute("select s.first_site, s.sites, s.articles from stories s join story_articles sa on "
                        "sa.story_id = s.id where sa.url like '%ibarra%' group by s.id").fetchall()
    timeline = con.execute(
        "select site, round((julianday(sa.at) - julianday(s.first_at)) * 1440) from stories s join story_articles sa "
        "on sa.story_id = s.id where s.sites > 1 and sa.url like '%ibarra%' order by sa.at").fetchall()
    con.close()
    assert first == [("gazzettino", 2, 2)]
    assert timeline == [("gazzettino", 0.0), ("curvanord", 215.0)]
