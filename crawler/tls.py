"""TLS: certificates verified (DOWNLOAD_VERIFY_CERTIFICATES), with a per-site escape hatch.

A site whose entry says ``verify_certificates = false`` is fetched without verifying its
certificate; every other host is verified.

Scrapy 2.19 deprecates DOWNLOADER_CLIENTCONTEXTFACTORY; its documented way to change how
requests are downloaded is a download handler (DOWNLOAD_HANDLERS). This handler is Scrapy's
own HTTP/1.1 handler whose TLS policy asks, per host, whether the site opted out.
"""

from __future__ import annotations

import copy

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from twisted.web.iweb import IPolicyForHTTPS
from zope.interface import implementer

from extract.urls import same_site


@implementer(IPolicyForHTTPS)
class PerSitePolicy:
    """Scrapy's TLS policy (from the settings) for every host, except that a site with
    ``verify_certificates = false`` gets the same policy without verification."""

    def __init__(self, verified, crawler):
        self.verified = verified
        self.unverified = copy.copy(verified)
        # the one private attribute used: the flag Scrapy's own factory reads
        self.unverified._verify_certificates = False
        self.crawler = crawler

    def _unverified(self, hostname: str, port: int) -> bool:
        sites = getattr(self.crawler.spider, "sites", None) or {}
        url = f"https://{hostname}:{port}/"
        return any(not s.profile.verify_certificates and same_site(url, s.profile.url) for s in sites.values())

    def creatorForNetloc(self, hostname: bytes, port: int):
        policy = self.unverified if self._unverified(hostname.decode("ascii"), port) else self.verified
        return policy.creatorForNetloc(hostname, port)


class PerSiteTLSHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._contextFactory = PerSitePolicy(self._contextFactory, crawler)
