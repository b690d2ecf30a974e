"""Never lose the article: the precision reading is compared with independent readings of the page.

Pages of our own making where the precision reading loses the body (nothing extracted; the
pre-cleaning removed the container that held it) and one where it is right and a longer reading only
adds comments around it.
"""

from __future__ import annotations

import json

from extract import extract_article
from extract.body import _fuller, coverage, read_body
from extract.page import parse_html

PARAS = [
    f"Paragrafo {i} della cronaca: la squadra di casa ha dominato il primo tempo con un pressing alto e due "
    "occasioni nitide, poi nella ripresa il tecnico ha cambiato modulo e gli ospiti hanno trovato spazio sulle "
    "fasce fino al gol decisivo."
    for i in range(8)
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
COMMENTS = "".join(f"<li><span>Utente{i}</span> dice: Bella partita ragazzi, forza! {i}</li>" for i in range(60))
ABOUT = ("<p>La redazione di Calcio Web segue ogni giorno la Serie A, la Serie B e le coppe europee con cronache, "
         "pagelle e approfondimenti firmati dai nostri inviati negli stadi di tutta Italia e in Europa.</p>")
URL = "https://www.calcioweb.example/2026/12/01/cronaca-della-partita"


def _kept(text: str | None) -> int:
    return sum(p in (text or "") for p in PARAS)


def test_a_body_the_cleaning_removed_is_taken_back_from_the_page_as_served():
    # "social-story" reads as a share bar to the pre-cleaning, and the comments make the body less
    # than half of the page: the cleaned page keeps only the about box
    page = (f'<html lang="it"><head><title>Cronaca</title></head><body><div class="social-story">{BODY}</div>'
            f'<div class="box">{ABOUT}</div><div class="discussione"><ul>{COMMENTS}</ul></div></body></html>')
    reading = read_body(parse_html(page), URL)
    assert reading.removed_chars > reading.precision_chars  # the signal that triggered the comparison
    assert reading.chosen == "page"
    assert _kept(reading.text) == len(PARAS)
    assert "Utente" not in reading.text
    # the same through extract_article, which cleans its tree in place and re-reads the source
    article = extract_article(page, URL).article
    assert article is not None and _kept(article.text) == len(PARAS)
    assert article.extraction_confidence is not None and article.extraction_confidence < 1


def test_an_empty_precision_reading_falls_back_to_a_fuller_one():
    page = f'<html lang="it"><body><div class="sharebox-story">{BODY}</div></body></html>'
    reading = read_body(parse_html(page), URL)
    assert _kept(reading.text) == len(PARAS)


def test_the_jsonld_article_body_wins_when_the_page_shows_little_of_it():
    ld = {"@type": "NewsArticle", "headline": "Cronaca", "articleBody": " ".join(PARAS)}
    page = (f'<html lang="it"><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
            f"<body><article><p>{PARAS[0]}</p><div class='paywall'>Contenuto riservato</div></article></body></html>")
    reading = read_body(parse_html(page), URL)
    assert reading.chosen == "jsonld"
    assert _kept(reading.text) == len(PARAS)


def test_a_right_precision_reading_is_kept():
    page = (f'<html lang="it"><body><article><h1>Cronaca</h1>{BODY}</article>'
            f"<section><h2>Commenti</h2><ul>{COMMENTS}</ul></section></body></html>")
    reading = read_body(parse_html(page), URL)
    assert reading.chosen == "precision"
    assert _kept(reading.text) == len(PARAS) and "Utente" not in reading.text


def test_a_longer_reading_that_holds_the_same_body_does_not_win():
    text = "\n\n".join(PARAS)
    with_comments = text + "\n\n" + "\n\n".join(f"Bella partita ragazzi, forza! Commento numero {i}." for i in range(40))
    assert coverage(text, with_comments) >= 0.5
    assert not _fuller(with_comments, text)
    other_story = "\n\n".join(p.replace("Paragrafo", "Capitolo").replace("cronaca", "storia del club") + " Fine."
                              for p in PARAS * 2)
    assert coverage(text, other_story) < 0.5
    assert _fuller(other_story, text)
    assert _fuller(text, "Breve.")  # (almost) nothing: the longer reading


# ---------------------------------------------------------------- refusals that lost ordinary articles


def _article_page(head: str = "", url_body: str = BODY) -> str:
    return f'<html lang="it"><head><title>Cronaca</title>{head}</head><body><article>{url_body}</article></body></html>'


def test_a_non_article_url_alone_does_not_refuse_a_dated_article():
    dated = _article_page('<meta property="article:published_time" content="2026-12-01T20:45:00+01:00">')
    archive_url = "https://www.calcioweb.example/ideas/archive/2020/08/cronaca-della-partita/"
    result = extract_article(dated, archive_url)
    assert result.status == "ok", result.reason
    assert _kept(result.article.text) == len(PARAS)
    # the URL with the shape of a listing (teasers, no date): refused (extract/pagetype.py weighs them)
    teasers = "".join(f'<h2><a href="/2026/12/0{i % 9 + 1}/notizia-{i}/">Notizia {i} della giornata di Serie A</a></h2>'
                      f"<p>Breve sommario {i}.</p>" for i in range(10))
    listing = _article_page(url_body=teasers)
    assert extract_article(listing, "https://www.calcioweb.example/tag/serie-a/").status == "not_article"


def test_a_yoast_webpage_node_dates_the_page():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://www.calcioweb.example/#website", "url": "https://www.calcioweb.example/"},
        {"@type": "WebPage", "@id": URL + "#webpage", "url": URL, "name": "Cronaca",
         "datePublished": "2018-04-18T14:39:09+02:00"},
    ]}
    page = _article_page(f'<meta property="og:type" content="article">'
                         f'<script type="application/ld+json">{json.dumps(graph)}</script>')
    result = extract_article(page, URL)
    assert result.status == "ok", result.reason
    assert result.article.published == "2018-04-18T14:39:09+02:00"
    assert result.article.published_source == "jsonld"


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    page = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">' + _article_page()[len("<html lang=\"it\">"):])
    assert parse_html(page) is not None
    assert _kept(read_body(parse_html(page), URL).text) == len(PARAS)


# --- blocks precision mode drops inside the body ("holes"), and the standfirst

HOLE_URL = "https://www.rossoblu.example/2026/12/01/genoa-torino-1-0"
SOMMARIO = ("Il Genoa batte il Torino al Ferraris: decide un gol di testa nel finale, la squadra di casa sale a metà "
            "classifica e vede la zona europea.")
BOXED = ("La curva nord ha esposto uno striscione per il capitano, applaudito da tutto lo stadio al momento della "
         "sostituzione al settantesimo.")
SUBHEADING = "La svolta nella ripresa"
READ_ALSO = "Leggi anche: il mercato del Genoa, tutti i nomi per gennaio"
CAPTION = "Il gol decisivo di testa nel finale, sotto la curva nord del Ferraris"
TEASERS = [f"Serie A, le probabili formazioni della giornata numero {n} del campionato" for n in range(6)]


def _hole_page(description: str = SOMMARIO) -> str:
    teasers = "".join(f"<p>{t}</p>" for t in TEASERS)  # headlines a script makes clickable
    return (
        f'<html lang="it"><head><title>Genoa-Torino 1-0</title><meta name="description" content="{description}">'
        '</head><body><article><header><h1>Genoa-Torino 1-0, decide un gol nel finale</h1>'
        f'<p class="sommario">{SOMMARIO}</p></header><section>'
        f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
        # a pull-quote box: precision mode drops every element with a border style
        f'<div style="border-left:4px solid #c00;padding-left:1em"><p>{BOXED}</p></div>'
        f"<p>{PARAS[2]}</p>"
        f'<p><a href="/2026/12/01/mercato-genoa">{READ_ALSO}</a></p>'
        # a picture and its caption in a framed box: dropped by precision mode, and no hole
        f'<div style="border:1px solid #ddd"><img src="/img/gol.jpg" alt=""><p>{CAPTION}</p></div>'
        f"<p>{PARAS[3]}</p>"
        # a widget of teasers inside the body, framed: a long run of blocks is no hole
        f'<div style="border-top:2px solid #c00">{teasers}</div>'
        f"<p>{PARAS[4]}</p>"
        # the next section opens with a <header>: precision mode drops every <header>
        f"</section><section><header><h2>{SUBHEADING}</h2></header>"
        f"<p>{PARAS[5]}</p><p>{PARAS[6]}</p><p>{PARAS[7]}</p></section></article></body></html>"
    )


def test_blocks_precision_mode_drops_inside_the_body_are_put_back_in_page_order():
    import trafilatura

    page = _hole_page()
    plain = trafilatura.extract(page, favor_precision=True, fast=True) or ""
    assert BOXED not in plain and SUBHEADING not in plain and CAPTION not in plain  # precision mode drops them
    text = read_body(parse_html(page), HOLE_URL).text
    assert BOXED in text and SUBHEADING in text
    assert text.index(PARAS[1]) < text.index(BOXED) < text.index(PARAS[2])
    assert text.index(PARAS[4]) < text.index(SUBHEADING) < text.index(PARAS[5])
    assert _kept(text) == len(PARAS)
    # what is not the body stays out: the inline link, the caption, the teaser widget
    assert "Leggi anche" not in text and CAPTION not in text
    assert not any(t in text for t in TEASERS)
    # each block once
    assert text.count(PARAS[2]) == 1 and text.count(BOXED) == 1


def test_the_standfirst_joins_the_body_when_the_page_description_is_that_standfirst():
    text = read_body(parse_html(_hole_page()), HOLE_URL).text
    assert text.startswith(SOMMARIO)
    # a description that says something else: the block before the body is not known to be the lead
    other = read_body(parse_html(_hole_page("Tutte le notizie sul Genoa: risultati, classifica e calciomercato.")),
                      HOLE_URL).text
    assert SOMMARIO not in other and _kept(other) == len(PARAS)


def test_holes_are_filled_in_the_whole_extraction_too():
    article = extract_article(_hole_page(), HOLE_URL).article
    assert article is not None
    assert BOXED in article.text and SUBHEADING in article.text and CAPTION not in article.text
    assert article.description == SOMMARIO


def test_a_precision_reading_of_nothing_but_table_rows_gives_way_to_the_prose():
    # a booking calendar in the main column; the text sits in framed boxes precision mode drops
    rows = "".join("<tr>" + "".join(f"<td>{d}</td>" for d in range(w * 7 + 1, w * 7 + 8)) + "</tr>"
                   for w in range(5))
    calendar = "".join(f"<table><caption>Mese {m}</caption>{rows}</table>" for m in range(12))
    boxes = "".join(f'<div style="border:1px solid #ccc"><p>{p}</p></div>' for p in PARAS)
    page = (f'<html lang="it"><head><title>Stadio, visite guidate</title></head><body><main>{calendar}</main>'
            f"<div>{boxes}</div></body></html>")
    reading = read_body(parse_html(page), "https://www.stadio.example/visite-guidate")
    assert reading.precision_chars > 250 and reading.chosen != "precision"
    assert _kept(reading.text) >= len(PARAS) // 2


def test_the_standfirst_is_found_past_a_byline_and_a_caption():
    page = _hole_page().replace(
        "</header><section>",
        '<p class="byline">Di Marco Bianchi</p></header>'
        '<figure><img src="/img/ferraris.jpg" alt=""><figcaption>Il Ferraris pieno (foto LaPresse)</figcaption></figure>'
        "<section>", 1)
    text = read_body(parse_html(page), HOLE_URL).text
    assert text.startswith(SOMMARIO) and "Marco Bianchi" not in text.split("\n\n")[0]


# --- a thread: posts in their own wrappers, the posters' menus between them

_WORDS = ["difesa", "centrocampo", "attacco", "portiere", "allenatore", "arbitro", "tifosi", "mercato",
          "panchina", "modulo", "pressing", "contropiede", "rigore", "fuorigioco", "traversa", "recupero"]
POST_LINES = [[f"{_WORDS[(2 * n + i) % 16].capitalize()} e {_WORDS[(5 * n + 3 * i + 1) % 16]}: il messaggio {n}.{i} dice "
               f"che {_WORDS[(7 * n + i + 2) % 16]} conta più di {_WORDS[(3 * n + 5 * i + 4) % 16]} per il Genoa di quest'anno."
               for i in range(2)] for n in range(1, 9)]


def _thread_page(quoting=(4, 6)) -> str:
    def post(n):
        quote = ""
        if n in quoting:  # a quote of the previous post, with a link to it: precision mode drops the whole post
            quote = (f'<div class="bbcode_quote"><div class="postedby">Citazione di <strong>Utente{n - 1}</strong> '
                     f'<a href="/forum/thread-1-post{n - 1}.html"><img src="/img/viewpost.png" alt="Vedi"></a></div>'
                     '<div class="message">Che partita ieri sera al Ferraris, non me lo aspettavo proprio</div></div>')
        menu = "".join(f'<li class="left"><a href="/members/{n}">{x}</a></li>' for x in ("Profilo", "Messaggi", "Messaggio privato"))
        return (f'<li class="postcontainer"><div class="userinfo"><ul class="popupbody">{menu}</ul>'
                f'<dl class="userstats"><dd>03.03.2026, 14:{n:02d}</dd><dd>#{n}</dd></dl></div>'
                f'<div id="post_message_{n}"><blockquote class="postcontent">{quote}'
                + "<br>\n".join(POST_LINES[n - 1]) + "</blockquote></div></li>")
    posts = "".join(post(n) for n in range(1, 9))
    return (f'<html lang="it"><head><title>Genoa-Torino, i commenti</title></head><body>'
            f'<h1>Genoa-Torino, i commenti</h1><ol id="posts">{posts}</ol></body></html>')


def test_the_posts_of_a_thread_that_precision_mode_drops_are_put_back():
    import trafilatura

    page = _thread_page()
    plain = trafilatura.extract(page, favor_precision=True, fast=True) or ""
    assert POST_LINES[3][0] not in plain and POST_LINES[2][0] in plain  # the quoting posts are gone
    text = read_body(parse_html(page), "https://forum.rossoblu.example/thread-1.html").text
    assert all(line in text for lines in POST_LINES for line in lines)
    assert text.index(POST_LINES[2][1]) < text.index(POST_LINES[3][0]) < text.index(POST_LINES[4][0])
    assert "Messaggio privato" not in text  # the posters' menus between the posts stay out
