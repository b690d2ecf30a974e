"""The store's policy for pages that are not the article (archive.store.save_fetch), without
the network: a wall never becomes the current version nor creates an article; a teaser flags
an archived article paywall = 1 and is kept once as a 'teaser' version; the listed date is
recorded at each read; reextract compares with the stored row."""

from archive.store import UNCHANGED, UPDATED, PageRecord, held_pages, save_article, save_fetch
from extract.article import Article

URL = "https://www.curvanord.it/2026/01/13/derby-di-roma/"
FULL = "Primo paragrafo della cronaca.\n\nSecondo paragrafo.\n\nTerzo paragrafo."


def page(outcome="ok", status=200, warc=("a.warc.gz", 100), listed=None, reason=None):
    return PageRecord(url=URL, site="curvanord", status=status, fetched_at="2026-11-26T10:00:00+00:00",
                      outcome=outcome, warc_file=warc[0], warc_offset=warc[1], reason=reason, listed_date=listed)


def article(text=FULL, paywall=False):
    return Article(url=URL, site="curvanord", title="Derby di Roma", text=text, paywall=paywall,
                   fetched_at="2026-11-26T10:00:00+00:00")


def pages_row(db):
    return next(db["pages"].rows_where("url = ?", [URL]))


def versions(db):
    return [r["change"] for r in db["article_versions"].rows_where("url = ?", [URL], order_by="version")]


def test_a_wall_at_a_new_url_stores_nothing_but_the_page(fresh_db):
    save_fetch(fresh_db, page("blocked", reason="paywall teaser"), article("Due righe.", paywall=True))
    assert fresh_db["articles"].count == 0 and versions(fresh_db) == []
    assert pages_row(fresh_db)["outcome"] == "blocked" and pages_row(fresh_db)["article_url"] is None


def test_walls_keep_the_full_copy_and_a_teaser_is_a_marked_version(fresh_db):
    save_fetch(fresh_db, page(listed="2026-01-13"), article())
    save_fetch(fresh_db, page("blocked", warc=("b.warc.gz", 5), listed="2026-01-14", reason="consent wall"))
    row = pages_row(fresh_db)
    assert (row["warc_file"], row["warc_offset"], row["article_url"]) == ("a.warc.gz", 100, URL)
    assert row["outcome"] == "blocked" and row["listed_date"] == "2026-01-13"  # not read: still to re-fetch
    for _ in range(2):  # the same teaser twice: one version
        save_fetch(fresh_db, page("blocked", warc=("c.warc.gz", 9), reason="paywall teaser"),
                   article("Primo paragrafo della cronaca.\n\nAbbonati per continuare a leggere", paywall=True))
    stored = next(fresh_db["articles"].rows_where("url = ?", [URL]))
    assert stored["text"] == FULL and stored["paywall"] == 1
    assert versions(fresh_db) == ["first", "teaser"]
    assert (pages_row(fresh_db)["warc_file"], pages_row(fresh_db)["warc_offset"]) == ("a.warc.gz", 100)
    for outcome in ("partial", "empty", "non_html"):
        save_fetch(fresh_db, page(outcome, warc=("d.warc.gz", 1)))
        assert next(fresh_db["articles"].rows_where("url = ?", [URL]))["text"] == FULL
        assert pages_row(fresh_db)["warc_file"] == "a.warc.gz"


def test_listed_date_recorded_on_200_and_304(fresh_db):
    save_fetch(fresh_db, page(listed="2026-01-13T10:00:00+01:00"), article())
    assert held_pages(fresh_db, "curvanord")[URL].listed_date == "2026-01-13T10:00:00+01:00"
    save_fetch(fresh_db, page("not_modified", status=304, warc=(None, None), listed="2026-01-12"))
    assert held_pages(fresh_db, "curvanord")[URL].listed_date == "2026-01-12"
    assert pages_row(fresh_db)["warc_file"] == "a.warc.gz"


def test_reextract_compares_the_stored_row(fresh_db):
    save_article(fresh_db, article())
    assert save_article(fresh_db, article(), change="reextract") == UNCHANGED
    fresh_db.execute("UPDATE articles SET title = 'Titolo sbagliato' WHERE url = ?", [URL])  # hash untouched
    assert save_article(fresh_db, article(), change="reextract") == UPDATED
    assert next(fresh_db["articles"].rows_where("url = ?", [URL]))["title"] == "Derby di Roma"
    assert versions(fresh_db) == ["first", "reextract"]
    fresh_db.execute("UPDATE articles SET paywall = 1 WHERE url = ?", [URL])
    save_article(fresh_db, article(), change="reextract")
    assert next(fresh_db["articles"].rows_where("url = ?", [URL]))["paywall"] == 1  # premium since: kept


LONG = "\n\n".join(
    f"Paragrafo {i}: la Roma ha battuto la Lazio nel derby con un gol di testa nel secondo tempo, "
    f"dopo una partita giocata a viso aperto e decisa da un episodio al minuto {60 + i}." for i in range(8))


def test_a_much_shorter_cut_of_the_same_text_never_replaces_it(fresh_db):
    """A re-fetch that reads only the first paragraph of an archived article (a layout that hid
    the rest, a rule too eager) keeps the full text current and the cut as a 'shrunk' version;
    an edit that shortens less, or a short rewrite in other words, is an edit."""
    from archive.store import KEPT

    assert save_fetch(fresh_db, page(), article(LONG)) == "new"
    cut = LONG.split("\n\n")[0]
    assert save_fetch(fresh_db, page(), article(cut)) == KEPT
    assert save_fetch(fresh_db, page(), article(cut)) == KEPT  # seen again: one version only
    row = next(fresh_db["articles"].rows_where("url = ?", [URL]))
    assert row["text"] == LONG
    assert versions(fresh_db) == ["first", "shrunk"]
    # the newsroom cuts two paragraphs of eight: an edit
    edited = "\n\n".join(LONG.split("\n\n")[:6])
    assert save_fetch(fresh_db, page(), article(edited)) == UPDATED
    # a short text in other words (a rewrite, not a cut of the stored one): an edit too
    rewrite = "Derby rinviato per maltempo: la Lega comunicherà la nuova data nelle prossime ore."
    assert save_fetch(fresh_db, page(), article(rewrite)) == UPDATED
    assert versions(fresh_db) == ["first", "shrunk", "edit", "edit"]
    assert next(fresh_db["articles"].rows_where("url = ?", [URL]))["text"] == rewrite
