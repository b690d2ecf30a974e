"""Hostile and malformed pages (RELIABILITY rows 4, 11, 12, 14): never an exception, never a
truncated body stored as ok, never a control character in the text."""

import re

import pytest

from extract import extract_article

URL = "https://www.curvanord.it/2026/01/13/derby-di-roma-la-cronaca-completa/"
HEAD = ('<html lang="it"><head><meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-01-13T10:00:00+01:00"></head>')
PARAS = [f"Paragrafo {i}: la Roma e la Lazio si sono affrontate all'Olimpico davanti a sessantamila spettatori, "
         f"in una serata di pioggia e di tensione sugli spalti." for i in range(8)]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)


def check_complete(html):
    result = extract_article(html, URL)
    assert result.status == "ok", result.reason
    for p in PARAS:
        assert p in result.article.text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", result.article.text)
    return result.article


def test_deep_nesting_is_not_silently_truncated():
    check_complete(HEAD + "<body><h1>Derby di Roma</h1>" + "<div>" * 300 + BODY + "</div>" * 300 + "</body></html>")


def test_control_bytes_unclosed_tags_two_bodies_no_head():
    html = ("<html lang='it'><body><h1>Derby di Roma\x00</h1><div class='entry-content'><b>"
            + BODY.replace("</p>", "\x00\x0b\x07</p>", 3)
            + "<i>senza chiusura<p>coda</body></html></html><body><p>seconda body</p>")
    html = html.replace("<html lang='it'>", HEAD.replace("</head>", "") + "</head>", 1)
    check_complete(html)


def test_jsonld_with_wrong_types_and_broken_json():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": 42, "datePublished": ["x"], '
          '"headline": {"oops": 1}, "keywords": {"a": 1},}</script>'
          '<script type="application/ld+json">{not json at all</script>')
    article = check_complete(HEAD.replace("</head>", ld + "</head>") + "<body><h1>Derby di Roma</h1>" + BODY + "</body></html>")
    assert article.published == "2026-01-13T10:00:00+01:00"


@pytest.mark.parametrize("html", ["", "   \n\t ", "<html></html>", "<html><body></body></html>", "\x00\x00"])
def test_empty_pages(html):
    assert extract_article(html, URL).status in ("empty", "not_article")


def test_bytes_are_refused_before_trafilatura():
    with pytest.raises(TypeError):
        extract_article(b"\x1f\x8b\x08\x00 compressed bytes", URL)
