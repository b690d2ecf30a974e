"""Opening the archive: WAL, busy timeout, migrations, one write transaction helper."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from .schema import MIGRATIONS

DEFAULT_DB = "data/calcio.db"


class ArchiveError(RuntimeError):
    """The archive cannot be used; the message says why."""


class ArchiveLocked(ArchiveError):
    """Another process held the write lock for longer than the busy timeout."""


class ArchiveFull(ArchiveError):
    """The disk (or the database's page limit) is full."""


# The page cache of each connection (negative: KiB; SQLite's default is 2 MB). The full-text
# index is written one document at a time (FTS5 flushes its pending terms at every statement
# savepoint, and each article's INSERT opens one with its triggers), so its merges read the
# index's pages again and again: with 2 MB, as many read() calls (15 ms of CPU per stored
# article at 14,000 articles). 64 MB holds the index of ~24,000 articles (~2.7 KB each). Pages
# are allocated as they are read, up to this size.
CACHE_KIB = 64 * 1024


def open_db(path: str | Path, busy_timeout: float = 10.0, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the archive at ``path``, in WAL mode, migrated, with a
    ``CACHE_KIB`` page cache."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if str(path) != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if migrate:
            MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ArchiveLocked(f"the archive {path} stayed locked by another writer: {exc}") from exc
        raise ArchiveError(f"cannot open the archive {path}: {exc}") from exc
    return db


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database, retries: int = 3) -> Iterator[sqlite_utils.Database]:
    """One ``BEGIN IMMEDIATE`` transaction: all of it is written, or none of it.

    Waits for the lock (busy timeout), retries a few times, then raises ArchiveLocked;
    a full disk raises ArchiveFull after rolling back."""
    for attempt in range(retries + 1):
        try:
            db.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise ArchiveError(str(exc)) from exc
            if attempt == retries:
                raise ArchiveLocked(f"the archive stayed locked: {exc}") from exc
            time.sleep(0.5 * (attempt + 1))
    try:
        yield db
        db.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
            raise ArchiveFull(str(exc)) from exc
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise ArchiveLocked(str(exc)) from exc
        raise
