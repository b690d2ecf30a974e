"""Self-tests of the fixture sites (tests/fixtures): ground truth, generated files, server."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import re
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from tests.fixtures import build_sites, content
from tests.fixtures.golden import iter_golden_pages
from tests.fixtures.server import FixtureSites

NOISE = ["Annuncio pubblicitario", "Leggi anche", "LEGGI ANCHE", "Seguici su", "Commenti", "Classifica",
         "RIPRODUZIONE RISERVATA", "Pubblicità", "Articolo letto", "Collabora con noi", "Di più in", "Condividi",
         "ULTIM'ORA", "Sondaggio", "Tag:", "Stampa", "Invia ad un amico", "newsletter", "cookie", "I più letti"]
# articles per site, from the built manifests (the ground truth must agree with them)
COUNTS = {site: len(json.loads((build_sites.SITES_DIR / site / "site.json").read_text(encoding="utf-8"))["articles"])
          for site in content.SITE_NAMES}
SITE_CHARSET = {"curvanord": "utf-8", "gazzettino": "utf-8", "pallonevecchio": "iso-8859-1"}


@pytest.fixture(scope="module")
def sites():
    with FixtureSites() as s:
        yield s


def get(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """One request, redirects not followed."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn.request(method, target or "/", headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    hdrs = {k.lower(): v for k, v in resp.getheaders()}
    conn.close()
    return resp.status, hdrs, body


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"<[^>]+>", "", page)
    return " ".join(html.unescape(page).split())


def canonical_of(page: bytes) -> str | None:
    tree = lxml_html.document_fromstring(page)
    hrefs = tree.xpath('//link[@rel="canonical"]/@href')
    return hrefs[0] if hrefs else None


# --- ground truth and generated files ----------------------------------------------

def test_generated_files_are_up_to_date_and_deterministic():
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        build_sites.build(Path(a))
        build_sites.build(Path(b))
        raw_a = {p.relative_to(a): p.read_bytes() for p in Path(a).rglob("*") if p.is_file()}
        raw_b = {p.relative_to(b): p.read_bytes() for p in Path(b).rglob("*") if p.is_file()}
        assert raw_a == raw_b, "two builds gave different bytes"
        assert build_sites.diff_trees(Path(a), build_sites.SITES_DIR) == [], \
            "checked-in fixture sites are stale: run python -m tests.fixtures.build_sites"


def test_checked_in_size_is_small():
    total = sum(p.stat().st_size for p in build_sites.SITES_DIR.rglob("*") if p.is_file())
    assert total < 1_900_000  # 41 articles, each with its AMP, listing and sitemap pages


@pytest.mark.parametrize("site", content.SITE_NAMES)
def test_ground_truth_shape(site):
    arts = content.articles(site)
    assert len(arts) == COUNTS[site]
    assert len({a.url for a in arts}) == len(arts)
    with_h2 = [a for a in arts if any(b.kind == "h2" for b in a.blocks)]
    assert 1 <= len(with_h2) <= 2
    assert any("<a " in b.html for a in arts for b in a.blocks)
    assert any(re.search(r"<(strong|em|b|i)>", b.html) for a in arts for b in a.blocks)
    seen = set()
    for a in arts:
        paras = [b.text for b in a.blocks if b.kind == "p"]
        assert 3 <= len(paras) <= 7, a.key
        for p in paras:
            assert 40 <= len(p.split()) <= 120, (a.key, p[:40])
            assert p not in seen, "repeated paragraph"
            seen.add(p)
        exp = a.expected()
        assert tuple(exp) == content.EXPECTED_KEYS
        assert exp["language"] == "it"
        assert exp["tags"] and exp["section"] and exp["description"]
        if site == "pallonevecchio":
            assert exp["image"] is None and exp["modified"] is None
            assert re.search(r"perch[ée]|città|più|già|Società", exp["text"])
            exp["text"].replace("€", "").encode("iso-8859-1")  # writable in Latin-1
        else:
            assert exp["image"].startswith("https://")
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", exp["published"])


def test_expected_json_files_match_ground_truth():
    for site in content.SITE_NAMES:
        for a in content.articles(site):
            path = build_sites.SITES_DIR / site / "expected" / f"{a.key}.json"
            assert json.loads(path.read_text(encoding="utf-8")) == a.expected()


def test_no_noise_in_expected_text():
    for a in content.all_articles():
        text = a.text
        for word in NOISE:
            assert word not in text, (a.site, a.key, word)


def test_golden_pages():
    pages = list(iter_golden_pages())
    assert len(pages) == sum(COUNTS.values())
    for site, url, raw, ctype, expected in pages:
        assert expected["url"] == url and expected["site"] == site
        assert ctype.startswith("text/html")
        page = raw.decode(SITE_CHARSET[site])
        if site != "pallonevecchio":
            assert f'rel="canonical" href="{url}"' in page
        text = visible_text(page)
        for para in expected["text"].split("\n\n"):
            assert para in text, (url, para[:60])
        assert expected["title"] in text


# --- the servers ---------------------------------------------------------------------

def test_servers_start(sites):
    assert sites.names == ["curvanord", "gazzettino", "pallonevecchio"]
    ports = set()
    for name in sites.names:
        base = sites[name].base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", base)
        ports.add(base)
        status, hdrs, body = get(base)
        assert status == 200 and hdrs["content-type"].startswith("text/html")
    assert len(ports) == 3


def test_hit_log_and_reset(sites):
    site = sites["gazzettino"]
    site.reset()
    get(site.base_url + "calcio/serie-a/?utm_source=x", headers={"User-Agent": "fixture-test"})
    get(site.base_url + "does-not-exist")
    hits = site.hits
    assert [(h.method, h.path, h.status) for h in hits] == [
        ("GET", "/calcio/serie-a/?utm_source=x", 200), ("GET", "/does-not-exist", 404)]
    assert hits[0].headers["User-Agent"] == "fixture-test"
    assert hits[0].response_headers["Content-Type"] == "text/html; charset=utf-8"
    assert hits[0].time <= hits[1].time
    site.reset()
    assert site.hits == []


def test_sites_toml(sites, tmp_path):
    path = sites.write_sites_toml(tmp_path / "sites.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [(s["name"], s["url"]) for s in data["site"]] == [(n, sites[n].base_url) for n in sites.names]
    assert all(set(s) == {"name", "url"} for s in data["site"])


def test_url_mapping(sites):
    for exp in sites.expected_articles():
        local = exp["url"]
        prod = sites.to_production(local)
        assert prod.startswith(("https://www.curvanord.it/", "https://www.gazzettino-sportivo.it/",
                                "http://www.pallonevecchio.it/"))
        assert sites.to_local(prod) == local


def test_robots_sitemaps_feed(sites):
    cn, gz, pv = sites["curvanord"], sites["gazzettino"], sites["pallonevecchio"]
    status, hdrs, body = get(cn.url("/robots.txt"))
    assert status == 200 and b"Disallow: /wp-admin/" in body
    assert f"Sitemap: {cn.origin}/sitemap_index.xml".encode() in body
    status, hdrs, body = get(gz.url("/robots.txt"))
    assert status == 200 and f"Sitemap: {gz.origin}/sitemap-news.xml".encode() in body
    assert b"Sitemap: /sitemap-index.xml" in body
    assert get(pv.url("/robots.txt"))[0] == 404

    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    found: set[str] = set()
    for site, index in ((cn, "/sitemap_index.xml"), (gz, "/sitemap-index.xml"), (gz, "/sitemap-news.xml")):
        status, hdrs, body = get(site.url(index))
        assert status == 200 and "xml" in hdrs["content-type"]
        root = ET.fromstring(body)
        locs = [e.text for e in root.iterfind(".//sm:loc", ns)]
        assert locs
        for loc in locs:
            assert loc.startswith(site.origin + "/")
            status, hdrs, body = get(loc)
            assert status == 200, loc
            if loc.endswith(".xml"):
                found.update(e.text for e in ET.fromstring(body).iterfind(".//sm:loc", ns))
            else:
                found.add(loc)
    listed = {e["url"] for e in sites.expected_articles() if e["site"] != "pallonevecchio"}
    # gazzettino lists one older article only on page 2 of "Ultime notizie", in no sitemap
    only_on_page_two = {gz.to_local(a["url"]) for a in gz.articles() if "viola-park" in a["url"]}
    assert len(only_on_page_two) == 1 and not only_on_page_two & found
    assert listed - only_on_page_two <= found

    status, hdrs, body = get(cn.url("/feed/"))
    assert status == 200 and hdrs["content-type"].startswith("application/rss+xml")
    items = ET.fromstring(body).findall("./channel/item")
    assert len(items) == 10
    newest = [a.url for a in content.articles("curvanord")[:10]]
    assert [i.findtext("link") for i in items] == [cn.to_local(u) for u in newest]


def test_every_expected_article_answers_200(sites):
    for exp in sites.expected_articles():
        status, hdrs, body = get(exp["url"])
        assert status == 200, exp["url"]
        if exp["site"] != "pallonevecchio":
            assert canonical_of(body) == exp["url"]


def test_variants_answer_the_same_article(sites):
    for name in sites.names:
        site = sites[name]
        for canon, variants in site.article_variant_urls().items():
            _, _, canon_body = get(canon)
            for v in variants:
                status, hdrs, body = get(v)
                if name == "curvanord" and not urlsplit(v).path.endswith("/"):
                    assert status == 301 and hdrs["location"] == canon.rstrip("/") + "/" + (
                        "?" + urlsplit(v).query if urlsplit(v).query else ""), v
                    continue
                assert status == 200, v
                if name == "pallonevecchio":
                    assert body == canon_body
                else:
                    assert canonical_of(body) == canon, v


def test_wordpress_no_slash_redirect_and_shortlink(sites):
    cn = sites["curvanord"]
    art = content.articles("curvanord")[0]
    status, hdrs, _ = get(cn.to_local(art.url).rstrip("/"))
    assert status == 301 and hdrs["location"] == cn.to_local(art.url)
    status, hdrs, _ = get(cn.url(f"/?p={art.id}"))
    assert status == 301 and hdrs["location"] == cn.to_local(art.url)
    status, hdrs, _ = get(cn.to_local(art.url) + "?share=facebook&nb=1")
    assert status == 302 and hdrs["location"].startswith("https://www.facebook.com/")
    status, hdrs, _ = get(cn.url("/category/serie-a"))
    assert status == 301 and hdrs["location"] == cn.url("/category/serie-a/")
    assert get(cn.url("/2016/11/08/arbitri-e-tecnologia-il-parere-degli-esperti/"))[0] == 404


def test_gzip_transfer_encoding(sites):
    status, hdrs, body = get(sites["curvanord"].base_url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and hdrs["content-encoding"] == "gzip"
    assert b"Curva Nord" in gzip.decompress(body)
    status, hdrs, body = get(sites["pallonevecchio"].base_url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in hdrs


def test_latin1_pages_and_charset_headers(sites):
    pv = sites["pallonevecchio"]
    status, hdrs, body = get(pv.url("/notizie.php?id=110"))
    assert status == 200
    assert hdrs["content-type"] == "text/html; charset=utf-8"  # the misconfiguration
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("iso-8859-1")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' in page
    assert "perché" in page and "Società" in page
    assert get(pv.url("/notizie.php?id=103"))[1]["content-type"] == "text/html"
    assert get(pv.url("/notizie.php?id=101"))[1]["content-type"] == "text/html; charset=iso-8859-1"
    # the query string is the identity; tracking parameters and session ids are not
    assert get(pv.url("/notizie.php?id=999"))[0] == 404
    assert get(pv.url("/notizie.php?PHPSESSID=abc&id=101&utm_source=x"))[2] == get(pv.url("/notizie.php?id=101"))[2]
    assert get(pv.url("/"))[2] == get(pv.url("/index.php"))[2]


def test_served_articles_contain_expected_paragraphs(sites):
    for exp in sites.expected_articles():
        _, _, body = get(exp["url"])
        text = visible_text(body.decode(SITE_CHARSET[exp["site"]]))
        for para in exp["text"].split("\n\n"):
            assert para in text, (exp["url"], para[:60])


def test_non_article_pages_answer_200(sites):
    urls = sites.non_article_urls()
    assert len(urls) > 40
    for url in urls:
        status, hdrs, body = get(url)
        assert status == 200 and hdrs["content-type"].startswith("text/html"), url


def test_internal_links_resolve(sites):
    """Every <a>/<link> on every page that stays on a fixture host resolves (or is a documented 404)."""
    for name in sites.names:
        site = sites[name]
        allowed_404 = {site.url(p) for p in site.manifest["known_404"]} | {site.url("/wp-admin/")}
        pages = [site.origin + k for k, r in site.manifest["routes"].items() if r["content_type"].startswith("text/html")]
        links: set[str] = set()
        for page in pages:
            _, _, body = get(page)
            tree = lxml_html.document_fromstring(body)
            for el in tree.xpath("//a[@href] | //link[@href]"):
                if el.tag == "link" and el.get("rel") not in ("canonical", "amphtml", "next", "prev", "alternate"):
                    continue
                url = urljoin(page, el.get("href")).split("#")[0]
                if url.startswith(site.origin + "/"):
                    links.add(url)
        assert len(links) > 30
        for url in sorted(links):
            status, hdrs, _ = get(url)
            if url in allowed_404:
                assert status == 404, url
                continue
            assert status in (200, 301, 302), url
            if status == 301:
                assert get(hdrs["location"])[0] == 200, url
