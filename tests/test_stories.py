"""Stories (archive/stories.py): grouping is incremental, bounded to a time window, and keeps
different news about the same club apart; entities are replaced on every save."""

from archive.store import save_article
from extract.article import Article

ANNOUNCE = ("Ufficiale: Matías Ibarra al Milan", "Il Milan ha comunicato l'acquisto di Matías Ibarra dal Villarreal "
            "per 28 milioni di euro: contratto fino al 2022. Visite mediche a Milanello, firma in via Aldo Rossi. "
            "In Liga tredici gol con il Villarreal, poi la Champions League con il Milan.")
REWRITE = ("Milan, è fatta per Ibarra", "Colpo rossonero: il Milan prende Matías Ibarra, attaccante del Villarreal. "
           "Agli spagnoli 28 milioni, firma fino al 2022 dopo le visite di Milanello. In Liga ha segnato tredici gol; "
           "obiettivo Champions League.")
OTHER_MILAN = ("Milan, stop per Lombardi", "Il capitano del Milan Riccardo Lombardi si è fermato a Milanello: lesione "
               "al flessore, salta la Lazio e l'Inter. Tornerà per la Coppa Italia, forse con la Juventus, a maggio. "
               "Con lui out anche Tommaso Vitale e Carlos Mendes.")


def art(site, key, title_text, published):
    title, text = title_text
    return Article(url=f"https://www.{site}.it/{key}/", site=site, title=title, text=text, published=published,
                   fetched_at="2026-11-26T10:00:00+00:00")


def stories(db):
    out = {}
    for url, story in db.execute("select url, story_id from story_articles"):
        out.setdefault(story, set()).add(url.split("/")[2])
    return sorted(sorted(v) for v in out.values())


def test_a_rewrite_joins_the_story_and_the_first_site_is_kept(fresh_db):
    save_article(fresh_db, art("gazzettino", "a", ANNOUNCE, "2017-04-18T09:05:00+02:00"))
    save_article(fresh_db, art("curvanord", "b", REWRITE, "2017-04-18T12:40:00+02:00"))
    save_article(fresh_db, art("curvanord", "c", OTHER_MILAN, "2017-04-18T18:30:00+02:00"))
    assert stories(fresh_db) == [["www.curvanord.it"], ["www.curvanord.it", "www.gazzettino.it"]]
    first = fresh_db.execute("select first_site, first_at, sites, articles from stories where sites = 2").fetchone()
    assert first == ("gazzettino", "2017-04-18T07:05:00+00:00", 2, 2)
    # an article seen earlier than the story's first (published before it) becomes its first
    save_article(fresh_db, art("pallonevecchio", "d", ANNOUNCE, "2017-04-18T08:00:00+02:00"))
    assert fresh_db.execute("select first_site, articles from stories where sites = 3").fetchone() == ("pallonevecchio", 3)


def test_the_same_text_outside_the_window_is_another_story(fresh_db):
    save_article(fresh_db, art("gazzettino", "a", ANNOUNCE, "2017-04-18T09:05:00+02:00"))
    save_article(fresh_db, art("curvanord", "b", ANNOUNCE, "2017-05-18T09:05:00+02:00"))
    assert len(stories(fresh_db)) == 2


def test_the_candidates_are_those_of_the_join_capped_in_index_order(fresh_db):
    """Many copies of one announcement (more than MAX_CANDIDATES, some outside the window) and
    a band row whose article is gone: ``candidates`` gives what the former SQL join gave, in
    its order, and every copy in the window joins the first one's story."""
    from datetime import datetime, timedelta

    from archive.stories import MAX_CANDIDATES, WINDOW, candidates

    for i in range(MAX_CANDIDATES + 30):
        save_article(fresh_db, art(f"sito{i}", "a", ANNOUNCE, f"2017-04-18T{9 + i % 10:02d}:05:00+02:00"))
    for i in range(5):
        save_article(fresh_db, art(f"tardi{i}", "a", ANNOUNCE, "2017-05-18T09:05:00+02:00"))
    gone = fresh_db.execute("select key, at from story_bands limit 1").fetchone()
    fresh_db.execute("insert into story_bands (key, url, at) values (?, ?, ?)", [gone[0], "https://gone.it/x/", gone[1]])
    keys = [k for (k,) in fresh_db.execute("select key from story_bands where url = ?", ["https://www.sito0.it/a/"])]
    moment = datetime.fromisoformat("2017-04-18T09:05:00+02:00")
    for lo, hi in [((moment - WINDOW).isoformat(), (moment + WINDOW).isoformat()), ("2000", "2100")]:
        joined = fresh_db.execute(
            f"SELECT DISTINCT b.url, s.story_id, s.signature FROM story_bands b JOIN story_articles s ON s.url = b.url "
            f"WHERE b.key IN ({','.join('?' * len(keys))}) AND b.at BETWEEN ? AND ? LIMIT {MAX_CANDIDATES}",
            [*keys, lo, hi]).fetchall()
        assert candidates(fresh_db, keys, lo, hi) == joined
        assert len(joined) == MAX_CANDIDATES
    assert candidates(fresh_db, keys, "2017-05-17", "2017-05-19") == fresh_db.execute(
        "select url, story_id, signature from story_articles where url like 'https://www.tardi%' order by url").fetchall()
    sizes = sorted(n for (n,) in fresh_db.execute("select articles from stories"))
    assert sizes == [5, MAX_CANDIDATES + 30]


def test_an_updated_article_keeps_its_story_and_its_entities_are_replaced(fresh_db):
    a = art("gazzettino", "a", ANNOUNCE, "2017-04-18T09:05:00+02:00")
    save_article(fresh_db, a, entities=[{"id": "milan", "name": "Milan", "kind": "club", "mentions": 3, "in_title": True}])
    a.text += " Aggiornamento."
    a.content_hash = None
    save_article(fresh_db, a, change="reextract", entities=[])
    assert fresh_db["story_articles"].count == 1 and fresh_db["stories"].count == 1
    assert fresh_db["article_entities"].count == 0


def test_an_article_stored_before_stories_existed_gets_one_when_saved_again(fresh_db):
    a = art("gazzettino", "a", ANNOUNCE, "2017-04-18T09:05:00+02:00")
    save_article(fresh_db, a)
    fresh_db.execute("delete from story_articles")
    fresh_db.execute("delete from story_bands")
    fresh_db.execute("delete from stories")
    save_article(fresh_db, a, change="reextract")
    assert fresh_db["story_articles"].count == 1
    assert fresh_db.execute("select first_seen from story_articles").fetchone()[0] == "2026-11-26T10:00:00+00:00"


def test_the_canned_queries_run(fresh_db):
    import json
    from importlib import resources

    queries = json.loads(resources.files("archive").joinpath("metadata.json").read_text(encoding="utf-8"))
    queries = queries["databases"]["calcio"]["queries"]
    save_article(fresh_db, art("gazzettino", "a", ANNOUNCE, "2017-04-18T09:05:00+02:00"),
                 entities=[{"id": "milan", "name": "Milan", "kind": "club", "mentions": 4, "in_title": True}])
    save_article(fresh_db, art("curvanord", "b", REWRITE, "2017-04-18T12:40:00+02:00"),
                 entities=[{"id": "milan", "name": "Milan", "kind": "club", "mentions": 3, "in_title": True}])
    about = fresh_db.execute(queries["articles_about_club"]["sql"], {"club": "Milan"}).fetchall()
    assert [r[1] for r in about] == ["curvanord", "gazzettino"]  # newest first
    timeline = fresh_db.execute(queries["story_timeline"]["sql"]).fetchall()
    assert [(r[2], r[4]) for r in timeline] == [("gazzettino", 0.0), ("curvanord", 215.0)]


def test_the_bands_are_those_datasketch_picks():
    from datasketch import MinHashLSH

    from archive.stories import NUM_PERM, THRESHOLD, _bands

    assert _bands() == list(MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges)
