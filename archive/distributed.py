"""What crawl workers and the ingest exchange through Redis (see README, "Crawling with
several machines"): key names, the one serialisation of a result (PageRecord + Article),
and the held state the ingest publishes for incremental crawls.

Workers (crawler/) push results; the ingest (archive/ingest.py) is the only SQLite writer.
Both sides import this module, so the wire format is defined once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from extract.article import Article

from .store import Held, PageRecord

PREFIX = "calcio"
RESULTS = f"{PREFIX}:results"                 # list: messages pushed by workers (RPUSH)
RESULTS_TAKEN = f"{PREFIX}:results:taken"     # list: taken by the ingest, not yet committed
RESULTS_FAILED = f"{PREFIX}:results:failed"   # list: results the ingest could not write (logged)
WORKERS = f"{PREFIX}:workers"                 # sorted set: worker id -> last heartbeat (Redis TIME)
COUNTS = f"{PREFIX}:ingest:counts:"           # hash per worker run: archive/new, archive/updated, ...
SITES_WRITTEN = f"{PREFIX}:ingest:sites:"     # set per worker run: sites with an article stored
HELD = f"{PREFIX}:held:"                      # hash per site: dedupe key -> Held as JSON
LEARNED = f"{PREFIX}:learned:"                # string per site: JSON list of learned boilerplate


def connect(url: str) -> redis.Redis:
    """A client that rides out a Redis restart (about a minute of retries) instead of failing."""
    return redis.Redis.from_url(
        url, socket_timeout=30, socket_connect_timeout=5, health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=2, base=0.1), 40),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )


def encode(kind: str, worker: str, **body) -> str:
    """One message: ``start`` (spider, sites), ``page`` (page, article, the article's football
    entities) or ``finish`` (reason, stats)."""
    if "page" in body:
        body["page"] = asdict(body["page"])
        body["article"] = body["article"].to_dict() if body.get("article") is not None else None
    return json.dumps({"kind": kind, "worker": worker, **body}, ensure_ascii=False, default=str)


def decode(message: str | bytes) -> dict:
    data = json.loads(message)
    if data["kind"] == "page":
        names = {f.name for f in fields(PageRecord)}
        data["page"] = PageRecord(**{k: v for k, v in data["page"].items() if k in names})
        data["article"] = Article(**data["article"]) if data.get("article") else None
    return data


def encode_held(held: Held) -> str:
    return json.dumps(asdict(held))


def decode_held(value: str | bytes) -> Held:
    names = {f.name for f in fields(Held)}
    return Held(**{k: v for k, v in json.loads(value).items() if k in names})
