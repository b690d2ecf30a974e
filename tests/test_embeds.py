"""Embedded posts, paywall and promo boxes, players and photo credits never reach the text.

Three pages of different markup (a WordPress theme with Gutenberg embed blocks, a newspaper CMS
with meaningless class names and flattened embed fallbacks, an English site), each with every
paragraph of its article that must be kept, in order, and the pieces of noise that must be lost.
The article paragraphs talk about Twitter, subscriptions, apps and prices on purpose: the rules
must tell an article sentence from a promo by its shape, not by a word.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from extract import extract_article
from extract.body import extract_body
from extract.boilerplate import matching_rule
from extract.embeds import find_embeds, find_promo_boxes

WORDPRESS_IT = """<!DOCTYPE html>
<html lang="it-IT"><head><meta charset="utf-8">
<title>Lautaro rinnova con l'Inter fino al 2029 - Curva Web</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-12-01T18:30:00+01:00">
</head><body class="single single-post">
<main id="main"><article class="post type-post">
<h1 class="entry-title">Lautaro rinnova con l'Inter fino al 2029</h1>
<div class="entry-content">
<div class="article-audio-player"><button>Ascolta l'articolo</button><span>3 min</span></div>
<p>L'Inter ha annunciato su Twitter il rinnovo del contratto di Lautaro Martinez, che resterà a Milano fino al 2029 con un ingaggio da otto milioni di euro a stagione più bonus legati ai trofei.</p>
<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper">
<blockquote class="twitter-tweet" data-width="550"><p lang="it" dir="ltr">Il Toro resta a casa 🐂🖤💙 <a href="https://t.co/abc">pic.twitter.com/Zx81kQ2pLm</a></p>&mdash; Inter (@Inter) <a href="https://twitter.com/Inter/status/1862876543210987654">December 1, 2026</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
</div></figure>
<p>Il capitano nerazzurro ha firmato nella sede di viale della Liberazione alla presenza dell'amministratore delegato Marotta e del suo agente, dopo una trattativa durata quasi tre mesi tra incontri e rilanci.</p>
<figure class="wp-block-image"><img src="/lautaro.jpg" alt=""><figcaption>Foto: LaPresse</figcaption></figure>
<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/DAbc123xyz/" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/DAbc123xyz/" target="_blank">Visualizza questo post su Instagram</a></div><p><a href="https://www.instagram.com/p/DAbc123xyz/">Un post condiviso da Lautaro Martinez (@lautaro)</a></p></blockquote>
<p>Gli abbonati della Curva Nord hanno accolto la notizia con uno striscione durante l'allenamento a porte aperte di ieri, mentre il club prepara la sfida di campionato contro la Lazio di domenica sera.</p>
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper"><iframe title="Lautaro firma" width="640" height="360" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" allowfullscreen></iframe></div></figure>
<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@inter/video/7312345678901234567" data-video-id="7312345678901234567"><section><a target="_blank" href="https://www.tiktok.com/@inter">@inter</a> La firma del Toro ♬ suono originale - Inter</section></blockquote>
<p>Secondo i dati del club, la campagna abbonamenti di quest'anno ha superato quota quarantamila tessere, il record dell'era Zhang: un segnale che la società intende sfruttare anche nelle trattative commerciali.</p>
<div class="box-whatsapp"><p><strong>Entra nel canale WhatsApp di Curva Web</strong></p><p>Tutte le notizie nerazzurre sul tuo telefono: <a href="https://whatsapp.com/channel/abc">unisciti al canale WhatsApp</a></p></div>
</div></article></main>
<footer><p>© 2026 Curva Web</p></footer>
</body></html>"""

WORDPRESS_IT_KEEP = [
    "L'Inter ha annunciato su Twitter il rinnovo del contratto di Lautaro Martinez",
    "Il capitano nerazzurro ha firmato nella sede di viale della Liberazione",
    "Gli abbonati della Curva Nord hanno accolto la notizia con uno striscione",
    "la campagna abbonamenti di quest'anno ha superato quota quarantamila tessere",
]
WORDPRESS_IT_LOSE = [
    "pic.twitter.com", "(@Inter)", "Il Toro resta a casa", "Visualizza questo post", "Un post condiviso",
    "♬", "@inter", "Foto: LaPresse", "Ascolta l'articolo", "canale WhatsApp", "Tutte le notizie nerazzurre",
]

NEWSPAPER_IT = """<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8">
<title>Inter-Milan, la notte del derby | Il Quotidiano</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-12-02T09:00:00+01:00">
</head><body>
<div class="a1"><div class="k9 z2">
<h1 class="t7">Inter-Milan, la notte del derby</h1>
<div class="q3">
<p class="p0">Il derby della Madonnina si è deciso nei minuti di recupero, quando un colpo di testa di Thuram ha superato Maignan sul secondo palo e ha fatto esplodere San Siro dopo una partita bloccata per oltre un'ora.</p>
<p class="p0">Forza ragazzi, che notte! <a href="https://t.co/xyz">pic.twitter.com/Qw12Er34Ty</a></p>
<p class="p0">— Inter (@Inter) December 1, 2026</p>
<div class="fb-post" data-href="https://www.facebook.com/acmilan/posts/1234567890" data-width="500"><blockquote cite="https://www.facebook.com/acmilan/posts/1234567890" class="fb-xfbml-parse-ignore"><p>Testa al prossimo impegno. Sempre con voi.</p>Pubblicato da <a href="https://www.facebook.com/acmilan">AC Milan</a> su <a href="https://www.facebook.com/acmilan/posts/1234567890">Martedì 1 dicembre 2026</a></blockquote></div>
<p class="p0">Il tecnico rossonero ha parlato di una sconfitta immeritata, ricordando le due occasioni di Leao nel primo tempo e il palo colpito da Pulisic a metà ripresa, prima del gol che ha deciso la sfida.</p>
<p class="p1"><img src="/thuram.jpg" alt=""><br>© Getty Images</p>
<div class="r5"><div class="r6"><span>Guarda la Serie A su DAZN</span></div><p>Attiva DAZN a 9,99 € al mese, disdici quando vuoi</p><a class="b2" href="/dazn">Scopri l'offerta</a></div>
<p class="p0">Con questo risultato l'Inter sale a quota trentacinque punti e allunga in classifica, mentre il Milan resta a meno otto dalla vetta e dovrà ritrovare continuità già dalla prossima trasferta a Bergamo.</p>
<div class="w8"><p class="w9">Abbonati per continuare a leggere</p><p>Tutti gli articoli, le analisi e i podcast del Quotidiano</p><p class="w10">1 € al mese per 3 mesi</p><p>Sei già abbonato? <a href="/login">Accedi</a></p></div>
<div class="x4"><a class="x5" href="#">Continua a leggere</a></div>
<div class="m3"><p>Scarica l'app del Quotidiano</p><p><a href="https://apps.apple.com/it/app/id1">App Store</a> <a href="https://play.google.com/store/apps/details?id=it.q">Google Play</a></p></div>
</div></div></div>
</body></html>"""

NEWSPAPER_IT_KEEP = [
    "Il derby della Madonnina si è deciso nei minuti di recupero",
    "Il tecnico rossonero ha parlato di una sconfitta immeritata",
    "Con questo risultato l'Inter sale a quota trentacinque punti",
]
NEWSPAPER_IT_LOSE = [
    "pic.twitter.com", "(@Inter)", "Forza ragazzi", "Pubblicato da", "Testa al prossimo impegno", "Getty Images",
    "DAZN", "9,99", "Abbonati", "1 € al mese", "già abbonato", "Accedi", "Continua a leggere", "Scarica l'app",
    "App Store", "Google Play", "Tutti gli articoli, le analisi",
]

ENGLISH = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Chelsea sign teenage striker from Santos | Football Daily</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-12-02T12:00:00+00:00">
</head><body>
<div id="page"><section class="story">
<h1>Chelsea sign teenage striker from Santos</h1>
<div class="story-tools"><p>Listen to this article</p><p>0:00 / 4:12</p></div>
<div class="story-body">
<p>Chelsea have completed the signing of the Santos striker for a fee that could rise to forty million pounds, the club confirmed on Tuesday evening after the player passed his medical in London.</p>
<div class="social-embed"><blockquote class="instagram-media"><a href="https://www.instagram.com/reel/C1xYz/">View this post on Instagram</a><p>A post shared by Chelsea FC (@chelseafc)</p></blockquote></div>
<p>The eighteen-year-old scored fourteen goals in the Brazilian league this season, and the club's subscribers to its streaming service will be able to watch his first interview in full on Wednesday.</p>
<figure><img src="/striker.jpg" alt=""><figcaption>Photo by John Smith/Getty Images</figcaption></figure>
<aside class="c-22"><p>Subscribe to continue reading</p><p>Unlimited access for $1 a week</p><p>Cancel anytime. Already a subscriber? <a href="/signin">Sign in</a></p></aside>
<p>He will join the first-team squad in January, when the transfer window opens, and is expected to be loaned back to Santos for the remainder of the Brazilian season before moving to England.</p>
<div class="c-31"><p>Join our Telegram channel for transfer news</p><p>Follow us on WhatsApp too</p></div>
</div></section></div>
</body></html>"""

ENGLISH_KEEP = [
    "Chelsea have completed the signing of the Santos striker",
    "The eighteen-year-old scored fourteen goals in the Brazilian league",
    "He will join the first-team squad in January",
]
ENGLISH_LOSE = [
    "Listen to this article", "0:00", "View this post", "A post shared by", "Photo by", "Getty Images",
    "Subscribe to continue reading", "$1 a week", "Already a subscriber", "Sign in", "Telegram", "WhatsApp",
]

PAGES = [
    ("wordpress_it", WORDPRESS_IT, "https://www.curvaweb.it/2026/12/01/lautaro-rinnova/", WORDPRESS_IT_KEEP, WORDPRESS_IT_LOSE),
    ("newspaper_it", NEWSPAPER_IT, "https://www.ilquotidiano.it/sport/calcio/inter-milan-derby-123.html", NEWSPAPER_IT_KEEP, NEWSPAPER_IT_LOSE),
    ("english", ENGLISH, "https://www.footballdaily.example/news/chelsea-sign-striker", ENGLISH_KEEP, ENGLISH_LOSE),
]


@pytest.mark.parametrize("name,page,url,keep,lose", PAGES, ids=[p[0] for p in PAGES])
def test_article_keeps_its_paragraphs_and_loses_embeds_and_promos(name, page, url, keep, lose):
    result = extract_article(page, url)
    assert result.status == "ok", result.reason
    text = result.article.text
    positions = [text.find(sentence) for sentence in keep]
    assert all(p >= 0 for p in positions), f"{name}: lost {[s for s, p in zip(keep, positions) if p < 0]}\n{text}"
    assert positions == sorted(positions), f"{name}: paragraphs out of order"
    leaked = [piece for piece in lose if piece in text]
    assert not leaked, f"{name}: leaked {leaked}\n{text}"
    # nothing but the article paragraphs is left
    assert len([p for p in text.split("\n\n") if p.strip()]) == len(keep), text


def _tree(page):
    return lxml_html.document_fromstring(page)


def test_embed_markup_of_each_platform_is_found():
    found = find_embeds(_tree(WORDPRESS_IT))
    kinds = sorted({(el.get("class") or el.tag).split()[0] for el in found})
    # the tweet and the YouTube video inside their Gutenberg wrappers, the Instagram and TikTok blockquotes
    assert kinds == ["instagram-media", "tiktok-embed", "wp-block-embed"], kinds
    assert len(found) == 4
    found = find_embeds(_tree(NEWSPAPER_IT))
    assert [el.get("class") for el in found] == ["fb-post"]


def test_a_quotation_blockquote_is_not_an_embed():
    page = """<html><body><article><p>Intro.</p><blockquote><p>"Abbiamo meritato di vincere", ha detto
    il tecnico in conferenza stampa.</p></blockquote><blockquote><p>Una citazione con un
    <a href="https://www.gazzetta.it/calcio/articolo.shtml">link a un articolo</a>.</p></blockquote></article></body></html>"""
    assert find_embeds(_tree(page)) == []


def test_promo_boxes_are_found_by_their_shape_not_their_class():
    boxes = find_promo_boxes(_tree(NEWSPAPER_IT))
    texts = [" ".join(b.text_content().split()) for b in boxes]
    assert any(t.startswith("Abbonati per continuare a leggere") and "Sei già abbonato" in t for t in texts), texts
    assert any(t.startswith("Guarda la Serie A su DAZN") for t in texts), texts
    assert any(t.startswith("Scarica l'app") for t in texts), texts
    # the article paragraphs around them are never part of a box
    assert not any("Madonnina" in t or "trentacinque" in t for t in texts)


def test_a_list_of_prices_in_an_article_is_not_a_promo_box():
    page = """<html><body><article><h1>DAZN cambia i prezzi</h1><p>Da gennaio DAZN cambia i suoi piani: il
    prezzo del piano base sale e arriva un'opzione per due dispositivi, come ha spiegato la piattaforma in una nota
    diffusa ieri ai clienti e alla stampa.</p><ul><li>Piano Start: 9,99 € al mese</li><li>Piano Standard: 34,99 € al
    mese</li><li>Piano Plus: 44,99 € al mese</li></ul><p>Gli utenti già abbonati manterranno il prezzo attuale fino
    alla fine di giugno, poi passeranno automaticamente al nuovo listino.</p></article></body></html>"""
    assert find_promo_boxes(_tree(page)) == []
    text = extract_body(_tree(page), "https://example.it/dazn-prezzi")
    assert "Piano Standard: 34,99 € al mese" in text and "Piano Plus" in text


def test_a_short_article_next_to_a_promo_box_is_not_a_box():
    page = """<html><body><div class="c"><p>Il Napoli ha ceduto il centrocampista al Galatasaray per dodici milioni
    di euro: l'accordo è stato firmato ieri sera e il giocatore partirà oggi per Istanbul.</p>
    <p>Abbonati per continuare a leggere</p><p>Sei già abbonato? Accedi</p></div></body></html>"""
    boxes = find_promo_boxes(_tree(page))
    assert all("Galatasaray" not in b.text_content() for b in boxes)
    text = extract_body(_tree(page), "https://example.it/a")
    assert "Galatasaray" in text and "Abbonati" not in text and "abbonato" not in text


@pytest.mark.parametrize("line", [
    "pic.twitter.com/Zx81kQ2pLm",
    "Forza ragazzi! pic.twitter.com/x1Yz — Inter (@Inter) December 1, 2026",
    "— Inter (@Inter) 1 dicembre 2026",
    "— Fabrizio Romano (@FabrizioRomano) January 3, 2027",
    "A post shared by Chelsea FC (@chelseafc)",
    "Pubblicato da AC Milan su Martedì 1 dicembre 2026",
    "@inter La firma ♬ suono originale - Inter",
    "Watch on YouTube",
    "Per visualizzare questo contenuto devi accettare i cookie di YouTube",
    "Abbonati per continuare a leggere",
    "Sei già abbonato? Accedi",
    "1 € al mese per 3 mesi",
    "Subscribe to continue reading",
    "Already a subscriber? Sign in",
    "Continua a leggere",
    "Scarica l'app della Gazzetta",
    "Entra nel canale Telegram di Calciomercato",
    "Attiva NOW a 14,99 € al mese",
    "Ascolta l'articolo",
    "Listen to this article",
    "Foto: LaPresse",
    "© Getty Images",
    "Photo by Marco Luzzani/Getty Images",
])
def test_embed_and_promo_lines_are_boilerplate(line):
    assert matching_rule(line, None) is not None


@pytest.mark.parametrize("line", [
    "L'Inter ha annunciato su Twitter il rinnovo del contratto di Lautaro Martinez fino al 2029.",
    "Il club ha superato quota quarantamila abbonamenti, il record dell'era Zhang.",
    "Lautaro guadagnerà 8 milioni di euro all'anno più bonus.",
    "Il giocatore guadagna 10.000 euro al mese nella Primavera.",
    "La partita sarà trasmessa in diretta su DAZN e in chiaro su Italia 1.",
    "Secondo il tweet del club, il giocatore resterà fuori due settimane.",
    "The club's subscribers will be able to watch his first interview on Wednesday.",
    "Piano Standard: 9,99 € al mese",
    "Il nuovo abbonamento costa 14,99 € al mese, due euro più dell'anno scorso.",
])
def test_article_sentences_are_not_boilerplate(line):
    assert matching_rule(line, None) is None


# ---------------------------------------------------------------- in the crawl

from tests.crawling import rows, run_crawl, write_sites  # noqa: E402
from tests.httpserver import RecordingServer  # noqa: E402

CRAWL_PATHS = {
    "/2026/12/01/lautaro-rinnova-con-inter-fino-al-2029/": (WORDPRESS_IT, WORDPRESS_IT_KEEP, WORDPRESS_IT_LOSE),
    "/sport/calcio/inter-milan-la-notte-del-derby-123.html": (NEWSPAPER_IT, NEWSPAPER_IT_KEEP, NEWSPAPER_IT_LOSE),
    "/news/2026/12/02/chelsea-sign-teenage-striker-from-santos": (ENGLISH, ENGLISH_KEEP, ENGLISH_LOSE),
}


class EmbedSite(RecordingServer):
    def respond(self, method, path, headers):
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path == "/":
            links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in CRAWL_PATHS)
            return 200, html, f"<html><body><h1>Notizie</h1><ul>{links}</ul></body></html>".encode()
        if path in CRAWL_PATHS:
            return 200, html, CRAWL_PATHS[path][0].encode("utf-8")
        return 404, html, b"<html><body>Not found</body></html>"


def test_the_crawl_stores_the_articles_without_embeds_and_promos(tmp_path):
    db = tmp_path / "a.db"
    with EmbedSite() as site:
        run = run_crawl(write_sites(tmp_path, site, "embeds"), db)
        assert run.returncode == 0, run.log[-3000:]
        base = site.base_url.rstrip("/")
    stored = rows(db)
    assert set(stored) == {base + p for p in CRAWL_PATHS}
    for path, (_, keep, lose) in CRAWL_PATHS.items():
        text = stored[base + path]["text"]
        assert all(sentence in text for sentence in keep), (path, text)
        assert not [piece for piece in lose if piece in text], (path, text)
        assert 0 < stored[base + path]["extraction_confidence"] <= 1
