"""The single writer of a distributed crawl: ``calcio-archive ingest --redis URL [--db PATH]``.

Workers (``scrapy crawl calcio -s ARCHIVE_FRONTIER=URL``) push their results to a Redis
list; the ingest takes one at a time with LMOVE into a "taken" list, writes it with the
same functions as a plain crawl (save_fetch: one transaction per page and its article;
crawls rows; learned boilerplate at the end of each worker's run) and removes it from
"taken" only after the transaction committed. Killed at any point, it finds the result
still in "taken" on restart and writes it again; the writes are upserts, so the archive
ends the same (an article re-saved with the same content adds no version).

It also publishes what the archive holds (each site's held pages and learned boilerplate)
to Redis, where workers read it for incremental crawls.
"""

from __future__ import annotations

import json
import logging
import signal
import time

import redis
import sqlite_utils

from extract.urls import dedupe_key

from . import distributed as wire
from .boilerplate import learn, learned_for
from .db import ArchiveLocked, write_transaction
from .store import finish_crawl, held_pages, now_utc, save_fetch

logger = logging.getLogger(__name__)

SILENT = 60.0  # seconds: --until-idle waits for a registered worker silent for less than this
PUBLISH_EVERY = 30.0  # seconds: held state is republished at least this often while results flow


class Ingest:
    def __init__(self, db: sqlite_utils.Database, client: redis.Redis):
        self.db = db
        self.redis = client
        self.crawl_ids: dict[str, int] = {}
        self.saved: dict[str, set[str]] = {}   # per worker run: article URLs stored (one article, several URLs)
        self.touched: set[str] = set()          # sites whose held state changed since the last publish
        self.published_at = 0.0
        self.stopping = False
        self.written = 0

    # --- the loop ------------------------------------------------------------------------

    def run(self, until_idle: bool = False, wait: float = 1.0) -> int:
        """Write results until stopped (SIGTERM, Ctrl-C) or, with ``until_idle``, until no
        result is waiting and no worker is running. Returns how many results were written."""
        signal.signal(signal.SIGTERM, self._stop)
        self.publish(self._all_sites())
        while not self.stopping:
            # a result taken by a previous ingest that died before acknowledging it comes first
            message = self.redis.lindex(wire.RESULTS_TAKEN, 0)
            redelivered = message is not None
            if message is None:
                message = self.redis.blmove(wire.RESULTS, wire.RESULTS_TAKEN, wait, "LEFT", "RIGHT")
            if message is None:
                self.reap()
                self.publish(self.touched)
                if until_idle and self.idle():
                    break
                continue
            self.handle(message, redelivered)
            if time.monotonic() - self.published_at > PUBLISH_EVERY:
                self.publish(self.touched)
        self.publish(self.touched)
        return self.written

    def _stop(self, *_):
        self.stopping = True

    def handle(self, message: bytes, redelivered: bool = False) -> None:
        """Write one result. ``redelivered``: a previous ingest took it and died before
        acknowledging it (it may have committed the write: see ``page``)."""
        counts: dict[str, int] = {}
        site_written = worker = None
        while True:
            try:
                data = wire.decode(message)
                kind, worker = data["kind"], data["worker"]
                if kind == "start":
                    self.start(worker, data)
                elif kind == "page":
                    counts, site_written = self.page(worker, data, redelivered)
                elif kind == "finish":
                    self.finish(worker, data)
                break
            except ArchiveLocked as exc:  # another writer (a plain crawl, reextract) holds it: wait
                logger.warning("Archive locked, retrying: %s", exc)
                time.sleep(1)
            except (ValueError, TypeError, KeyError) as exc:  # a message that can never be written
                logger.error("Result set aside in %s: %s: %s", wire.RESULTS_FAILED, type(exc).__name__, exc)
                self.redis.rpush(wire.RESULTS_FAILED, message)
                break
        ack = self.redis.pipeline(transaction=True)
        ack.lrem(wire.RESULTS_TAKEN, 1, message)
        for key, n in counts.items():  # non-empty only for a page written, worker known
            ack.hincrby(wire.COUNTS + worker, key, n)
        if site_written:
            ack.sadd(wire.SITES_WRITTEN + worker, site_written)
        ack.execute()
        self.written += 1

    # --- messages ------------------------------------------------------------------------

    def crawl_of(self, worker: str) -> int | None:
        if worker not in self.crawl_ids:
            row = self.db.execute(
                """SELECT id FROM crawls WHERE json_extract(stats, '$."frontier/worker"') = ?""", [worker]
            ).fetchone()
            if row is None:
                return None
            self.crawl_ids[worker] = row[0]
        return self.crawl_ids[worker]

    def start(self, worker: str, data: dict) -> None:
        """A worker's run is a row of ``crawls``, as a plain run is (several may be running)."""
        if self.crawl_of(worker) is not None:
            return  # written before a restart
        with write_transaction(self.db):
            self.crawl_ids[worker] = self.db["crawls"].insert({
                "spider": data["spider"], "sites": json.dumps(data["sites"]), "started_at": data["started_at"],
                "status": "running", "stats": json.dumps({"frontier/worker": worker, "frontier/lease": data["lease"]}),
            }).last_pk

    def page(self, worker: str, data: dict, redelivered: bool = False) -> tuple[dict[str, int], str | None]:
        page, article = data["page"], data["article"]
        page.crawl_id = self.crawl_of(worker)
        saved = self.saved.setdefault(worker, set())
        counts: dict[str, int] = {}
        if article is not None and article.url in saved:
            counts["archive/duplicate_in_run"] = 1
            article = None  # the same article reached by another URL: record the page only
        outcome = save_fetch(self.db, page, article, data.get("entities") if article is not None else None)
        self.touched.add(page.site)
        if page.kind == "not_modified":
            counts["archive/not_modified"] = 1
        if outcome is None:
            return counts, None
        if redelivered and outcome == "unchanged" and self._new_in_run(article.url, page.crawl_id):
            # the ingest that died had committed this article, new in this run, before counting it
            outcome = "new"
        saved.add(article.url)
        counts[f"archive/{outcome}"] = 1
        return counts, article.site

    def _new_in_run(self, url: str, crawl_id: int | None) -> bool:
        """The article was first seen during this worker's run."""
        if crawl_id is None:
            return False
        row = self.db.execute(
            "SELECT a.first_seen >= c.started_at FROM articles a, crawls c WHERE a.url = ? AND c.id = ?",
            [url, crawl_id]).fetchone()
        return bool(row and row[0])

    def finish(self, worker: str, data: dict) -> None:
        crawl_id = self.crawl_of(worker)
        if crawl_id is None:
            return
        stats = dict(data["stats"])
        stats["frontier/worker"] = worker
        stats.update({k.decode(): int(v) for k, v in self.redis.hgetall(wire.COUNTS + worker).items()})
        sites = sorted(s.decode() for s in self.redis.smembers(wire.SITES_WRITTEN + worker))
        for site in sites:
            stats[f"boilerplate/learned/{site}"] = learn(self.db, site)
        finish_crawl(self.db, crawl_id, data["reason"], stats, data["failed"])
        self.publish(set(sites) | self.touched)
        self.redis.delete(wire.COUNTS + worker, wire.SITES_WRITTEN + worker)
        self.saved.pop(worker, None)

    # --- workers that died, and when to stop ---------------------------------------------

    def _running(self) -> list[tuple[int, str, float]]:
        rows = self.db.execute(
            """SELECT id, json_extract(stats, '$."frontier/worker"'), json_extract(stats, '$."frontier/lease"')
               FROM crawls WHERE status = 'running' AND json_extract(stats, '$."frontier/worker"') IS NOT NULL"""
        ).fetchall()
        return [(i, w, float(lease or 60)) for i, w, lease in rows]

    def reap(self) -> None:
        """A worker whose heartbeat stopped (killed) never sends its end: its run is marked
        aborted, as a killed plain crawl is."""
        now = float("%d.%06d" % self.redis.time())
        for crawl_id, worker, lease in self._running():
            beat = self.redis.zscore(wire.WORKERS, worker)
            if beat is None or beat < now - lease:
                with write_transaction(self.db):
                    self.db.execute("UPDATE crawls SET status = 'aborted', finish_reason = 'killed', finished_at = ? "
                                    "WHERE id = ? AND status = 'running'", [now_utc(), crawl_id])
                logger.warning("Worker %s stopped without a word: crawl %s marked aborted", worker, crawl_id)

    def idle(self) -> bool:
        """Results were written, none waits, no worker run is open and no worker beats."""
        now = float("%d.%06d" % self.redis.time())
        return (self.written > 0 and not self.redis.llen(wire.RESULTS) and not self.redis.llen(wire.RESULTS_TAKEN)
                and not self._running() and not self.redis.zcount(wire.WORKERS, now - SILENT, "+inf"))

    # --- held state for incremental crawls ---------------------------------------------------

    def _all_sites(self) -> set[str]:
        return {s for (s,) in self.db.execute("SELECT DISTINCT site FROM pages").fetchall()} if self.db["pages"].exists() else set()

    def publish(self, sites) -> None:
        """Each site's held pages (dedupe key -> Held) and learned boilerplate, replaced atomically."""
        for site in sorted(sites):
            held = {dedupe_key(url): wire.encode_held(h) for url, h in held_pages(self.db, site).items()}
            pipe = self.redis.pipeline(transaction=True)
            pipe.delete(wire.HELD + site)
            if held:
                pipe.hset(wire.HELD + site, mapping=held)
            pipe.set(wire.LEARNED + site, json.dumps(sorted(learned_for(self.db, site)), ensure_ascii=False))
            pipe.execute()
        self.touched.clear()
        self.published_at = time.monotonic()


def main(redis_url: str, db_path: str, until_idle: bool = False) -> None:
    """``calcio-archive ingest``: holds the archive's crawl lock (one writer at a time)."""
    import click

    from .db import ArchiveError, open_db
    from .lock import AlreadyRunning, CrawlLock

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    client = wire.connect(redis_url)
    try:
        with CrawlLock(db_path):
            db = open_db(db_path)
            try:
                written = Ingest(db, client).run(until_idle=until_idle)
            finally:
                db.close()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    except ArchiveError as exc:
        raise click.ClickException(f"{exc} (the results wait in Redis)") from None
    except redis.RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    click.echo(f"{written} results written to {db_path}", err=True)
