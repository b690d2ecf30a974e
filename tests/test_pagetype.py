"""Page types (extract/pagetype.py): every fixture page gets the type its site declares, in
extraction (extract_article) and in discovery typing (classify_page); no single signal
refuses an ordinary article; a live blog keeps every update, in order, with its time."""

from __future__ import annotations

import json
import re

import pytest

from extract import extract_article
from extract.article import PAGE_TYPES, STORED_PAGE_TYPES
from extract.classify_page import classify_page
from extract.page import parse_html
from extract.pagetype import classify, read_signals
from extract.encoding import charset_from_content_type, decode_body
from extract.site import SiteProfile
from tests.fixtures.golden import iter_golden_pages, iter_liveblogs, iter_typed_pages

TYPED = list(iter_typed_pages())
GAZZETTINO = SiteProfile(name="gazzettino", url="https://www.gazzettino-sportivo.it/")


def _html(raw: bytes, content_type: str) -> str:
    return decode_body(raw, charset_from_content_type(content_type))[0]


def _profile(site: str, url: str) -> SiteProfile:
    return SiteProfile(name=site, url=re.match(r"https?://[^/]+/", url).group(0))


def test_the_fixtures_declare_every_page_type():
    assert {t for *_, t in TYPED} == set(PAGE_TYPES) - {"blocked"}  # walls: extract/walls.py's tests


@pytest.mark.parametrize("page", TYPED, ids=[f"{p[4]}:{p[1].split('//', 1)[1][:60]}" for p in TYPED])
def test_golden_page_type(page):
    site, url, raw, content_type, want = page
    html = _html(raw, content_type)
    result = extract_article(html, url, _profile(site, url))
    assert result.page_type == want, f"{url}: {result.page_type} ({result.reason})"
    if want in STORED_PAGE_TYPES:
        assert result.status == "ok" and result.article is not None
    else:
        assert result.status == "not_article" and result.article is None and result.reason


@pytest.mark.parametrize("page", [p for p in TYPED if p[4] not in STORED_PAGE_TYPES],
                         ids=[f"{p[4]}:{p[1].split('//', 1)[1][:60]}" for p in TYPED if p[4] not in STORED_PAGE_TYPES])
def test_discovery_typing_agrees(page):
    """Pages the crawl reads only for their links are typed without a body extraction."""
    site, url, raw, content_type, want = page
    result = classify_page(_html(raw, content_type), url, _profile(site, url))
    assert result.page_type == want and result.article is None, f"{url}: {result.page_type} ({result.reason})"


# --- the live blog ----------------------------------------------------------------

LIVEBLOGS = list(iter_liveblogs())


def test_live_blog_keeps_every_update_in_order_with_its_time():
    assert LIVEBLOGS
    for site, lb, raw in LIVEBLOGS:
        result = extract_article(raw.decode("utf-8"), lb["url"], GAZZETTINO)
        assert result.status == "ok" and result.page_type == "liveblog"
        assert result.article.text == lb["text"]
        lines = result.article.text.split("\n\n")
        assert len(lines) == 6 and all(re.match(r"\d\d:\d\d — \S", x) for x in lines)
        assert [x[:5] for x in lines] == sorted(x[:5] for x in lines)  # oldest first
        assert result.article.title == lb["title"] and result.article.published == lb["published"]


def test_live_blog_without_structured_data_is_read_from_its_update_blocks():
    site, lb, raw = LIVEBLOGS[0]
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", raw.decode("utf-8"), flags=re.S)
    assert "LiveBlogPosting" not in html
    result = extract_article(html, lb["url"], GAZZETTINO)
    assert result.page_type == "liveblog" and result.article.text == lb["text"]
    # no machine-readable times either: the clock shown on the page, order still restored
    bare = re.sub(r'<time datetime="[^"]+">', "<time>", html)
    result = extract_article(bare, lb["url"], GAZZETTINO)
    assert result.page_type == "liveblog" and result.article.text == lb["text"]


def test_live_blog_whose_structured_data_lists_only_the_latest_updates():
    site, lb, raw = LIVEBLOGS[0]
    html = raw.decode("utf-8")
    start = html.index('"liveBlogUpdate"')
    cut = html.index("},", html.index("},", html.index("},", start) + 2) + 2) + 1  # keep the 3 newest
    end = html.index("]", start)
    short = html[:cut] + "\n  " + html[end:]
    assert short.count('"BlogPosting"') == 3
    result = extract_article(short, lb["url"], GAZZETTINO)
    assert result.page_type == "liveblog" and result.article.text == lb["text"]


def test_timed_paragraphs_never_lose_the_rest_of_the_body():
    intro = paragraphs(6)
    timed = "".join(f"<p>{m}' {TEAMS[m % 10]} vicino al gol con un tiro dal limite che sfiora il palo.</p>" for m in (12, 27, 44))
    html = _page(f"<article><h1>La cronaca della partita</h1>{intro}<div>{timed}</div></article>",
                 head='<meta property="og:type" content="article">'
                      '<meta property="article:published_time" content="2026-03-01T22:40:00+01:00">')
    result = extract_article(html, "https://www.calcionews.it/2026/03/01/la-cronaca-della-partita/")
    assert result.status == "ok" and result.page_type in ("article", "liveblog")
    for i in range(6):
        assert f"Il giorno {i + 1} è stato dedicato" in result.article.text


def test_a_match_report_with_minutes_is_not_a_live_blog():
    site, url, raw, ct, expected = next(iter_golden_pages(["gazzettino"]))
    result = extract_article(_html(raw, ct), url, GAZZETTINO)
    assert result.page_type == "article" and result.article.text == expected["text"]


# --- no single signal refuses an ordinary article ----------------------------------

ARTICLE = next(p for p in iter_golden_pages(["curvanord"]))


def _article_variant(transform) -> tuple:
    site, url, raw, ct, expected = ARTICLE
    profile = _profile(site, url)
    html, url = transform(_html(raw, ct), url)
    return extract_article(html, url, profile), expected


@pytest.mark.parametrize("path", ["/foto/2017/01/09/x/", "/video/bilancio-del-settore-giovanile/", "/classifica/",
                                  "/live/sassuolo/", "/tag/sassuolo-giovani/", "/chi-siamo/", "/page/2/"])
def test_an_unusual_url_does_not_refuse_an_article(path):
    result, expected = _article_variant(lambda h, u: (h, re.sub(r"^(https?://[^/]+)/.*$", r"\1" + path, u)))
    assert result.status == "ok" and result.page_type == "article", result.reason
    assert result.article.text == expected["text"]


def test_an_undated_article_is_an_article():
    def undated(html, url):
        html = re.sub(r'<script type="application/ld\+json".*?</script>', "", html, flags=re.S)
        html = re.sub(r'<meta[^>]+(published|modified)_time[^>]*>', "", html)
        html = re.sub(r"<time[^>]*>.*?</time>", "", html, flags=re.S)
        return html, "file:///tmp/pagina-salvata.html"
    result, expected = _article_variant(undated)
    assert result.status == "ok" and result.page_type == "article", result.reason
    assert result.article.published is None or result.article.published_source in ("text", "url")


def test_an_embedded_video_or_gallery_does_not_make_an_article_a_video():
    def embedded(html, url):
        ld = json.dumps({"@context": "https://schema.org", "@graph": [
            {"@type": "VideoObject", "name": "Gli highlights", "uploadDate": "2017-01-09"},
            {"@type": "ImageGallery", "name": "Le foto"}]})
        return html.replace("</head>", f'<script type="application/ld+json">{ld}</script></head>'), url
    result, expected = _article_variant(embedded)
    assert result.status == "ok" and result.page_type == "article", result.reason


# --- each type from its signals, on pages of other markup ------------------------------

def _page(body: str, head: str = "", title: str = "Pagina") -> str:
    return (f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><header><nav><a href='/'>Home</a> <a href='/serie-a/'>Serie A</a></nav></header>"
            f"<main>{body}</main><footer><a href='/privacy/'>Privacy</a></footer></body></html>")


PROSE = ("La squadra ha lavorato a lungo sulla fase difensiva durante la settimana, e l'allenatore ha provato "
         "diverse soluzioni in vista della trasferta di domenica, con qualche novità anche in attacco. ")
TEAMS = ["Atalanta", "Bologna", "Cagliari", "Como", "Genoa", "Lazio", "Lecce", "Parma", "Roma", "Torino"]


def paragraphs(n: int) -> str:
    """n different paragraphs of prose (repeated ones would be taken for boilerplate)."""
    return "".join(f"<p>{TEAMS[i % 10]}: {PROSE} Il giorno {i + 1} è stato dedicato ai calci piazzati.</p>"
                   for i in range(n))


def test_soft_404_in_several_wordings_is_an_error():
    for title, text in [("Pagina non trovata", "La pagina che stai cercando non esiste."),
                        ("Page not found | Calcio News", "Sorry, the page you are looking for does not exist."),
                        ("404 - Errore", "Questo contenuto non è più disponibile."),
                        ("Calcio News", "Errore 404: la pagina richiesta non è disponibile.")]:
        html = _page(f"<h1>{title.split('|')[0]}</h1><p>{text}</p><p><a href='/'>Torna alla home</a></p>", title=title)
        result = extract_article(html, "https://www.calcionews.it/2026/03/01/una-notizia-rimossa-dal-sito/")
        assert result.page_type == "error" and result.status == "not_article", (title, result.reason)


def test_a_long_article_about_a_404_is_still_an_article():
    html = _page("<article><h1>Il gol al minuto 404 non esiste: la pagina non trovata del calcio</h1>"
                 + paragraphs(8) + "</article>",
                 head='<meta property="og:type" content="article">'
                      '<meta property="article:published_time" content="2026-03-01T10:00:00+01:00">')
    result = extract_article(html, "https://www.calcionews.it/2026/03/01/curiosita-numeri/")
    assert result.page_type == "article" and result.status == "ok", result.reason


@pytest.mark.parametrize("path, title", [("/chi-siamo/", "Chi siamo"), ("/privacy/", "Informativa sulla privacy"),
                                         ("/cookie-policy/", "Cookie policy"), ("/info/redazione.html", "La redazione")])
def test_static_pages(path, title):
    html = _page(f"<h1>{title}</h1>" + paragraphs(3), title=title)
    result = extract_article(html, "https://www.calcionews.it" + path)
    assert result.page_type == "static", result.reason


def test_about_page_structured_data():
    ld = '<script type="application/ld+json">{"@type":"AboutPage","name":"Il nostro giornale"}</script>'
    html = _page("<h1>Il nostro giornale</h1>" + paragraphs(3), head=ld)
    assert extract_article(html, "https://www.calcionews.it/il-giornale/").page_type == "static"


def test_gallery_from_shape_and_url_without_structured_data():
    figs = "".join(f'<figure><img src="/f/{i}.jpg"><figcaption>Foto {i}: l\'esultanza dei giocatori dopo il gol '
                   f"della vittoria nel derby.</figcaption></figure>" for i in range(10))
    html = _page(f"<h1>Derby, le foto</h1>{figs}", head='<meta property="og:type" content="article">')
    result = extract_article(html, "https://www.calcionews.it/fotogallery/derby-le-foto-della-vittoria-2026/")
    assert result.page_type == "gallery", result.reason


def test_video_from_og_type_and_player():
    html = _page('<h1>Il gol del derby</h1><div class="video-player"><video src="/v.mp4"></video></div>'
                 "<p>Il gol del derby rivisto da tutte le angolazioni.</p>",
                 head='<meta property="og:type" content="video.other">')
    result = extract_article(html, "https://www.calcionews.it/2026/03/01/il-gol-del-derby-rivisto/")
    assert result.page_type == "video", result.reason


def test_standings_and_fixtures_tables_are_data_but_an_article_with_a_table_is_an_article():
    rows = "".join(f"<tr><td>{i}</td><td>Squadra {i}</td><td>{60 - i}</td><td>29</td></tr>" for i in range(1, 21))
    table = f"<table><tr><th>Pos</th><th>Squadra</th><th>Pt</th><th>G</th></tr>{rows}</table>"
    html = _page(f"<h1>Serie A 2025/26</h1><p>Aggiornata alla 29ª giornata.</p>{table}")
    assert extract_article(html, "https://www.calcionews.it/serie-a-2025-26-la-situazione/").page_type == "data"
    article = _page("<article><h1>Il punto sul campionato</h1>" + paragraphs(10)
                    + table + "</article>",
                    head='<meta property="og:type" content="article">'
                         '<meta property="article:published_time" content="2026-03-01T10:00:00+01:00">')
    result = extract_article(article, "https://www.calcionews.it/2026/03/01/il-punto-sul-campionato/")
    assert result.page_type == "article", result.reason


def test_listing_of_teasers_and_next_page():
    cards = "".join(f'<article><h2><a href="/2026/03/0{i % 9 + 1}/notizia-{i}/">Notizia numero {i} del giorno '
                    f"in Serie A</a></h2><p>Breve sommario della notizia {i}.</p></article>" for i in range(12))
    html = _page(f"<h1>Serie A</h1>{cards}")
    for url in ("https://www.calcionews.it/serie-a/", "https://www.calcionews.it/serie-a/page/2/"):
        result = extract_article(html, url)
        assert result.page_type == "listing" and result.status == "not_article", result.reason


def test_blocked_is_left_to_the_wall_detector():
    """The classifier never says "blocked"; the wall detector does, for a page that would be an
    article (or a short static/error page) without the wall."""
    html = _page("<h1>Abbonati per continuare a leggere</h1><p>Sei già abbonato? Accedi.</p>")
    signals = read_signals(parse_html(html), "https://www.calcionews.it/2026/03/01/articolo-riservato-agli-abbonati/",
                           [], None, None, ())
    assert classify(signals, 60, None).page_type in PAGE_TYPES and classify(signals, 60, None).page_type != "blocked"
    result = extract_article(html, "https://www.calcionews.it/2026/03/01/articolo-riservato-agli-abbonati/")
    assert result.status == "blocked" and result.page_type == "blocked", result.reason


def test_discovery_typing_extracts_an_article_that_a_section_url_hid():
    """The spider reads /classifica-… URLs as discovery pages; one that is an article is extracted."""
    site, url, raw, ct, expected = ARTICLE
    html = _html(raw, ct)
    result = classify_page(html, "https://www.curvanord.it/classifica-marcatori-serie-a/", _profile(site, url))
    assert result.status == "ok" and result.page_type == "article" and result.article.text == expected["text"]
    home = classify_page(html.replace(url, "https://www.curvanord.it/"), "https://www.curvanord.it/", _profile(site, url))
    assert home.page_type == "listing" and home.article is None  # a home page is never stored


def test_microdata_types_count_like_json_ld():
    figs = "".join(f'<figure itemprop="associatedMedia" itemscope itemtype="https://schema.org/ImageObject">'
                   f'<img src="/f/{i}.jpg"><figcaption itemprop="caption">Scatto {i} della festa in piazza dopo la '
                   f"vittoria del campionato.</figcaption></figure>" for i in range(6))
    html = _page(f'<div itemscope itemtype="https://schema.org/ImageGallery"><h1>La festa</h1>{figs}</div>')
    result = extract_article(html, "https://www.calcionews.it/2026/05/20/la-festa-scudetto-in-piazza/")
    assert result.page_type == "gallery", result.reason
    article = _page('<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">La festa</h1>'
                    f'<div itemprop="articleBody">{paragraphs(5)}</div></article>')
    result = extract_article(article, "https://www.calcionews.it/foto/la-festa-scudetto-in-piazza/")
    assert result.page_type == "article" and result.status == "ok", result.reason
