"""What a crawl remembers per URL, on disk: memory stays flat however many pages a run sees.

A backfill of 100,000 pages used to keep every URL three times in Python sets (the spider's
seen set, Scrapy's dupefilter fingerprints, the archive pipeline's saved articles) and every
queued request in memory (~9 KB per page in all). Here:

- ``SeenStore``: sets of keys in one SQLite file (16-byte digests, a ``WITHOUT ROWID`` table
  per kind, SQLite's page cache as the only memory): in ``JOBDIR`` when the run has one (so a
  paused crawl resumes with what it had seen), else a temporary file removed at the end.
- ``DiskDupeFilter``: Scrapy's dupefilter on that store, keyed by the project's fingerprints.
- ``DiskQueueScheduler``: Scrapy's scheduler with its disk queues always on (in ``JOBDIR``, or
  a temporary directory): queued requests wait on disk, not in memory.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path

from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.utils.job import job_dir
from scrapy.utils.misc import build_from_crawler, load_object

logger = logging.getLogger(__name__)

KINDS = ("spider", "fingerprints", "saved")  # the sets a crawl keeps (tables of the store)


class SeenStore:
    """Sets of strings kept in SQLite. ``add`` is a set's add that says whether it was new."""

    def __init__(self, path: str | Path | None = None, cache_kib: int = 4096):
        self._tmp = None
        if path is None:
            self._tmp = tempfile.mkdtemp(prefix="calcio-seen-")
            path = Path(self._tmp) / "seen.sqlite3"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), isolation_level=None)
        # a scratch index: losing it to a crash costs nothing but a re-check, so no journal, no fsync
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        for kind in KINDS:
            self.conn.execute(f"CREATE TABLE IF NOT EXISTS {kind} (key BLOB PRIMARY KEY) WITHOUT ROWID")

    @classmethod
    def of(cls, crawler) -> "SeenStore":
        """The crawler's one store, shared by the spider, the dupefilter and the pipelines."""
        store = getattr(crawler, "_calcio_seen", None)
        if store is None:
            directory = job_dir(crawler.settings)
            store = crawler._calcio_seen = cls(Path(directory) / "calcio-seen.sqlite3" if directory else None)
            crawler.signals.connect(store.close, signal=signals.engine_stopped)
        return store

    @staticmethod
    def _digest(key: str | bytes) -> bytes:
        data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
        return hashlib.blake2b(data, digest_size=16).digest()

    def add(self, kind: str, key: str | bytes) -> bool:
        """Remember ``key``; True when it was not there yet."""
        return self.conn.execute(f"INSERT OR IGNORE INTO {kind} VALUES (?)", (self._digest(key),)).rowcount == 1

    def contains(self, kind: str, key: str | bytes) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {kind} WHERE key = ?", (self._digest(key),)).fetchone() is not None

    def count(self, kind: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


class SiteSeen:
    """One site's view of the spider's seen set (``key in seen``, ``seen.add(key)``)."""

    def __init__(self, store: SeenStore, site: str):
        self.store = store
        self.prefix = site + "\0"

    def __contains__(self, key: str) -> bool:
        return self.store.contains("spider", self.prefix + key)

    def add(self, key: str) -> bool:
        return self.store.add("spider", self.prefix + key)


class DiskDupeFilter(BaseDupeFilter):
    """Scrapy's request dupefilter with its fingerprints in the ``SeenStore``, not in a set."""

    def __init__(self, store: SeenStore, fingerprinter, debug: bool = False, stats=None):
        self.store = store
        self.fingerprinter = fingerprinter
        self.debug = debug
        self.stats = stats
        self.logdupes = True

    @classmethod
    def from_crawler(cls, crawler):
        return cls(SeenStore.of(crawler), crawler.request_fingerprinter,
                   debug=crawler.settings.getbool("DUPEFILTER_DEBUG"), stats=crawler.stats)

    def request_seen(self, request) -> bool:
        return not self.store.add("fingerprints", self.fingerprinter.fingerprint(request))

    def log(self, request, spider=None) -> None:
        if self.debug:
            logger.debug("Filtered duplicate request: %(request)s", {"request": request})
        elif self.logdupes:
            logger.debug("Filtered duplicate request: %(request)s - no more duplicates will be shown"
                         " (see DUPEFILTER_DEBUG to show all duplicates)", {"request": request})
            self.logdupes = False
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")

    def close(self, reason: str) -> None:
        pass  # the store outlives the scheduler: the pipelines still use it (closed by the spider)


class DiskQueueScheduler(Scheduler):
    """Scrapy's scheduler, with its disk queues on in every run: in ``JOBDIR`` when set (the
    requests survive a pause, as Scrapy does), else in a temporary directory removed at close."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        jobdir = job_dir(settings)
        tmp = None if jobdir else tempfile.mkdtemp(prefix="calcio-queue-")
        scheduler = cls(
            dupefilter=build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler),
            jobdir=jobdir or tmp,
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )
        scheduler._tmp = tmp
        return scheduler

    def close(self, reason: str):
        result = super().close(reason)
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)
        return result
