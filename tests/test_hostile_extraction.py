"""Hostile markup never makes extract_article raise (issue 10, point 4): deep JSON-LD is
ignored and counted, the page is extracted from the rest; every other hostile page gives an
ExtractResult, never an exception."""

import json

import pytest

from extract import extract_article
from extract.jsonld import JSONLD_MAX_DEPTH

URL = "https://www.curvanord.it/2026/01/13/derby-di-roma-la-cronaca-completa/"
PARAS = [f"Paragrafo {i}: la Roma e la Lazio si sono affrontate all'Olimpico davanti a sessantamila spettatori, "
         f"in una serata di pioggia e di tensione sugli spalti." for i in range(6)]
HEAD = ('<html lang="it"><head><title>Derby di Roma, la cronaca</title><meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-01-13T10:00:00+01:00">{extra}</head>')
PAGE = HEAD + "<body><article><h1>Derby di Roma, la cronaca</h1>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>"


def page(extra_head: str = "") -> str:
    return PAGE.replace("{extra}", extra_head)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_jsonld_is_ignored_and_the_page_extracted(depth):
    deep = '{"@type": "NewsArticle", "x": ' + "[" * depth + "]" * depth + "}"
    result = extract_article(page(f'<script type="application/ld+json">{deep}</script>'), URL)
    assert result.status == "ok", result.reason
    assert result.jsonld_invalid == 1
    assert result.article.title == "Derby di Roma, la cronaca" and PARAS[-1] in result.article.text


def test_ordinary_nesting_is_still_read():
    nested = {"@type": "NewsArticle", "headline": "Titolo dal JSON-LD", "author": {"@type": "Person", "name": "Anna Neri"}}
    for _ in range(JSONLD_MAX_DEPTH // 4):  # two levels each
        nested = {"@graph": [nested]}
    result = extract_article(page(f'<script type="application/ld+json">{json.dumps(nested)}</script>'), URL)
    assert result.jsonld_invalid == 0 and result.article.author == "Anna Neri"


HOSTILE = {
    "lone surrogate": page().replace("Paragrafo 2", "Paragrafo \ud800 2"),
    "xml encoding declaration": '<?xml version="1.0" encoding="utf-16"?>' + page(),
    "10 000 nested divs": page().replace("<article>", "<article>" + "<div>" * 10_000).replace("</article>", "</div>" * 10_000 + "</article>"),
    "10 000 nested unclosed tags": page().replace("<article>", "<article>" + "<b><i>" * 5_000),
    "deep jsonld in the body": page().replace("</article>", '<script type="application/ld+json">' + "{\"a\":" * 5000 + "1" + "}" * 5000 + "</script></article>"),
    "huge attribute": page().replace("<article>", '<article data-x="' + "a" * 2_000_000 + '">'),
    "only control bytes": "\x00\x01\x02" * 1000,
    "binary noise": bytes(range(256)).decode("latin-1") * 200,
    "processing instructions and cdata": "<?php echo 1; ?><![CDATA[x]]>" + page(),
    "unbalanced comments": page().replace("<article>", "<article><!-- <!-- -->"),
    "invalid entities": page().replace("Paragrafo 3", "&#0; &#xD800; &#99999999; &bogus; Paragrafo 3"),
}


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    result = extract_article(HOSTILE["xml encoding declaration"], URL)
    assert result.status == "ok" and PARAS[0] in result.article.text


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_exception_escapes_extraction(name):
    result = extract_article(HOSTILE[name], URL)
    assert result.status in ("ok", "not_article", "empty", "failed", "blocked")
    if result.article is not None:
        assert "\x00" not in (result.article.text or "")
