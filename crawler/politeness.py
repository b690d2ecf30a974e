"""Politeness that holds across workers: per-site concurrency and delay kept in Redis.

Scrapy's download slots are per process: two workers would each send a site
``CONCURRENT_REQUESTS_PER_DOMAIN`` requests at a time, each with its own delay. On a
worker (``ARCHIVE_FRONTIER`` set) the HTTP download handler first takes a place in the
site's shared slot in Redis, at the last moment before the request goes on the wire: at
most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in flight to a site across all workers,
and consecutive requests to it started at least the slot's delay apart (``DOWNLOAD_DELAY``,
or AutoThrottle's current delay when higher). The site is Scrapy's own slot key (the host).
A place is held for ``ARCHIVE_FRONTIER_LEASE`` seconds, renewed by the worker's heartbeat
while its download runs: the places of a worker that died are free after that.
"""

from __future__ import annotations

import asyncio
import uuid

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from archive import distributed as wire
from crawler.frontier import Frontier

SLOTS = f"{wire.PREFIX}:slot:"  # per site: "<key>:holders" sorted set (token -> expiry), "<key>:next" time

# KEYS: holders, next; ARGV: token, concurrency, delay, hold. Returns "0" (granted) or seconds to wait.
_ACQUIRE = """
local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '0.02' end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return tostring(nxt - now) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4])))
redis.call('SET', KEYS[2], string.format('%.6f', now + tonumber(ARGV[3])), 'EX', math.ceil(tonumber(ARGV[3])) + 1)
return '0'
"""


class SharedSlotDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, entered only with a place in the site's shared slot."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.frontier = Frontier.of(crawler)
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.hold = self.frontier.lease  # renewed by the heartbeat while the download runs
        self._acquire = self.frontier.redis.register_script(_ACQUIRE)

    def _slot_delay(self, key: str) -> float:
        slot = self._crawler.engine.downloader.slots.get(key)
        return max(self.delay, slot.delay if slot is not None else 0.0)

    async def download_request(self, request):
        key = self._crawler.engine.downloader.get_slot_key(request)
        holders, token = f"{SLOTS}{key}:holders", uuid.uuid4().hex
        stats = self._crawler.stats
        waited = False
        while True:
            wait = float(self._acquire(keys=[holders, f"{SLOTS}{key}:next"],
                                       args=[token, self.concurrency, self._slot_delay(key), self.hold]))
            if wait <= 0:
                break
            waited = True
            await asyncio.sleep(min(wait, 1.0))
        if waited:
            stats.inc_value("politeness/waited_for_shared_slot")
        self.frontier.holding[token] = holders
        try:
            return await super().download_request(request)
        finally:
            del self.frontier.holding[token]
            self.frontier.redis.zrem(holders, token)
