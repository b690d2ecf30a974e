import sqlite3
import threading
import time

import pytest

from archive.db import ArchiveLocked, open_db, pending_migrations, write_transaction
from archive.store import NEW, UNCHANGED, UPDATED, get_article, save_article
from extract.article import ARTICLE_COLUMNS, Article


def make(url="https://www.curvanord.it/2017/03/14/a/", text="Primo paragrafo.\n\nSecondo paragrafo.", **kw):
    return Article(url=url, site="curvanord", title="Titolo", text=text, tags=["Juventus"],
                   fetched_at="2026-11-26T10:00:00+00:00", **kw)


def test_schema_has_every_article_field(fresh_db):
    columns = set(fresh_db["articles"].columns_dict)
    assert set(ARTICLE_COLUMNS) <= columns
    assert fresh_db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pending_migrations(fresh_db) == []


def test_new_unchanged_updated(fresh_db):
    a = make()
    assert save_article(fresh_db, a) == NEW
    assert save_article(fresh_db, make()) == UNCHANGED
    changed = make(text="Primo paragrafo.\n\nUn paragrafo nuovo.")
    assert save_article(fresh_db, changed) == UPDATED
    stored = get_article(fresh_db, a.url)
    assert stored.text.endswith("Un paragrafo nuovo.")
    assert stored.tags == ["Juventus"]
    assert fresh_db["articles"].count == 1


def test_whitespace_only_changes_are_unchanged(fresh_db):
    save_article(fresh_db, make())
    assert save_article(fresh_db, make(text="Primo  paragrafo.\n\n\nSecondo paragrafo. ")) == UNCHANGED


def test_empty_text_never_replaces_a_stored_article(fresh_db):
    save_article(fresh_db, make())
    with pytest.raises(ValueError):
        save_article(fresh_db, make(text="  "))
    assert get_article(fresh_db, make().url).text.startswith("Primo")


def test_write_waits_for_a_short_lock_then_succeeds(db_path, fresh_db):
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: other.execute("COMMIT")).start()
    assert save_article(fresh_db, make()) == NEW
    other.close()


def test_long_lock_raises_archive_locked_and_writes_nothing(db_path):
    db = open_db(db_path, busy_timeout=0.2)
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ArchiveLocked):
            with write_transaction(db, retries=1):
                pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert db["articles"].count == 0


def test_reader_does_not_block_writer(db_path, fresh_db):
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()
    start = time.monotonic()
    assert save_article(fresh_db, make()) == NEW
    assert time.monotonic() - start < 5  # would hang for the busy timeout without WAL
    reader.execute("COMMIT")
    reader.close()
