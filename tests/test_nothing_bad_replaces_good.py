"""Nothing bad ever replaces good: walls, truncated, empty and binary bodies, capped fields,
changed sitemap dates and reextract, through the real `scrapy crawl calcio` against the
newsroom server (tests/newsroom.py FAULTS)."""

import sqlite3
from datetime import timedelta

from click.testing import CliRunner

from archive.cli import cli
from extract.caps import CAPS, MAX_TAGS
from tests.crawling import query, rows, run_crawl, write_sites
from tests.newsroom import Newsroom

# stories 0-6 are archived by the first crawl; 7-13 are faulty from the start (12, 13 only once)
CONSENT, TEASER, TRUNCATED, EMPTY, LISTED, UNTOUCHED, DAMAGED, LOGIN, GZIP, JPEG, HUGE, NEW_TEASER, GLITCH_CUT, \
    GLITCH_EMPTY = range(14)


def test_faults_never_replace_archived_articles(tmp_path):
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    with Newsroom(old=14, recent=0) as news:
        s = news.stories
        news.faults.update({s[LOGIN].path: "login-wall", s[GZIP].path: "raw-gzip-as-html",
                            s[JPEG].path: "jpeg-text", s[HUGE].path: "huge-fields",
                            s[NEW_TEASER].path: "paywall-teaser", s[GLITCH_CUT].path: "truncated-once",
                            s[GLITCH_EMPTY].path: "empty-once"})
        sites = write_sites(tmp_path, news, "campanile")
        first = run_crawl(sites, db)
        assert first.returncode == 0, first.log[-3000:]
        url = {i: news.base_url.rstrip("/") + st.path for i, st in enumerate(s)}
        stored = rows(db)
        # a wall or bytes that are not a page never create an article
        assert set(stored) == {url[i] for i in (CONSENT, TEASER, TRUNCATED, EMPTY, LISTED, UNTOUCHED, DAMAGED, HUGE,
                                                GLITCH_CUT, GLITCH_EMPTY)}
        # a body cut short or empty once is fetched again in the run, and the whole page stored
        assert news.paths().count(s[GLITCH_CUT].path) == news.paths().count(s[GLITCH_EMPTY].path) == 2
        assert stored[url[GLITCH_CUT]]["text"] == "\n\n".join(s[GLITCH_CUT].paragraphs)
        assert first.stats.get("calcio/partial_retried") == first.stats.get("calcio/empty_retried") == 1
        assert "calcio/partial" not in first.stats and "calcio/empty" not in first.stats
        pages = rows(db, "pages")
        assert (pages[url[LOGIN]]["outcome"], pages[url[LOGIN]]["page_type"]) == ("blocked", "blocked")
        assert "login wall" in pages[url[LOGIN]]["reason"]
        assert pages[url[NEW_TEASER]]["outcome"] == "blocked" and pages[url[NEW_TEASER]]["article_url"] is None
        assert query(db, "select count(*) from article_versions where url = ?", url[NEW_TEASER]) == [(0,)]
        assert pages[url[GZIP]]["outcome"] == pages[url[JPEG]]["outcome"] == "non_html"
        assert "gzip bytes" in pages[url[GZIP]]["reason"] and "image/jpeg" in pages[url[JPEG]]["reason"]
        assert first.stats.get("extract/binary_body") == 2
        # field caps
        huge = stored[url[HUGE]]
        assert len(huge["title"]) <= CAPS["title"] and huge["title"].startswith("Titolo Titolo")
        assert query(db, "select json_array_length(tags) from articles where url = ?", url[HUGE]) == [(MAX_TAGS,)]
        assert first.stats.get("extract/field_capped/title") == 1 and first.stats.get("extract/field_capped/tags") == 1
        before = {i: stored[url[i]] for i in (CONSENT, TEASER, TRUNCATED, EMPTY)}
        warc_before = {i: (pages[url[i]]["warc_file"], pages[url[i]]["warc_offset"]) for i in before}

        # the newsroom now serves faults at archived URLs; the sitemap lists changed dates,
        # all of them *older* than our fetch (a date that changed must still trigger a re-fetch)
        news.faults.update({s[CONSENT].path: "consent-wall", s[TEASER].path: "paywall-teaser",
                            s[TRUNCATED].path: "truncated", s[EMPTY].path: "empty"})
        for i in (CONSENT, TEASER, TRUNCATED, EMPTY, LISTED):
            s[i].modified -= timedelta(days=1)
        news.reset()
        second = run_crawl(sites, db)
        assert second.returncode == 0, second.log[-3000:]
        hits = news.paths()
        assert hits.count(s[TRUNCATED].path) == 2 and hits.count(s[EMPTY].path) == 2  # retried once
        assert hits.count(s[CONSENT].path) == 1 and s[UNTOUCHED].path not in hits
        listed = [h for h in news.hits if h.path == s[LISTED].path]
        assert len(listed) == 1 and "if-none-match" in listed[0].headers  # conditional re-fetch
        assert second.stats.get("incremental/listed_date_changed") == 5
        assert second.stats.get("calcio/partial") == 1 and second.stats.get("calcio/partial_retried") == 1
        assert second.stats.get("calcio/empty") == 1 and second.stats.get("calcio/empty_retried") == 1

        stored, pages = rows(db), rows(db, "pages")
        for i, old in before.items():  # the full text stays current, the pages row points at it
            assert stored[url[i]]["text"] == old["text"] and stored[url[i]]["content_hash"] == old["content_hash"]
            assert (pages[url[i]]["warc_file"], pages[url[i]]["warc_offset"]) == warc_before[i]
            assert pages[url[i]]["article_url"] == url[i]
        outcomes = {i: (pages[url[i]]["outcome"], pages[url[i]]["reason"]) for i in before}
        assert outcomes[CONSENT][0] == "blocked" and "consent wall" in outcomes[CONSENT][1]
        assert outcomes[TEASER][0] == "blocked" and "paywall teaser" in outcomes[TEASER][1]
        assert outcomes[TRUNCATED][0] == "partial" and "Content-Length" in outcomes[TRUNCATED][1]
        assert outcomes[EMPTY][0] == "empty"
        # consent wall, truncated, empty: no version; the premium article: flagged, teaser kept as such
        versions = {i: query(db, "select change, text from article_versions where url = ? order by version", url[i])
                    for i in before}
        assert [v[0] for v in versions[CONSENT]] == [v[0] for v in versions[TRUNCATED]] == ["first"]
        assert [v[0] for v in versions[EMPTY]] == ["first"]
        assert [v[0] for v in versions[TEASER]] == ["first", "teaser"]
        teaser = versions[TEASER][1][1]
        # the lead alone (the subscription box never reaches an article's text, extract/embeds.py)
        assert teaser == s[TEASER].paragraphs[0]
        assert len(versions[TEASER][1][1]) < len(stored[url[TEASER]]["text"])
        assert stored[url[TEASER]]["paywall"] == 1 and stored[url[CONSENT]]["paywall"] == 0
        assert pages[url[LISTED]]["listed_date"] == s[LISTED].modified.isoformat()

    # reextract compares with the stored row, not its content_hash: a row edited by hand is rebuilt
    con = sqlite3.connect(db)
    con.execute("update articles set text = 'danneggiato', author = 'Nessuno' where url = ?", [url[DAMAGED]])
    con.commit()
    con.close()
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(warc), "--sites", str(sites)])
    assert result.exit_code == 0, result.output
    assert "1 articles changed" in result.output, result.output
    stored = rows(db)
    assert stored[url[DAMAGED]]["text"] == "\n\n".join(s[DAMAGED].paragraphs)
    assert stored[url[DAMAGED]]["author"] == "Sara Conti"
    assert query(db, "select change from article_versions where url = ? order by version desc limit 1",
                 url[DAMAGED]) == [("reextract",)]
    # the walled articles are rebuilt from their last full copy: still full, still flagged
    assert stored[url[CONSENT]]["text"] == before[CONSENT]["text"]
    assert stored[url[TEASER]]["text"] == before[TEASER]["text"] and stored[url[TEASER]]["paywall"] == 1

