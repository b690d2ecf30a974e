"""archive.health on a hand-made archive: shares per run, compared with the site's recent
runs; a clear drop of a field, or a rise of refused pages among the run's new URLs, is an alarm."""

from archive.health import check, pages_mark
from archive.store import PageRecord, save_fetch, start_crawl
from extract.article import Article


def run(db, site, pages, with_author=True, urls_of=None):
    """One crawl: ``pages`` = list of page types of new URLs (article pages become articles)."""
    mark = pages_mark(db)
    crawl = start_crawl(db, "calcio", [site])
    for i, page_type in enumerate(pages):
        url = f"https://{site}.it/c{urls_of or crawl}/p{i}/"
        article = None
        if page_type == "article":
            article = Article(url=url, site=site, title=f"Titolo {i}", text="Testo dell'articolo. " * 20,
                              published="2026-03-01T10:00:00+01:00", section="Serie A", tags=["Inter"],
                              author="Sara Conti" if with_author else None, fetched_at="2026-03-01T10:00:00+00:00")
        save_fetch(db, PageRecord(url=url, site=site, status=200, fetched_at="2026-03-01T10:00:00+00:00",
                                  outcome="ok" if article else "not_article", kind="article", crawl_id=crawl,
                                  page_type=page_type), article)
    return check(db, crawl, [site], drop=0.3, mark=mark), crawl


def test_first_runs_set_the_baseline_then_a_drop_is_an_alarm(fresh_db):
    assert run(fresh_db, "campanile", ["article"] * 5)[0] == []  # no history yet
    assert run(fresh_db, "campanile", ["article"] * 4 + ["listing"])[0] == []  # small changes are normal
    alarms, crawl = run(fresh_db, "campanile", ["article"] * 4, with_author=False)
    assert [(a.site, a.fields) for a in alarms] == [("campanile", ["author"])]
    assert "author 100% → 0%" in alarms[0].describe()
    row = fresh_db.execute("select articles, author_share, section_share, alarm from site_health where crawl_id = ?",
                           [crawl]).fetchone()
    assert row[:3] == (4, 0.0, 1.0) and "author" in row[3]


def test_new_pages_refused_is_an_alarm_known_ones_are_not(fresh_db):
    _, first = run(fresh_db, "campanile", ["listing"] * 4 + ["article"] * 8)
    run(fresh_db, "campanile", ["article"] * 5)
    # the same listing URLs offered again on a later run do not count: only the run's new URLs
    assert run(fresh_db, "campanile", ["listing"] * 4, urls_of=first)[0] == []
    alarms, _ = run(fresh_db, "campanile", ["listing"] * 4)
    assert [a.fields for a in alarms] == [["refused"]]
    assert run(fresh_db, "campanile", [])[0] == []  # nothing to judge


def test_too_few_pages_say_nothing(fresh_db):
    run(fresh_db, "campanile", ["article"] * 5)
    assert run(fresh_db, "campanile", ["article"] * 2, with_author=False)[0] == []
