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


# --- the patterns of issue 11, one general rule each -------------------------------------

BODY = "<p>" + "Testo dell'articolo sulla partita di ieri sera. " * 12 + "</p>"


def test_sidebar_classed_wrapper_holding_the_headline_is_not_noise():
    p = page(f'<div id="sidebar" class="col"><article><h1>Il derby della Madonnina</h1>'
             f'<time datetime="2026-03-01T21:10:00+01:00">1 marzo</time>{BODY}</article></div>'
             '<div class="has-sidebar"><div class="related"><time datetime="2026-02-01T10:00:00+01:00">x</time></div></div>')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "time")
    # a real sidebar (not holding the headline) is still noise
    p = page('<h1>Il derby della Madonnina</h1><div id="sidebar"><time datetime="2026-02-01T10:00:00+01:00">x</time></div>')
    assert md.published(p)[1] != "time"


def test_time_classed_published_and_updated_is_the_publication_date():
    p = page('<h1>Il derby della Madonnina</h1><time class="updated" datetime="2026-03-02T09:00:00+01:00">x</time>'
             '<time class="entry-date published updated" datetime="2026-03-01T21:10:00+01:00">y</time>')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "time")
    assert md.modified(p, "2026-03-01T21:10:00+01:00") == ("2026-03-02T09:00:00+01:00", "time")


def test_jsonld_teaser_of_another_page_does_not_give_the_date():
    p = page('<script type="application/ld+json">[{"@type":"NewsArticle","headline":"Altro","url":"https://www.curvanord.it/altro/",'
             '"datePublished":"2026-01-01T10:00:00+01:00"},{"@type":"NewsArticle","headline":"Derby",'
             '"datePublished":"2026-03-01T21:10:00+01:00"}]</script>')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "jsonld")
    p = page('<script type="application/ld+json">{"@graph":[{"@type":"WebPage","url":"' + URL + '",'
             '"datePublished":"2026-03-01T21:10:00+01:00"},{"@type":"NewsArticle","headline":"Derby"}]}</script>')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "jsonld")


def test_utc_structured_date_written_in_the_pages_own_offset():
    p = page('<meta property="article:published_time" content="2026-03-01T20:10:00+00:00">'
             '<time class="entry-date published" datetime="2026-03-01T21:10:00+01:00">1 marzo</time>')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "meta")
    p = page('<meta property="article:published_time" content="2026-01-29T16:28:00+00:00">')
    assert md.published(p) == ("2026-01-29T16:28:00+00:00", "meta")  # no local form given: kept


def test_meta_name_variants_and_htmldate_fallback():
    p = page('<meta name="article:published:time" content="2026-03-01T21:10:00+01:00">')
    assert md.published(p) == ("2026-03-01T21:10:00+01:00", "meta")
    p = page(f'<html><head><meta name="pdate" content="20260301"></head><body><h1>Il derby della Madonnina</h1>{BODY}</body></html>',
             url="https://www.curvanord.it/derby/")
    assert md.published(p) == ("2026-03-01", "htmldate")


def test_visible_update_line_is_modified_not_published():
    p = page('<h1>Il derby della Madonnina</h1><div class="article-date">Pubblicato il 1 marzo 2026 alle 10:00 · '
             'Aggiornato alle 18:05 del 2 marzo 2026</div>')
    pub = md.published(p)
    assert pub == ("2026-03-01T10:00:00+01:00", "text")
    assert md.modified(p, pub[0]) == ("2026-03-02T18:05:00+01:00", "text")
    p = page('<h1>Derby</h1><p>Updated: March 3, 2026 3:48 PM</p>')
    assert md.modified(p, None) == ("2026-03-03T15:48:00+01:00", "text")


@pytest.mark.parametrize(
    "author_value, authors, publisher",
    [
        ('"STERN.de"', [], "STERN.de"),
        ('{"@type":"Person","name":"Deutsche Welle (www.dw.com)"}', [], "Deutsche Welle (www.dw.com)"),
        ('[{"@type":"Person","name":"Anna Weber"},{"@type":"Organization","name":"Rheinblatt"}]', ["Anna Weber"], "Rheinblatt"),
        ('"Curva Nord"', [], "Curva Nord"),  # the site's own name
        ('"Kari Nordmann og Ola Hansen"', ["Kari Nordmann", "Ola Hansen"], None),
        ('"Lucía Martín y Javier Ortega"', ["Lucía Martín", "Javier Ortega"], None),
        ('"Claire Dubois et Marc Lefèvre"', ["Claire Dubois", "Marc Lefèvre"], None),
        ('"Von Anna Weber und Jonas Klein (obe)"', ["Anna Weber", "Jonas Klein"], None),
        ('"Anna Weber (dpa)"', ["Anna Weber"], "dpa"),
        ('"Autor: Thomas Berger"', ["Thomas Berger"], None),
        ('"dalla nostra inviata Sara Conti"', ["Sara Conti"], None),
        ('"Por EFE"', [], "EFE"),
    ],
)
def test_bylines_split_into_people_and_publisher(author_value, authors, publisher):
    p = page(f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"x","author":{author_value}}}</script>')
    assert md.byline(p) == (authors, publisher)


def test_adjacent_author_links_and_authorname_spans():
    p = page('<h1>Il derby della Madonnina</h1><div class="byline"><a href="/author/a/">Luca Bianchi</a><a href="/author/b/">Paolo Neri</a></div>')
    assert md.byline(p)[0] == ["Luca Bianchi", "Paolo Neri"]
    p = page('<h1>Il derby della Madonnina</h1><p class="dateline">MILANO — <span class="authorname">Sara Conti</span>, '
             '<span class="authorname">Luca Bianchi</span> | 1 marzo 2026</p>')
    assert md.byline(p)[0] == ["Sara Conti", "Luca Bianchi"]


@pytest.mark.parametrize(
    "headline, h1, expected",
    [
        ("Derby, le pagelle del Milan - Curvanord.it", None, "Derby, le pagelle del Milan"),
        ("Derby, le pagelle del Milan | Sport", None, "Derby, le pagelle del Milan"),  # the section
        ("Mercato: «Il Milan chiude per il centravanti»", "Il Milan chiude per il centravanti", "Il Milan chiude per il centravanti"),
        ("Il Milan chiude per il centravanti dopo…", "Il Milan chiude per il centravanti dopo tre settimane", "Il Milan chiude per il centravanti dopo tre settimane"),
        ("Il Milan chiude per il centravanti", "Milan", "Il Milan chiude per il centravanti"),
        ("Pioli: «Scudetto? Pensiamo partita dopo partita»", "Pensiamo partita dopo partita", "Pioli: «Scudetto? Pensiamo partita dopo partita»"),
    ],
)
def test_headline_without_site_name_kicker_or_cut(headline, h1, expected):
    h1_html = f"<h1>{h1}</h1>" if h1 else ""
    p = page(f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{headline.replace(chr(34), chr(92) + chr(34))}",'
             f'"articleSection":"Sport"}}</script>{h1_html}')
    assert md.title(p) == expected


def test_keyword_metas_topic_lists_and_junk_tags():
    p = page('<meta name="news_keywords" content="Inter, Milan, derby"><meta name="keywords" content="calcio">')
    assert md.tags(p) == ["Inter", "Milan", "derby"]
    p = page('<h1>Il derby della Madonnina</h1><div class="box"><h4>Argomenti</h4><ul><li><a href="/milan/">Milan</a></li>'
             '<li><a href="/inter/">Inter</a></li></ul></div>')
    assert md.tags(p) == ["Milan", "Inter"]
    p = page('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x","keywords":'
             '"Inter, 0b6f2c1e-8d9a-4f3b-a2c1-9e8d7f6a5b4c, Category: Economy, NLP Entity Tokens: inter milan, curvanord.it, Curva Nord, Milan"}</script>')
    assert md.tags(p) == ["Inter", "Milan"]
    p = page('<div class="tags"><a href="/tag/inter/">Inter</a><a href="https://ads.example.net/c?x=1" rel="sponsored">Scommetti ora</a></div>')
    assert md.tags(p) == ["Inter"]


def test_category_and_tag_links_of_a_theme_without_structured_data():
    p = page('<header><nav><a href="/category/serie-b/">Serie B</a></nav></header>'
             '<article><header><a href="/category/mercato/">Mercato</a><h1>Il Milan chiude per il centravanti</h1></header>'
             f'{BODY}<footer><a href="/tag/milan/">Milan</a> <a href="/tag/calciomercato/">calciomercato</a></footer></article>'
             '<aside><a href="/tag/inter/">Inter</a></aside>')
    assert md.section(p) == "Mercato"
    assert md.tags(p) == ["Milan", "calciomercato"]


def test_personal_blog_author_named_like_the_site_stays_an_author():
    site = SiteProfile(name="helge", url="https://www.helge.at/")
    html = ('<meta property="og:site_name" content="Helge Fahrnberger"><script type="application/ld+json">'
            '{"@type":"BlogPosting","headline":"x","author":{"@type":"Person","name":"Helge Fahrnberger"}}</script>')
    p = md.PageData(lxml_html.document_fromstring(html), "https://www.helge.at/2014/03/x/", site)
    assert md.byline(p) == (["Helge Fahrnberger"], "Helge Fahrnberger")
    p = page('<h1>Il derby della Madonnina</h1><span class="byline"><span class="screen-reader-text">Post author</span> '
             'By <a href="/author/karstenruppert/" rel="author">karstenruppert</a></span>')
    assert md.byline(p)[0] == ["karstenruppert"]


def test_site_name_in_h1_is_not_the_headline_and_unquoted_kicker_stays():
    p = page('<meta property="og:site_name" content="Nur mein Standpunkt"><meta property="og:title" content="Blogposting vom Januar">'
             '<h1><a href="/">Nur mein Standpunkt</a></h1><h2>Blogposting vom Januar</h2>')
    assert md.title(p) == "Blogposting vom Januar"
    p = page('<script type="application/ld+json">{"@type":"NewsArticle","headline":"Nutzerbasierte Abrechnung: Musik-Stars fordern neues Modell"}'
             '</script><h1>Musik-Stars fordern neues Modell</h1>')
    assert md.title(p) == "Nutzerbasierte Abrechnung: Musik-Stars fordern neues Modell"


def test_date_labels_links_and_arrows_are_not_names():
    from extract.authors import split_names

    assert split_names("Posted on", loose=True) == []
    assert split_names("Publiziert am", loose=True) == []
    assert split_names("Michael Veeser-Dombrowski →", loose=True) == ["Michael Veeser-Dombrowski"]
    assert split_names("Frank Bueltge - http://bueltge.de", loose=True) == ["Frank Bueltge"]


def test_plain_keywords_only_on_pages_that_say_they_are_articles():
    assert md.tags(page('<meta name="keywords" content="calcio, notizie, risultati">')) == []
    p = page('<meta property="og:type" content="article"><meta name="keywords" content="Inter, Milan">')
    assert md.tags(p) == ["Inter", "Milan"]
    many = ", ".join(f"parola{i}" for i in range(30))
    assert md.tags(page(f'<meta property="og:type" content="article"><meta name="keywords" content="{many}">')) == []
