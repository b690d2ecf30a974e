"""TLS: certificates verified (DOWNLOAD_VERIFY_CERTIFICATES), with a per-site escape hatch.

A site whose entry says ``verify_certificates = false`` is fetched without verifying its
certificate; every other host is verified.

Scrapy 2.19 deprecates DOWNLOADER_CLIENTCONTEXTFACTORY (a warning at start-up) but offers no
per-host replacement yet; when it does, this module is the one place to change.
"""

from __future__ import annotations

from scrapy.core.downloader.contextfactory import ScrapyClientContextFactory

from extract.urls import same_site


class PerSiteContextFactory(ScrapyClientContextFactory):
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        factory = super().from_crawler(crawler, *args, **kwargs)
        factory._crawler = crawler
        return factory

    def _unverified(self, hostname: str, port: int) -> bool:
        spider = getattr(getattr(self, "_crawler", None), "spider", None)
        sites = getattr(spider, "sites", None) or {}
        url = f"https://{hostname}:{port}/"
        return any(not s.profile.verify_certificates and same_site(url, s.profile.url) for s in sites.values())

    def creatorForNetloc(self, hostname: bytes, port: int):
        if self._verify_certificates and self._unverified(hostname.decode("ascii"), port):
            self._verify_certificates = False  # the reactor is single-threaded: restored right below
            try:
                return super().creatorForNetloc(hostname, port)
            finally:
                self._verify_certificates = True
        return super().creatorForNetloc(hostname, port)
