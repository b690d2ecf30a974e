"""Body extraction and boilerplate rules, on small realistic Italian pages.

The pages below imitate the Italian football sites we crawl (a WordPress theme like the one of
calciodangolo.com, whose real page is in shared/seed/, and a site with meaningless class names):
noise between and after the paragraphs. The body must keep every paragraph, in order, and lose
all the noise.
"""

from __future__ import annotations


import pytest
from lxml import html as lxml_html

from extract import body as body_mod
from extract.body import clean_paragraphs, extract_body, page_language
from extract.boilerplate import (
    find_noise_containers,
    is_boilerplate_paragraph,
    is_dateline,
    matching_rule,
    normalize_paragraph,
)
from extract.site import SiteProfile

# --------------------------------------------------------------------------- pages

CALCIODANGOLO_LIKE = """<!DOCTYPE html>
<html lang="it-IT">
<head>
<meta charset="utf-8">
<title>Carrera, da assistente di Conte a Zar di Russia - Calciodangolo</title>
<meta property="og:title" content="Carrera, da assistente di Conte a Zar di Russia">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2016-11-22T10:30:00+01:00">
</head>
<body class="post-template-default single single-post postid-1234 single-format-standard">
<div class="td-header-wrap">
  <div class="td-header-top-menu">
    <div class="td-social-wrap"><span class="td-social-label">Seguici su</span>
      <a href="https://facebook.com/calciodangolo">Facebook</a> <a href="https://twitter.com/calciodangolo">Twitter</a></div>
  </div>
  <nav class="td-header-menu"><ul><li><a href="/">Home</a></li><li><a href="/serie-a/">Serie A</a></li><li><a href="/calcio-estero/">Calcio estero</a></li></ul></nav>
</div>
<div class="td-main-content-wrap">
 <div class="td-container">
  <div class="td-pb-span8 td-main-content">
   <article id="post-1234" class="post-1234 post type-post status-publish category-calcio-estero tag-carrera tag-spartak-mosca">
    <div class="td-post-header">
      <ul class="td-category"><li><a class="td-post-category" href="/calcio-estero/">Calcio estero</a></li></ul>
      <h1 class="entry-title">Carrera, da assistente di Conte a Zar di Russia</h1>
      <div class="td-module-meta-info"><span class="td-post-author-name">di <a href="/author/redazione/">Redazione</a></span>
        <span class="td-post-date"><time class="entry-date" datetime="2016-11-22T10:30:00+01:00">22 novembre 2016</time></span>
        <div class="td-post-views"><span>Articolo letto 1.532 volte</span></div></div>
    </div>
    <div class="td-post-content tagdiv-type">
      <p>La sua carriera fuori dal terreno di gioco inizia come coordinatore sportivo della Juventus Under 19 nel 2009, nel 2012 a Torino arriva Conte e Carrera viene promosso ad assistente tecnico, entra così a far parte dello staff di Conte e diventa assistente tecnico della nazionale quando Conte passa alla guida dell’Italia, ma ad agosto il tecnico leccese approda al Chelsea e Carrera trova una sorpresa, non c’è posto per lui a Londra, inizia così la sua avventura russa.</p>
      <div class="code-block code-block-2" style="margin: 8px auto; text-align: center;"><span class="adv-label">Annuncio pubblicitario</span>
        <ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-123" data-ad-slot="456"></ins></div>
      <p>Viene contattato così da un club storico della Russia, lo Spartak Mosca, che ha fatto la storia del campionato russo un bel po’ di anni fa, così diventa vice allenatore dei rossobianchi di Dimitri Alenichev, ma dopo tre partite il tecnico russo viene esonerato e la panchina viene affidata a Carrera, ma inizialmente il suo ruolo è quello di traghettatore.</p>
      <p><strong>LEGGI ANCHE &gt;&gt;&gt; <a href="/calcio-estero/conte-chelsea-primo-posto/">Conte, il Chelsea vola in testa alla Premier</a></strong></p>
      <p>Ma Carrera attira i riflettori su di se, convincendo grazie al bel gioco e soprattutto ai grandi risultati ottenuti, così dopo appena due partite da “traghettatore” arriva il suo grande momento, la prima esperienza da allenatore, anche se aveva sostituito Conte alla Juventus durante la squalifica, vincendo peraltro una Supercoppa ai danni del Napoli.</p>
      <div class="sondaggio-box"><h4>SONDAGGIO</h4><p>Chi vincerà il campionato russo?</p><form><label><input type="radio" name="v"> Spartak</label><label><input type="radio" name="v"> Zenit</label><button>Vota</button></form></div>
      <p>Da allora inizia una grande cavalcata con il suo Spartak, che manca al titolo dal 2001, che lo porta al comando della classifica russa, dopo 13 partite alla guida dei russi ha conquistato nove vittorie, un pareggio e tre sconfitte, riportando lo Spartak davanti a tutti dopo molto tempo, anche se ancora il campionato è lungo, già può dire di aver conquistato una piccola vittoria avendo riportato lo Spartak in testa dopo 15 lunghi anni.</p>
      <div class="quote-scommesse"><p>Quote Spartak-Zenit: 1 2.10 | X 3.20 | 2 3.40</p><p>Il gioco è vietato ai minori e può causare dipendenza patologica.</p></div>
      <p>Uno dei casi in cui si può dire che un rifiuto ha fatto bene, facendo parte dello staff di Conte Carrera infatti era destinato a continuare la sua carriera di assistente del leccese in Premier League, ma i pochi posti a disposizione in casa blues gli hanno indirettamente dato l’opportunità di affermarsi come allenatore, magari stiamo assistendo alla nascita di un nuovo talento tra i molti allenatori italiani affermatisi nel mondo, a partire da Ancelotti per finire proprio con il “suo” Conte.</p>
      <p>© RIPRODUZIONE RISERVATA</p>
      <p><a href="https://news.google.com/publications/calciodangolo">Seguici su Google News</a></p>
    </div>
    <div class="td-post-source-tags"><ul class="td-tags"><li><span>TAG</span></li><li><a href="/tag/carrera/">Carrera</a></li><li><a href="/tag/spartak-mosca/">Spartak Mosca</a></li></ul></div>
    <div class="td-post-sharing td-post-sharing-bottom"><span>Condividi</span><a href="#">Facebook</a><a href="#">WhatsApp</a></div>
   </article>
   <div class="comments" id="comments">
     <h4 class="block-title"><span>Commenti</span></h4>
     <p class="comment-policy">I commenti sono moderati: quelli offensivi non saranno pubblicati.</p>
     <ol class="comment-list"><li class="comment"><div class="comment-content"><p>Grande Carrera, lo dicevo da anni che era bravo!</p></div></li></ol>
   </div>
   <div class="td_block_related_posts">
     <h4 class="td-related-title"><span>Di più in Calcio estero</span></h4>
     <div class="td-related-row">
       <div class="td-module-container"><h3 class="entry-title"><a href="/calcio-estero/ancelotti-bayern/">Ancelotti, il Bayern vola: sei vittorie di fila in Bundesliga</a></h3></div>
       <div class="td-module-container"><h3 class="entry-title"><a href="/calcio-estero/ranieri-leicester/">Ranieri e il Leicester, la favola continua in Champions League</a></h3></div>
     </div>
   </div>
  </div>
  <div class="td-pb-span4 td-main-sidebar">
    <aside class="widget widget_text"><div class="adv-sidebar">Annuncio pubblicitario</div></aside>
    <aside class="widget td-classifica"><h4 class="block-title">Classifica</h4>
      <table><tr><td>1</td><td>Juventus</td><td>33</td></tr><tr><td>2</td><td>Roma</td><td>29</td></tr><tr><td>3</td><td>Milan</td><td>29</td></tr></table></aside>
  </div>
 </div>
</div>
<footer class="td-footer-wrap"><div class="footer-text">calciodangolo.com <a href="/collabora/">Collabora con noi</a></div>
<div class="footer-copy">© 2016 Calciodangolo - Tutti i diritti riservati</div></footer>
</body>
</html>
"""

CALCIODANGOLO_URL = "https://www.calciodangolo.com/calcio-estero/carrera-conte-zar-russia/"

CALCIODANGOLO_PARAGRAPHS = [
    "La sua carriera fuori dal terreno di gioco inizia come coordinatore sportivo",
    "Viene contattato così da un club storico della Russia",
    "Ma Carrera attira i riflettori su di se",
    "Da allora inizia una grande cavalcata con il suo Spartak",
    "Uno dei casi in cui si può dire che un rifiuto ha fatto bene",
]

# what surrounds the body on that page, none of which is article text
CALCIODANGOLO_NOISE = [
    "Seguici su", "Calcio estero", "Carrera, da assistente di Conte", "Articolo letto", "Annuncio pubblicitario",
    "LEGGI ANCHE", "Conte, il Chelsea vola", "SONDAGGIO", "Chi vincerà il campionato", "Vota", "Quote",
    "gioco è vietato", "RIPRODUZIONE RISERVATA", "Google News", "TAG", "Condividi", "Commenti",
    "commenti sono moderati", "lo dicevo da anni", "Di più in", "Ancelotti, il Bayern", "Ranieri e il Leicester",
    "Classifica", "Roma", "Collabora con noi", "diritti riservati",
]

PLAIN_CLASSES = """<!DOCTYPE html>
<html lang="it">
<head><meta charset="utf-8"><title>Inter, Lautaro trascina i nerazzurri: 3-1 al Torino | Il Pallone Quotidiano</title>
<meta property="og:title" content="Inter, Lautaro trascina i nerazzurri: 3-1 al Torino"></head>
<body>
<div class="x-top"><a href="/">Il Pallone Quotidiano</a> <a href="/serie-a/">Serie A</a> <a href="/calciomercato/">Calciomercato</a></div>
<main class="x-main">
 <div class="x-art">
  <h1>Inter, Lautaro trascina i nerazzurri: 3-1 al Torino</h1>
  <div class="x-body">
   <p>Inter, Lautaro trascina i nerazzurri: 3-1 al Torino</p>
   <p>Sabato 14 ottobre 2023, ore 20:45</p>
   <p>L'Inter supera il Torino per 3-1 nell'anticipo della nona giornata di Serie A e si conferma in testa alla classifica. Decide una doppietta di Lautaro Martinez, che sale a quota nove reti in campionato, mentre Thuram chiude i conti nel finale con un destro sotto la traversa.</p>
   <p>Annuncio pubblicitario</p>
   <p>Il Torino era passato in vantaggio al quarto d'ora con Zapata, bravo a sfruttare un errore in disimpegno della difesa nerazzurra. La reazione della squadra di Inzaghi è stata immediata: pressione alta, possesso prolungato e tante occasioni create sulle fasce.</p>
   <p><strong>Leggi anche:</strong></p>
   <ul>
    <li><a href="/serie-a/inzaghi-turnover-champions/">Inzaghi pensa al turnover in vista della Champions</a></li>
    <li><a href="/calciomercato/inter-centrocampista-gennaio/">Inter, si cerca un centrocampista per gennaio</a></li>
   </ul>
   <p>Nella ripresa Lautaro ha prima pareggiato di testa su cross di Dimarco e poi firmato il sorpasso su calcio di rigore, conquistato da Barella dopo un contatto in area con Ricci. Nel finale Thuram ha chiuso la partita, tra gli applausi di San Siro.</p>
   <p>Foto: LaPresse</p>
   <p>Con questa vittoria l'Inter allunga a più quattro sul Milan, che domani sera affronterà il Genoa a Marassi. Per il Torino, invece, resta il rammarico per un primo tempo giocato alla pari contro la capolista.</p>
   <p>Seguici su Google News</p>
   <p>Iscriviti al canale WhatsApp del Pallone Quotidiano</p>
   <p>© RIPRODUZIONE RISERVATA</p>
  </div>
 </div>
 <div class="x-bottom">
   <h3>Commenti</h3>
   <p>Per commentare devi essere registrato.</p>
   <div class="x-c"><p>Forza Inter, Lautaro è il più forte di tutti in Serie A!</p></div>
 </div>
 <div class="x-more"><h3>Potrebbe interessarti anche</h3>
   <p><a href="/serie-a/milan-genoa-probabili-formazioni/">Milan-Genoa, le probabili formazioni del match di Marassi</a></p></div>
</main>
<div class="x-foot">Il Pallone Quotidiano - P.IVA 01234567890 - Tutti i diritti riservati</div>
</body></html>
"""

PLAIN_URL = "https://www.ilpallonequotidiano.it/serie-a/inter-torino-3-1/"

PLAIN_PARAGRAPHS = [
    "L'Inter supera il Torino per 3-1 nell'anticipo della nona giornata",
    "Il Torino era passato in vantaggio al quarto d'ora con Zapata",
    "Nella ripresa Lautaro ha prima pareggiato di testa",
    "Con questa vittoria l'Inter allunga a più quattro sul Milan",
]

PLAIN_NOISE = [
    "Inter, Lautaro trascina", "Sabato 14 ottobre", "Annuncio pubblicitario", "Leggi anche", "Inzaghi pensa al turnover",
    "si cerca un centrocampista", "Foto: LaPresse", "Google News", "WhatsApp", "RIPRODUZIONE RISERVATA",
    "Commenti", "Per commentare", "Forza Inter", "Potrebbe interessarti", "probabili formazioni", "P.IVA",
]


def _tree(html: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(html)


def _assert_body(text: str | None, paragraphs: list[str], noise: list[str]) -> None:
    assert text, "no body extracted"
    parts = text.split("\n\n")
    assert len(parts) == len(paragraphs), parts
    for part, start in zip(parts, paragraphs):
        assert part.startswith(start), (start, part[:80])
    for phrase in noise:
        assert phrase not in text, f"noise {phrase!r} left in the body"


# --------------------------------------------------------------------------- extract_body


def test_calciodangolo_like_page_keeps_every_paragraph_and_loses_the_noise():
    text = extract_body(_tree(CALCIODANGOLO_LIKE), CALCIODANGOLO_URL, None)
    _assert_body(text, CALCIODANGOLO_PARAGRAPHS, CALCIODANGOLO_NOISE)


def test_page_with_meaningless_classes_is_cleaned_by_the_paragraph_rules():
    # no class name says "ad" or "related" here: the text rules, the title and the dateline do the work
    text = extract_body(_tree(PLAIN_CLASSES), PLAIN_URL, None)
    _assert_body(text, PLAIN_PARAGRAPHS, PLAIN_NOISE)


def test_the_caller_tree_is_not_modified():
    tree = _tree(CALCIODANGOLO_LIKE)
    before = lxml_html.tostring(tree)
    extract_body(tree, CALCIODANGOLO_URL, SiteProfile("cda", "https://www.calciodangolo.com/", drop_selectors=("p",)))
    assert lxml_html.tostring(tree) == before


def test_site_drop_selectors_are_honoured():
    html = PLAIN_CLASSES.replace(
        "<p>Con questa vittoria",
        '<div class="box-pronostico"><p>Il pronostico della redazione per la prossima giornata: vince la Juventus '
        "con due gol di scarto, secondo i nostri esperti che seguono la squadra ogni settimana.</p></div>"
        "<p>Con questa vittoria",
    )
    site = SiteProfile("pq", "https://www.ilpallonequotidiano.it/", drop_selectors=(".box-pronostico", "ul > li"))
    assert "pronostico della redazione" in extract_body(_tree(html), PLAIN_URL, None)
    text = extract_body(_tree(html), PLAIN_URL, site)
    _assert_body(text, PLAIN_PARAGRAPHS, PLAIN_NOISE + ["pronostico"])


def test_an_invalid_drop_selector_does_not_lose_the_page():
    site = SiteProfile("pq", "https://www.ilpallonequotidiano.it/", drop_selectors=("div[[", ".nothing"))
    text = extract_body(_tree(PLAIN_CLASSES), PLAIN_URL, site)
    _assert_body(text, PLAIN_PARAGRAPHS, PLAIN_NOISE)


def test_learned_boilerplate_paragraphs_are_dropped():
    slogan = "Il Pallone Quotidiano è la voce del calcio che non dorme mai, dalla Serie A ai dilettanti."
    html = PLAIN_CLASSES.replace("<p>Seguici su Google News</p>", f"<p>{slogan}</p>")
    assert slogan in extract_body(_tree(html), PLAIN_URL, None)
    learned = frozenset({normalize_paragraph(slogan)})
    text = extract_body(_tree(html), PLAIN_URL, None, learned=learned)
    _assert_body(text, PLAIN_PARAGRAPHS, PLAIN_NOISE + ["voce del calcio"])


def test_body_split_into_chunks_around_ads_is_kept_whole():
    # build the page with two chunks, 8 paragraphs in all
    parts = []
    for start in (1, 5):
        parts.append(
            '<div class="grid"><div class="article-chunk body">'
            + "".join(
                f"<p>Paragrafo {n} del racconto della partita: azioni, cambi, occasioni e il commento "
                f"dell'allenatore a fine gara, con le sue parole in conferenza stampa.</p>"
                for n in range(start, start + 4)
            )
            + "</div></div>"
        )
    html = (
        "<html lang='it'><head><title>Cronaca</title></head><body><main><article><h1>Cronaca della partita</h1>"
        '<div class="chunks">' + parts[0] + '<div class="adv-slot">Annuncio pubblicitario</div>' + parts[1]
        + "</div></article></main></body></html>"
    )
    text = extract_body(_tree(html), "https://example.it/cronaca", None)
    assert [p.split(" del ")[0] for p in text.split("\n\n")] == [f"Paragrafo {n}" for n in range(1, 9)]


def test_too_little_text_falls_back_to_the_jsonld_article_body():
    article = (
        "Il Napoli ha presentato il nuovo allenatore in conferenza stampa. "
        "Il presidente ha parlato di un progetto triennale e di una squadra da rinforzare a gennaio. "
        "Il tecnico ha promesso un calcio offensivo e ha ringraziato i tifosi per l'accoglienza."
    )
    html = (
        '<html lang="it"><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Napoli, ecco il nuovo allenatore",'
        f' "articleBody": "{article}"}}</script></head><body>'
        f'<div class="x"><span>{article}</span></div></body></html>'
    )
    text = extract_body(_tree(html), "https://example.it/napoli", None)
    assert text and "progetto triennale" in text
    # not shown on the page: the JSON-LD body is not trusted
    hidden = html.replace(f"<span>{article}</span>", "<span>Contenuto riservato agli abbonati.</span>")
    assert body_mod._jsonld_body(_tree(hidden), "https://example.it/napoli") == ""


def test_page_language():
    assert page_language(_tree(CALCIODANGOLO_LIKE)) == "it"
    assert page_language(_tree("<html><body><p>x</p></body></html>")) is None
    assert page_language(_tree("<html><body><p>x</p></body></html>"), SiteProfile("a", "https://a.it/", language="it")) == "it"


def test_noise_containers_spare_the_wrapper_of_the_article():
    tree = _tree(CALCIODANGOLO_LIKE)
    found = find_noise_containers(tree)
    classes = " ".join(el.get("class") or el.get("id") or "" for el in found)
    for noise in ("code-block-2", "sondaggio", "quote-scommesse", "comments", "related", "classifica", "sharing"):
        assert noise in classes, noise
    texts = " ".join(el.text_content() for el in found)
    for start in CALCIODANGOLO_PARAGRAPHS:
        assert start not in texts


# --------------------------------------------------------------------------- paragraph rules

ITALIAN_BOILERPLATE = [
    "Leggi anche: Juventus, Allegri ritrova Chiesa per la sfida al Napoli",
    "LEGGI ANCHE >>> Milan, Pioli: \"Siamo pronti per il derby\"",
    "© RIPRODUZIONE RISERVATA",
    "Riproduzione riservata ©",
    "Seguici su",
    "Seguici su Google News",
    "Segui Calciomercato.it su Google News",
    "Iscriviti al canale WhatsApp di Calcio d'Angolo",
    "Unisciti al nostro canale Telegram",
    "Resta sempre aggiornato sulle ultime notizie di calciomercato",
    "Annuncio pubblicitario",
    "Pubblicità",
    "PUBBLICITÀ",
    "Advertisement",
    "I commenti sono moderati: quelli offensivi non saranno pubblicati.",
    "Per commentare devi essere registrato.",
    "Commenti",
    "12 commenti",
    "Articolo letto 1.532 volte",
    "SONDAGGIO – Chi vincerà lo scudetto?",
    "Vota",
    "Il gioco è vietato ai minori e può causare dipendenza patologica.",
    "Quote Inter-Milan: 1 2.10 | X 3.20 | 2 3.40",
    "1: 2.10 X: 3.20 2: 3.40",
    "Iscriviti alla nostra newsletter per ricevere le notizie ogni mattina",
    "Foto: LaPresse",
    "(Foto Getty Images)",
    "Getty Images",
    "LaPresse / Ansa",
    "Tempo di lettura: 3 minuti",
    "Visualizza questo post su Instagram",
    "Un post condiviso da SSC Napoli (@officialsscnapoli)",
    "Di più in Calcio estero",
    "Potrebbe interessarti anche",
    "Articoli correlati",
    "calciodangolo.com Collabora con noi",
    "Tag: Juventus, Allegri, Chiesa",
    "Condividi",
    "CLICCA QUI PER LE ULTIME NOTIZIE SULLA JUVENTUS",
]

ENGLISH_BOILERPLATE = [
    "Advertisement",
    "Read more: Mourinho agrees deal to replace Pochettino",
    "Related: The 15 weirdest transfers of the summer",
    "You may also like...",
    "DON'T MISS",
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Follow us on Twitter and Facebook",
    "Reporting by John Smith; Editing by Jane Doe",
    "Associated Press writer Jane Doe contributed to this report.",
    "© 2019 Associated Press. All Rights Reserved.",
    "Comments",
    "Share",
]

ARTICLE_SENTENCES = [
    "Il Milan ha letto bene la partita e ha vinto 2-1 grazie a un gol di Leao nel finale.",
    "Segui il pallone, diceva sempre il suo allenatore, e non perdere mai la concentrazione.",
    "La pubblicità del match ha attirato cinquantamila spettatori a San Siro.",
    "Commenti positivi sono arrivati anche dal presidente dopo la vittoria.",
    "Le quote dei bookmaker vedono favorita l'Inter a 1.65 nella sfida di domenica.",
    "Il gioco del Napoli è stato spettacolare per tutto il primo tempo.",
    "Foto e video della festa scudetto hanno fatto il giro del web in poche ore.",
    "Vota per la Juventus chi vuole un calcio più ordinato, disse ironicamente l'allenatore ai giornalisti presenti.",
    "In evidenza la prestazione di Barella, il migliore in campo secondo tutti i quotidiani sportivi.",
    "Popular culture has long celebrated the great Italian number tens.",
    "Copyright law in the EU changed how clubs can film their training sessions.",
    "Read more about the tactics of the new coach in the next issue.",
    "Related to the coach by marriage, the new director has worked in Serie A for twenty years.",
    "Seguì un periodo difficile, con tre sconfitte di fila e la contestazione dei tifosi.",
]


# the same kinds of line in the other languages of the European sports press
OTHER_BOILERPLATE = [
    ("de", "Lesen Sie auch: Bayern verlängert mit Musiala bis 2030"),
    ("de", "Auch interessant"),
    ("de", "Mehr zum Thema"),
    ("de", "Weitere Artikel"),
    ("de", "Das könnte Sie auch interessieren:"),
    ("de", "Jetzt zum Newsletter anmelden"),
    ("de", "Keine Kommentare"),
    ("de", "Titelbild: imago images"),
    ("fr", "À lire aussi : le PSG prolonge son capitaine"),
    ("fr", "Crédits photos : Bestimage"),
    ("fr", "Sur le même sujet"),
    ("es", "Lea también: el Real Madrid renueva a su capitán"),
    ("es", "MIRA: el gol de la jornada en el Bernabéu"),
    ("es", "Te puede interesar"),
    ("es", "Noticias relacionadas"),
    ("pt", "Leia também: Benfica vence o clássico"),
    ("pl", "Czytaj też: Lewandowski z golem w derbach"),
    ("pl", "Ten tekst przeczytasz w mniej niż minutę"),
]

OTHER_SENTENCES = [
    ("de", "Lesen und Schreiben lernte der Trainer erst spät, erzählte er nach dem Spiel in Dortmund."),
    ("de", "Mehr als 80.000 Zuschauer sahen das Derby im ausverkauften Stadion."),
    ("fr", "Voir le PSG gagner à Marseille reste un rêve pour beaucoup de supporters parisiens."),
    ("es", "Mira que lo intentó, pero el portero detuvo el penalti en el último minuto del partido."),
    ("pl", "Polecam każdemu obejrzenie tego meczu, powiedział trener po końcowym gwizdku."),
]


@pytest.mark.parametrize("language,text", OTHER_BOILERPLATE)
def test_boilerplate_paragraphs_in_other_languages(language, text):
    assert is_boilerplate_paragraph(text, language), text
    assert not is_boilerplate_paragraph(text, "it") or matching_rule(text, "it") in {"photo_credit"}, text


@pytest.mark.parametrize("language,text", OTHER_SENTENCES)
def test_article_sentences_in_other_languages_are_not_boilerplate(language, text):
    assert not is_boilerplate_paragraph(text, language), matching_rule(text, language)


@pytest.mark.parametrize("text", ITALIAN_BOILERPLATE)
def test_italian_boilerplate_paragraphs(text):
    assert is_boilerplate_paragraph(text, "it"), text
    assert is_boilerplate_paragraph(text, None), text  # unknown language: every rule applies


@pytest.mark.parametrize("text", ENGLISH_BOILERPLATE)
def test_english_boilerplate_paragraphs(text):
    assert is_boilerplate_paragraph(text, "en"), text


@pytest.mark.parametrize("text", ARTICLE_SENTENCES)
def test_article_sentences_are_not_boilerplate(text):
    assert not is_boilerplate_paragraph(text, "it"), matching_rule(text, "it")
    assert not is_boilerplate_paragraph(text, "en"), matching_rule(text, "en")
    assert not is_boilerplate_paragraph(text, None), matching_rule(text, None)


def test_rules_of_another_language_do_not_apply():
    assert not is_boilerplate_paragraph("Leggi anche: Juventus, Allegri ritrova Chiesa", "en")
    assert not is_boilerplate_paragraph("Read more: Mourinho agrees deal", "it")
    # a whole-line label is boilerplate in any language
    assert is_boilerplate_paragraph("Advertisement", "it")
    assert is_boilerplate_paragraph("Annuncio pubblicitario", "en")


def test_long_paragraphs_are_never_dropped_by_a_phrase():
    long = "Seguici su Google News. " + "Il campionato è ancora lungo e tutto può succedere. " * 10
    assert not is_boilerplate_paragraph(long, "it")


def test_datelines():
    for text in ("22 novembre 2016 - 10:30", "Sabato 14 ottobre 2023, ore 20:45", "Nov. 18, 2019 4:10 PM ET",
                 "Pubblicato il 12/03/2024 alle 18:30", "Aggiornato: 3 marzo 2024"):
        assert is_dateline(text), text
    for text in ("Il 22 novembre la Juventus gioca a Napoli", "2019 American Music Awards", "Serie A"):
        assert not is_dateline(text), text


def test_normalize_paragraph():
    assert normalize_paragraph("  «Seguici   su  Google News!» ") == "seguici su google news"
    assert normalize_paragraph("ＣＡＬＣＩＯ") == "calcio"  # NFKC


def test_clean_paragraphs_drops_the_link_list_after_a_marker():
    paragraphs = [
        "Il Torino era passato in vantaggio al quarto d'ora con Zapata, bravo a sfruttare un errore.",
        "Leggi anche:",
        "- Inzaghi pensa al turnover in vista della Champions",
        "Inter, si cerca un centrocampista per gennaio",
        "Nella ripresa Lautaro ha prima pareggiato di testa su cross di Dimarco.",
    ]
    assert clean_paragraphs(paragraphs, "it") == [paragraphs[0], paragraphs[4]]


def test_clean_paragraphs_drops_the_repeated_title_and_the_learned_paragraphs():
    titles = {normalize_paragraph("Inter, Lautaro trascina i nerazzurri: 3-1 al Torino")}
    paragraphs = [
        "Inter, Lautaro trascina i nerazzurri: 3-1 al Torino",
        "L'Inter supera il Torino per 3-1 nell'anticipo della nona giornata di Serie A.",
        "Il Pallone Quotidiano, la voce del calcio.",
    ]
    learned = frozenset({normalize_paragraph("Il Pallone Quotidiano, la voce del calcio.")})
    assert clean_paragraphs(paragraphs, "it", titles, learned) == [paragraphs[1]]


def test_body_never_ends_on_a_widget_heading():
    body = ["Il Napoli ha vinto a Bergamo con una rete nel finale, al termine di una gara equilibrata.",
            "La classifica", "Classifica Serie A"]
    assert clean_paragraphs(body, "it") == body[:1]
    # inside the text, such a heading is the article's own subheading and stays
    inside = ["Classifica", "La squadra sale al terzo posto dopo la vittoria di ieri sera in trasferta."]
    assert clean_paragraphs(inside, "it") == inside


def test_headline_glued_to_the_first_paragraph_is_cut_off():
    """A reading that runs <h1> and the first <p> together ("Headline First sentence…") keeps
    the sentence only; an opening sentence that starts with the words of og:title (a real page
    of trafilatura's evaluation set does so) is kept whole."""
    from extract.body import _without_title_prefix

    h1 = {"bologna-lazio, cronaca e pagelle della partita"}
    glued = "Bologna-Lazio, cronaca e pagelle della partita Il Bologna ha affrontato il Lazio in una partita intensa."
    assert _without_title_prefix(glued, h1) == "Il Bologna ha affrontato il Lazio in una partita intensa."
    other = "Bologna-Lazio è stata una partita intensa, decisa nella ripresa da un'azione corale."
    assert _without_title_prefix(other, h1) == other
    opening = "Oven-baked Italian Olive & Herb Focaccia Bread filled with flavours of olive oil, garlic and herbs. " * 3
    page = ('<html><head><meta property="og:title" content="Oven-baked Italian Olive &amp; Herb Focaccia Bread">'
            '<title>Olive &amp; Herb Focaccia Bread</title></head><body><article><h1>Olive &amp; Herb Focaccia Bread</h1>'
            f'<p>{opening}</p><p>{"Make the flavoured oil first, then the dough. " * 8}</p></article></body></html>')
    text = extract_body(lxml_html.document_fromstring(page), "https://flawlessfood.example/focaccia/")
    assert text.startswith("Oven-baked Italian Olive & Herb Focaccia Bread filled with"), text[:80]


def test_head_code_is_dropped_before_trafilatura_and_the_description_kept():
    """The <head>'s scripts, styles, links and other metas go before trafilatura runs (no text,
    but its XPaths visit them); the description metas the standfirst test reads stay, and the
    standfirst that repeats the description is still put back."""
    lead = "Il Milan ha battuto il Napoli a San Siro al termine di una partita intensa e molto combattuta."
    paras = "".join(f"<p>{'Paragrafo numero %d della cronaca della partita, con molti dettagli. ' % i * 3}</p>"
                    for i in range(6))
    page = (f'<html><head><title>Milan-Napoli</title><meta charset="utf-8"><meta name="viewport" content="w">'
            f'<meta name="description" content="{lead}"><link rel="stylesheet" href="/a.css">'
            f'<script>var tracking = "Leggi anche questo";</script><style>p {{ color: red }}</style></head>'
            f'<body><article><h1>Milan-Napoli 2-1</h1><header><p>{lead}</p></header>{paras}</article></body></html>')
    tree = lxml_html.document_fromstring(page)
    work = body_mod._preclean(tree, None, copy_tree=True)
    head = work.find("head")
    assert [el.tag for el in head] == ["title", "meta"]
    assert head[1].get("name") == "description"
    assert len(work.find("body").findall(".//p")) == len(tree.find("body").findall(".//p"))
    text = extract_body(lxml_html.document_fromstring(page), "https://example.it/milan-napoli")
    assert text.startswith(lead)
