"""Bodies that are not a whole page (extract.integrity) and field caps (extract.caps): unit
tests; the crawl behaviour is in test_nothing_bad_replaces_good.py."""

import gzip
import zlib

import pytest

from extract import extract_article
from extract.article import Article
from extract.caps import CAPS, MAX_TAGS, TAG_MAX_CHARS, cap_fields
from extract.integrity import binary_body, truncated

PAGE = ("<!doctype html><html><head><title>t</title></head><body><article><h1>Titolo</h1>"
        + "<p>Un paragrafo di testo della cronaca.</p>" * 20 + "</article></body></html>").encode()


@pytest.mark.parametrize("body,ctype", [
    (gzip.compress(PAGE), "text/html; charset=utf-8"),
    (b"\x28\xb5\x2f\xfd" + zlib.compress(PAGE), "text/html"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "text/html"),
    (b"%PDF-1.7\n" + PAGE, "text/html"),
    (PAGE, "image/jpeg"),
    (PAGE, "application/octet-stream"),
    (bytes(range(256)) * 40, "text/html"),
    ("<html><body>" + "\ufffd" * 300 + "testo" * 100 + "</body></html>", "text/html"),
])
def test_bytes_that_are_not_a_page(body, ctype):
    if isinstance(body, str):
        assert binary_body(body.encode(), ctype, body)
    else:
        assert binary_body(body, ctype)


@pytest.mark.parametrize("body,ctype", [
    (PAGE, "text/html; charset=utf-8"),
    (PAGE, None),
    ("<html><body><p>Perché più città, è già così — “virgolette” 😀</p></body></html>".encode(), "text/html"),
    ("<html><body><p>Perch\xe9 pi\xf9 citt\xe0</p></body></html>".encode("cp1252"), "text/html; charset=windows-1252"),
    (PAGE, "application/xhtml+xml"),
])
def test_pages_are_pages(body, ctype):
    assert binary_body(body, ctype) is None


def test_truncated_documents():
    assert truncated(PAGE) is None
    assert "ends before" in truncated(PAGE[: len(PAGE) * 2 // 3])
    unclosed = PAGE.replace(b"</article>", b"")
    assert "<article> container left open" in truncated(unclosed)
    assert truncated(b"") is None and truncated(b"<p>a fragment</p>") is None
    # an omitted end tag is allowed by HTML, but a page that stops mid-article is not whole
    assert truncated(PAGE.replace(b"</body></html>", b"")) is not None


def test_field_caps():
    a = Article(url="https://x.it/a", title="Titolo " * 20_000, author="Mario Rossi, " * 1000, section="S" * 500,
                description="d " * 5000, tags=[f"tag {i}" for i in range(5000)] + ["x" * 1000], text="testo")
    capped = cap_fields(a)
    assert set(capped) == {"title", "author", "section", "description", "tags"}
    assert len(a.title) <= CAPS["title"] and a.title.startswith("Titolo Titolo") and not a.title.endswith(" ")
    assert len(a.author) <= CAPS["author"] and len(a.section) == CAPS["section"]
    assert len(a.tags) == MAX_TAGS and all(len(t) <= TAG_MAX_CHARS for t in a.tags)
    normal = Article(url="https://x.it/a", title="Il Napoli vince", tags=["Napoli", "Serie A"])
    assert cap_fields(normal) == [] and normal.tags == ["Napoli", "Serie A"]


def test_extraction_reports_capped_fields():
    html = PAGE.decode().replace("<title>t</title>", "<title>" + "Lunghissimo " * 10_000 + "</title>"
                                 '<meta property="og:type" content="article">'
                                 '<meta property="article:published_time" content="2026-01-01T10:00:00+01:00">')
    html = html.replace("<h1>Titolo</h1>", "<h1>" + "Lunghissimo " * 10_000 + "</h1>")
    result = extract_article(html, "https://x.it/2026/01/01/un-titolo-lunghissimo-davvero/")
    assert result.status == "ok" and "title" in result.capped and len(result.article.title) <= CAPS["title"]
