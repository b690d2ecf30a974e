"""DNS resolution that refuses non-public addresses (``TWISTED_DNS_RESOLVER``).

A host name that resolves to a loopback, private, link-local, multicast or otherwise
non-public address (``extract.urls.refused_address``) is never connected to: a configured
site's subdomain, or a redirect to one, cannot reach the machine, its network or a cloud
metadata service. Hosts given as IP addresses are not looked up: the site scope
(``SiteScopeMiddleware``) already admits only the exact address a site is configured with,
which is how a site on a private address (the tests' 127.0.0.1 servers) is crawled."""

from __future__ import annotations

import logging

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from extract.urls import is_ip_literal, normalize_host, refused_address

logger = logging.getLogger(__name__)


class PrivateAddressRefused(DNSLookupError):
    """A lookup refused for its address (Scrapy reports it as ``CannotResolveHostError``, in
    stat ``downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError``; the
    log names the host and the address)."""


class PublicAddressResolver(CachingThreadedResolver):
    def getHostByName(self, name, timeout=()):
        if is_ip_literal(normalize_host(name)):
            return super().getHostByName(normalize_host(name), timeout)
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._checked, name)
        return deferred

    def _checked(self, address: str, name: str) -> str:
        kind = refused_address(address)
        if kind is None:
            return address
        logger.warning("Refused %s: it resolves to %s, a %s address", name, address, kind)
        raise PrivateAddressRefused(f"{name} resolves to {address}, a {kind} address: refused")
