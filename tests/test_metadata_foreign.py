"""Metadata on realistic non-Italian pages (and two Italian layouts): German, French, Spanish and
English newsrooms, a TagDiv "Newspaper"-style WordPress page served in ISO-8859-1.

Each page in tests/pages/metadata/ exercises one or more of the patterns of the real web
(organisation bylines, conjunctions of other languages, month names, two-digit years, zone
abbreviations, the page's own offset, kickers and truncated headlines, topic lists, junk
keywords); expected.json holds what a reader of the page sees.
"""

import json
from pathlib import Path

import pytest

from extract import extract_article
from extract.encoding import decode_body
from extract.site import SiteProfile

PAGES = Path(__file__).parent / "pages" / "metadata"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
FIELDS = ("title", "authors", "publisher", "published", "modified", "section", "tags")


def extract_page(name: str):
    exp = EXPECTED[name]
    text, _ = decode_body((PAGES / name).read_bytes())
    return extract_article(text, exp["url"], SiteProfile.from_dict(exp["site"]))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_foreign_page_metadata(name):
    result = extract_page(name)
    assert result.status == "ok", result.reason
    art, exp = result.article, EXPECTED[name]
    got = {f: getattr(art, f) for f in FIELDS}
    assert got == {f: exp[f] for f in FIELDS}
    assert art.author == (", ".join(exp["authors"]) or None)


def test_every_page_of_the_directory_has_expectations():
    assert sorted(p.name for p in PAGES.glob("*.html")) == sorted(EXPECTED)


def test_latin1_page_decoded_from_its_declared_charset():
    raw = (PAGES / "it_tagdiv_latin1.html").read_bytes()
    assert "sì".encode("iso-8859-1") in raw
    assert extract_page("it_tagdiv_latin1.html").article.title.startswith("Milan, sì al centravanti")


def test_date_sources_name_where_the_date_came_from():
    sources = {name: extract_page(name).article.published_source for name in EXPECTED}
    assert sources["fr_et_meta_variant.html"] == "meta"          # article:published:time
    assert sources["en_hatom_12h.html"] == "time"                # <abbr class="published" title>
    assert sources["de_monatsname_autor.html"] == "text"         # "Samstag, 19. Juli 2014"
    assert sources["en_cdt_keywords_related.html"] == "jsonld"   # not the related teaser's date
    assert extract_page("it_tagdiv_latin1.html").article.modified_source == "text"
