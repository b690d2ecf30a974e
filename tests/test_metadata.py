"""Metadata readers on small realistic pages: JSON-LD quirks, bylines, sections, tags."""

import pytest
from lxml import html as lxml_html

from extract import jsonld
from extract import metadata as md
from extract.site import SiteProfile

SITE = SiteProfile(name="curvanord", url="https://www.curvanord.it/")
URL = "https://www.curvanord.it/2026/03/01/derby-della-madonnina-pagelle/"


def page(html: str, url: str = URL) -> md.PageData:
    return md.PageData(lxml_html.document_fromstring(html), url, SITE)


def test_jsonld_with_comments_trailing_commas_and_graph():
    p = page(
        """<html><head><script type="application/ld+json">
        <!-- seo plugin -->
        {"@context":"https://schema.org","@graph":[
          {"@type":"WebPage","@id":"https://www.curvanord.it/2026/03/01/derby-della-madonnina-pagelle/#webpage"},
          {"@type":"Person","@id":"#p1","name":"Mario Rossi"},
          {"@type":"NewsArticle","headline":"Altro articolo","url":"https://www.curvanord.it/altro/"},
          {"@type":["Article","NewsArticle"],"headline":"Derby, le pagelle",
           "mainEntityOfPage":{"@id":"https://www.curvanord.it/2026/03/01/derby-della-madonnina-pagelle/"},
           "author":{"@id":"#p1"},"datePublished":"2026-03-01T21:10:00+01:00","articleSection":["Serie A"],},
        ]}</script></head><body></body></html>"""
    )
    assert p.article["headline"] == "Derby, le pagelle"
    assert md.author(p) == "Mario Rossi"
    assert md.section(p) == "Serie A"
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "jsonld")


def test_invalid_jsonld_counted_and_page_still_read():
    p = page('<html><head><script type="application/ld+json">{"@type": "NewsArticle", oops</script>'
             '<meta property="og:title" content="Titolo dal meta"></head><body><h1>Titolo dal meta</h1></body></html>')
    assert p.jsonld_invalid == 1
    assert md.title(p) == "Titolo dal meta"


@pytest.mark.parametrize(
    "author_value, expected",
    [
        ('"Di Luca Bianchi"', "Luca Bianchi"),
        ('[{"@type":"Person","name":"Luca Bianchi"},{"@type":"Person","name":"Paolo Neri"}]', "Luca Bianchi, Paolo Neri"),
        ('{"@type":"Person","name":"By John Smith"}', "John Smith"),
        ('"a cura di Gianluca Di Marzio"', "Gianluca Di Marzio"),
        ('["Luca Bianchi e Paolo Neri"]', "Luca Bianchi, Paolo Neri"),
        ('"a cura della redazione"', "Redazione"),
        ('["Redazione", "Sara Conti"]', "Sara Conti"),
        ('"Redazione Sport"', "Redazione Sport"),
    ],
)
def test_jsonld_authors_of_every_shape(author_value, expected):
    p = page(f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"x","author":{author_value}}}</script>')
    assert md.author(p) == expected


def test_visible_byline_without_markup_classes():
    p = page("<table><tr><td><h1>Il mercato della Juventus</h1><font size=2>di Giuseppe Verdi</font>"
             "<p>Di più in Calciomercato</p></td></tr></table>")
    assert md.author(p) == "Giuseppe Verdi"


def test_byline_class_with_di_prefix_and_date():
    p = page('<div class="post-author">Di <a href="/author/mario/">Mario Rossi</a> | 14 marzo 2017</div>')
    assert md.author(p) == "Mario Rossi"


def test_visible_italian_date_when_nothing_else():
    p = page('<div class="data">Martedì 14 marzo 2017 - ore 20:45</div>', url="http://www.pv.it/notizie.php?id=1")
    assert md.published(p) == ("2017-03-14T20:45:00+01:00", "text")


def test_modified_before_published_is_dropped():
    p = page('<meta property="article:published_time" content="2026-03-01T10:00:00+01:00">'
             '<meta property="article:modified_time" content="2025-03-01T10:00:00+01:00">')
    pub, _ = md.published(p)
    assert md.modified(p, pub) == (None, None)


def test_breadcrumb_section_and_tag_links_not_category_links():
    p = page('<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/sezione.php?s=mercato">Calciomercato</a></div>'
             '<a rel="category tag" href="/category/mercato/">Mercato</a>'
             '<div class="tags">Tag: <a href="/tag.php?t=juventus">Juventus</a>, <a href="/tag.php?t=vlahovic">Vlahovic</a></div>'
             '<aside class="widget"><a href="/tag/inter/">Inter</a></aside>')
    assert md.section(p) == "Calciomercato"
    assert md.tags(p) == ["Juventus", "Vlahovic"]


def test_keywords_string_becomes_tags():
    p = page('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","keywords":"Inter, Milan, derby, inter"}</script>')
    assert md.tags(p) == ["Inter", "Milan", "derby"]


def test_cms_ids_and_numbers_are_not_tags():
    p = page('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x",'
             '"keywords":["@post-id:1913719","tc","2026","Serie A","section:sport"]}</script>')
    assert md.tags(p) == ["tc", "Serie A"]


def test_canonical_on_other_site_ignored():
    p = page('<link rel="canonical" href="https://aggregator.example.com/copy/1">')
    assert md.canonical_url(p) == URL
    p = page('<link rel="canonical" href="/2026/03/01/derby-della-madonnina-pagelle/">', url=URL + "amp/")
    assert md.canonical_url(p) == URL


def test_language_from_html_lang_and_guess():
    assert md.language(page('<html lang="it-IT"><body></body></html>'), None) == "it"
    text = "Il mister ha detto che la squadra non è ancora pronta per la sfida con la Roma, ma che i giocatori sono carichi e che per il derby anche i tifosi della curva saranno decisivi per il risultato della gara."
    assert md.language(page("<html><body></body></html>"), text) == "it"


def test_paywall_flag():
    p = page('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","isAccessibleForFree":"False"}</script>')
    assert md.paywalled(p)
    assert jsonld.types_of({"@type": ["Article", "NewsArticle"]}) == {"article", "newsarticle"}


def test_long_undated_webpage_is_not_an_article():
    """An undated page that its structured data calls a plain WebPage is an "about us" page when
    its title and URL say so too; the WebPage and the missing date alone refuse no article
    (many real articles look so: see tests/test_pagetype.py)."""
    from extract import extract_article

    text = "".join(f"<p>La nostra redazione racconta il calcio dal 2005, paragrafo {i}, con passione e rigore.</p>" for i in range(30))
    page = ('<html lang="it"><head><meta property="og:type" content="article">'
            '<script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"La redazione"}]}</script></head>'
            f"<body><article><h1>Chi siamo: la storia della nostra redazione sportiva</h1>{text}</article></body></html>")
    url = "https://www.curvanord.it/chi-siamo/"
    result = extract_article(page, url)
    assert result.status == "not_article" and result.page_type == "static" and "WebPage" in result.reason
    dated = page.replace('"name":"La redazione"', '"name":"La redazione","datePublished":"2026-01-01T10:00:00+01:00"')
    dated = dated.replace("<head>", '<head><meta property="article:published_time" content="2026-01-01T10:00:00+01:00">')
    assert extract_article(dated, url).status == "ok"
    plain = page.replace('<script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"La redazione"}]}</script>', "")
    assert extract_article(plain.replace("Chi siamo: ", ""), url.replace("chi-siamo", "la-storia-della-redazione")).status == "ok"
    assert extract_article(page.replace("Chi siamo: ", ""), url.replace("chi-siamo", "la-storia-della-redazione")).status == "ok"
