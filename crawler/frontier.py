"""A crawl worker on a shared frontier: ``scrapy crawl calcio -s ARCHIVE_FRONTIER=redis://HOST:6379/0``.

The scheduler queue and the dupefilter live in Redis (scrapy-redis), so any number of
workers on any number of machines share one frontier. scrapy-redis pops a request
destructively; here a popped request is *leased*: it moves atomically from the queue to
the worker's lease hash, and leaves it only once Scrapy is done with it (response,
callback, follow-up requests scheduled and item pipelines run). Every worker beats a
heartbeat; the leases of a worker silent for ``ARCHIVE_FRONTIER_LEASE`` seconds (killed,
frozen, its machine gone) go back to the queue and are crawled by the others.

When the frontier is idle (no queue, no worker) the first worker to join starts a new crawl
(it clears the dupefilter); a worker joining a frontier with requests left resumes it.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import random
import socket
import uuid
import weakref

import redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive import distributed as wire

logger = logging.getLogger(__name__)

LEASE = "_frontier_lease"  # request.meta key: the lease token of a request taken from Redis
LEASES = f"{wire.PREFIX}:leases:"  # hash per worker: lease token ("<score>:<id>") -> encoded request

# Redis TIME, so that the machines' clocks do not matter.
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "
_TAKE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local token = r[2] .. ':' .. ARGV[1]
redis.call('HSET', KEYS[2], token, r[1])
return {token, r[1]}
"""
# Moves the leases of workers silent since before now - ARGV[1] back to the queue.
_REAP = _NOW + """
local n = 0
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[1]))) do
  if w ~= ARGV[3] then
    local leases = redis.call('HGETALL', ARGV[2] .. w)
    for i = 1, #leases, 2 do
      redis.call('ZADD', KEYS[1], tonumber(string.match(leases[i], '^(.-):')), leases[i + 1])
      n = n + 1
    end
    redis.call('DEL', ARGV[2] .. w)
    redis.call('ZREM', KEYS[2], w)
  end
end
"""
# Heartbeat (KEYS: queue, workers; ARGV: lease, leases prefix, worker): returns how many requeued.
_REQUEUE_DEAD = _REAP + "redis.call('ZADD', KEYS[2], now, ARGV[3]) return n"
# Join (same, plus KEYS[3] the dupefilter): once the dead are reaped, a frontier with no queue
# and no other worker is idle: this worker starts a new crawl. Returns {fresh, requeued}.
_JOIN = _REAP + """
local fresh = redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0
if fresh then redis.call('DEL', KEYS[3]) end
redis.call('ZADD', KEYS[2], now, ARGV[3])
return {fresh and 1 or 0, n}
"""
# Is there anything left to crawl: queued requests, or requests leased by another worker
# (alive, or dead and soon requeued)?
_PENDING = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 1 end
for _, w in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if w ~= ARGV[2] and redis.call('HLEN', ARGV[1] .. w) > 0 then return 1 end
end
return 0
"""
_LEAVE = """
local leases = redis.call('HGETALL', KEYS[3])
for i = 1, #leases, 2 do
  redis.call('ZADD', KEYS[1], tonumber(string.match(leases[i], '^(.-):')), leases[i + 1])
end
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return #leases / 2
"""


# Renews this worker's places in the sites' shared slots (crawler.politeness): KEYS[i] holds ARGV[i+1].
_RENEW = _NOW + """
for i, key in ipairs(KEYS) do redis.call('ZADD', key, 'XX', now + tonumber(ARGV[1]), ARGV[i + 1]) end
return #KEYS
"""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Frontier:
    """This worker's side of the shared frontier: its Redis client, name, leases, heartbeat."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("ARCHIVE_FRONTIER")
        self.lease = settings.getfloat("ARCHIVE_FRONTIER_LEASE", 60)
        self.redis = wire.connect(self.url)
        self.worker = f"{worker_name()}:{uuid.uuid4().hex[:6]}"
        self.leases_key = LEASES + self.worker
        self.queue_key = f"{wire.PREFIX}:requests"
        self.dupefilter_key = f"{wire.PREFIX}:dupefilter"
        self._released: list[str] = []  # lease tokens of finished requests, deleted in batches
        self.holding: dict[str, str] = {}  # shared-slot token -> its holders key, while downloading
        self._beat: task.LoopingCall | None = None
        self._wake: task.LoopingCall | None = None
        r = self.redis
        self._take, self._requeue, self._join = r.register_script(_TAKE), r.register_script(_REQUEUE_DEAD), r.register_script(_JOIN)
        self._pending, self._leave = r.register_script(_PENDING), r.register_script(_LEAVE)
        self._renew = r.register_script(_RENEW)

    @classmethod
    def of(cls, crawler) -> "Frontier":
        """The crawler's one Frontier, shared by the scheduler, the politeness handler and the pipeline."""
        frontier = getattr(crawler, "_calcio_frontier", None)
        if frontier is None:
            frontier = crawler._calcio_frontier = cls(crawler)
        return frontier

    # --- membership ------------------------------------------------------------------

    def join(self) -> None:
        self.redis.ping()
        fresh, requeued = self._join(keys=[self.queue_key, wire.WORKERS, self.dupefilter_key],
                                     args=[self.lease, LEASES, self.worker])
        if requeued:
            logger.warning("Frontier: %d requests of a silent worker put back in the queue", requeued)
            self.crawler.stats.inc_value("frontier/requeued", requeued)
        if fresh:
            logger.info("Frontier %s: idle, starting a new crawl", self.url)
        else:
            logger.info("Frontier %s: joining a crawl (%d requests queued)", self.url, self.redis.zcard(self.queue_key))
        self._beat = task.LoopingCall(self.heartbeat)
        self._beat.start(min(2.0, self.lease / 4), now=True)
        self._wake = task.LoopingCall(self.wake)
        self._wake.start(0.5, now=False)

    def wake(self) -> None:
        """Scrapy asks a scheduler that had nothing again only every 5 s (engine heartbeat);
        another worker may have queued work since: ask sooner. (Private engine API, guarded.)"""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and hasattr(slot, "nextcall"):
            slot.nextcall.schedule()

    def heartbeat(self) -> None:
        """Tell the others this worker is alive; requeue the leases of the dead ones."""
        try:
            gc.collect()
            self.flush_released()
            if self.holding:
                held = list(self.holding.items())
                self._renew(keys=[k for _, k in held], args=[self.lease] + [t for t, _ in held])
            requeued = self._requeue(keys=[self.queue_key, wire.WORKERS], args=[self.lease, LEASES, self.worker])
        except redis.RedisError as exc:
            logger.warning("Frontier heartbeat failed: %s", exc)
            return
        if requeued:
            logger.warning("Frontier: %d requests of a silent worker put back in the queue", requeued)
            self.crawler.stats.inc_value("frontier/requeued", requeued)

    def leave(self) -> None:
        """On close: requests this worker took and did not finish go back to the queue."""
        for loop in (self._beat, self._wake):
            if loop is not None and loop.running:
                loop.stop()
        gc.collect()  # finished requests caught in reference cycles release their leases now
        self.flush_released()
        back = self._leave(keys=[self.queue_key, wire.WORKERS, self.leases_key], args=[self.worker])
        if back:
            logger.info("Frontier: %d unfinished requests put back in the queue", back)
            self.crawler.stats.set_value("frontier/requeued_on_close", back)

    # --- leases --------------------------------------------------------------------------

    def take(self):
        """(token, encoded request) of the best queued request, now leased to this worker."""
        return self._take(keys=[self.queue_key, self.leases_key], args=[uuid.uuid4().hex[:12]])

    def finished(self, token: str) -> None:
        """Called when Scrapy drops a leased request: may run inside any code (garbage
        collection), so it only notes the token; the heartbeat deletes it in Redis."""
        self._released.append(token)

    def flush_released(self) -> None:
        tokens, self._released = self._released, []
        if tokens:
            try:
                self.redis.hdel(self.leases_key, *tokens)
            except redis.RedisError:
                self._released.extend(tokens)  # next time
                raise

    def pending(self) -> bool:
        self.flush_released()
        return bool(self._pending(keys=[self.queue_key, wire.WORKERS], args=[LEASES, self.worker]))

    # --- results ---------------------------------------------------------------------------

    def push(self, message: str) -> None:
        self.redis.rpush(wire.RESULTS, message)


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, with pops that lease (see the module docstring)."""

    frontier: Frontier

    def push(self, request):
        request.meta.pop(LEASE, None)  # a retry or redirect of a leased request is a new request
        # Redis orders equal scores by the encoded request (its URL): one site's links would come
        # out together and wait on that site's slot. A random fraction (priorities are integers)
        # mixes the sites within a priority, as Scrapy's downloader-aware queue would.
        score = -request.priority + random.random() * 0.9
        self.server.execute_command("ZADD", self.key, score, self._encode_request(request))

    def pop(self, timeout=0):
        taken = self.frontier.take()
        if not taken:
            return None
        token, data = taken
        request = self._decode_request(data)
        token = token.decode() if isinstance(token, bytes) else token
        request.meta[LEASE] = token
        # Scrapy holds the request until its response is processed, follow-ups scheduled and
        # items through the pipelines; when it lets go, the work is done.
        weakref.finalize(request, self.frontier.finished, token)
        return request


class FingerprintDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter keyed by the project's request fingerprinter
    (crawler.fingerprint: canonical URLs), not scrapy-redis's own fingerprint."""

    def __init__(self, server, key, fingerprinter, debug=False):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request):
        return self.fingerprinter.fingerprint(request).hex()


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler with leased pops, a shared "anything left?" test and the
    project's fingerprints; it always persists (other workers may still be crawling)."""

    @classmethod
    def from_crawler(cls, crawler):
        frontier = Frontier.of(crawler)
        df = FingerprintDupeFilter(frontier.redis, frontier.dupefilter_key, crawler.request_fingerprinter,
                                   debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        scheduler = cls(server=frontier.redis, persist=True, queue_key=frontier.queue_key, dupefilter=df)
        scheduler.stats = crawler.stats
        scheduler.frontier = frontier
        return scheduler

    def open(self, spider):
        # scrapy-redis's open() without its Spider.log() call (deprecated in Scrapy 2.19)
        self.spider = spider
        self.queue = LeasedQueue(server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer)
        self.queue.frontier = self.frontier
        self.frontier.join()

    def close(self, reason):
        pass  # the worker leaves the frontier after its end is pushed (ResultPipeline.spider_closed)

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        return self.frontier.pending()


class RedisHeld:
    """What the archive holds for one site's URLs, as the ingest published it (a Redis hash
    by dedupe key), read per URL when the spider meets it: never the whole hash at start."""

    def __init__(self, client, site: str):
        self.client = client
        self.key = wire.HELD + site
        self.failed = False

    def get(self, key: str):
        if self.failed:
            return None
        try:
            value = self.client.hget(self.key, key)
        except redis.RedisError as exc:
            logger.warning("Cannot read what the archive holds from Redis (%s): the rest of the site is fetched", exc)
            self.failed = True
            return None
        return wire.decode_held(value) if value is not None else None


def load_archive_state(spider, settings) -> None:
    """What the archive holds (published by the ingest), instead of reading the SQLite file:
    each site's held pages (looked up per URL) and learned boilerplate."""
    r = wire.connect(settings.get("ARCHIVE_FRONTIER"))
    try:
        for state in spider.sites.values():
            name = state.profile.name
            state.held = RedisHeld(r, name)
            learned = r.get(wire.LEARNED + name)
            state.learned = frozenset(json.loads(learned)) if learned else frozenset()
    except redis.RedisError as exc:
        spider.logger.warning("Cannot read what the archive holds from Redis (%s): every article will be fetched", exc)
