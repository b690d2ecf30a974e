"""Request fingerprints on the canonical URL, so URL variants of one page are fetched once."""

from __future__ import annotations

import hashlib
from weakref import WeakKeyDictionary

from extract.urls import dedupe_key


class CanonicalFingerprinter:
    """Like Scrapy's default fingerprinter, but two URLs that differ only by tracking
    parameters, fragment, AMP marker, trailing slash or http/https are one request."""

    def __init__(self, crawler=None):
        self._cache: WeakKeyDictionary = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def fingerprint(self, request) -> bytes:
        if request not in self._cache:
            h = hashlib.sha1()
            h.update(request.method.encode())
            h.update(dedupe_key(request.url).encode())
            h.update(request.body or b"")
            self._cache[request] = h.digest()
        return self._cache[request]
