"""Addresses (issue 10, point 10): numeric host forms normalised before the scope check;
host names resolving to non-public addresses refused by the resolver (TWISTED_DNS_RESOLVER), unless
the site is configured by that address itself."""

import pytest
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawler.resolver import PrivateAddressRefused, PublicAddressResolver
from extract.urls import canonicalize, normalize_host, refused_address, same_site
from tests.crawling import run_crawl
from tests.faults import FaultServer


@pytest.mark.parametrize("address,kind", [
    ("10.0.0.1", "private"), ("169.254.169.254", "link-local"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("172.16.5.4", "private"), ("127.0.0.1", "loopback"), ("::1", "loopback"), ("[::1]", "loopback"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"),
    ("::ffff:10.0.0.1", "private"), ("100.64.0.1", "non-public"), ("2130706433", "loopback"),
])
def test_non_public_addresses_are_classified_without_connecting(address, kind):
    assert refused_address(address) == kind


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.69", "2a00:1450:4002:80e::200e"])
def test_public_addresses_pass(address):
    assert refused_address(address) is None


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.1"])
def test_numeric_host_forms_are_normalised(host):
    assert normalize_host(host) == "127.0.0.1"
    assert canonicalize(f"http://{host}:8080/a/") == "http://127.0.0.1:8080/a/"


def test_names_that_look_numeric_are_left_alone():
    assert normalize_host("1.example.com") == "1.example.com" and normalize_host("calcio.it") == "calcio.it"
    assert normalize_host("999.999.999.999") == "999.999.999.999"


def test_scope_check_sees_the_normalised_host():
    assert same_site("http://0x7f.1:8080/x", "http://127.0.0.1:8080/")
    assert not same_site("http://2130706433/x", "http://127.0.0.1:8080/")  # another port
    assert not same_site("http://127.1:8080/x", "http://10.0.0.1:8080/")


def test_resolver_refuses_names_resolving_to_private_addresses(monkeypatch):
    answers = {"intranet.calcio.example": "10.0.0.1", "metadata.calcio.example": "169.254.169.254",
               "www.calcio.example": "93.184.216.34"}
    monkeypatch.setattr("scrapy.resolver.ThreadedResolver.getHostByName",
                        lambda self, name, timeout=(): defer.succeed(answers[name]))
    monkeypatch.setattr("scrapy.resolver.dnscache", type("NoCache", (dict,), {"limit": 0})())
    resolver = PublicAddressResolver(reactor=None, cache_size=0, timeout=1)
    outcome = {}
    for name in answers:
        d = resolver.getHostByName(name)
        d.addCallbacks(lambda ip, n=name: outcome.__setitem__(n, ip), lambda f, n=name: outcome.__setitem__(n, f.value))
    assert outcome["www.calcio.example"] == "93.184.216.34"
    for name in ("intranet.calcio.example", "metadata.calcio.example"):
        assert isinstance(outcome[name], PrivateAddressRefused) and isinstance(outcome[name], DNSLookupError)
        assert "address: refused" in str(outcome[name])


def test_a_site_whose_name_resolves_to_loopback_is_never_fetched(tmp_path):
    with FaultServer() as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nname = "nome"\nurl = "http://localhost:{server.port}/"\n')
        run = run_crawl(sites, tmp_path / "a.db", RETRY_TIMES="0")
        assert server.paths() == []
    assert run.returncode == 3, run.log[-3000:]  # nothing fetched: cron is told
    assert run.stats.get("downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError", 0) >= 1
    assert "resolves to 127.0.0.1, a loopback address" in run.log
