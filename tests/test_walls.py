"""Walls served instead of an article (extract.walls): recognised from several signals in
five languages, never confused with a full article that carries a cookie banner or a promo."""

import json

import pytest

from extract import extract_article
from extract.walls import scan, verdict
from extract.page import parse_html

URL = "https://www.example.it/2026/02/10/il-napoli-vince-a-bergamo-e-torna-in-testa/"
PARAS = [
    "Il Napoli ha vinto a Bergamo con un gol nel finale e torna in testa alla classifica, approfittando del "
    "pareggio dell'Inter a Genova in una domenica ricca di sorprese.",
    "La squadra di casa aveva dominato il primo tempo, creando quattro occasioni nitide e colpendo un palo "
    "con il suo centravanti, ma non era riuscita a concretizzare.",
    "Nella ripresa il tecnico ospite ha cambiato modulo, inserendo un centrocampista in più e spostando "
    "l'esterno sulla fascia sinistra: una scelta che ha cambiato la partita.",
    "A fine gara l'allenatore ha parlato di una vittoria di carattere, dedicata ai tifosi arrivati in "
    "trasferta nonostante il freddo e l'orario della partita.",
]


def article(paras=PARAS, head="", before="", after="", lang="it"):
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Il Napoli vince a Bergamo</title>'
            f'<meta property="og:type" content="article"><meta property="article:published_time" '
            f'content="2026-02-10T22:40:00+01:00">{head}</head><body>{before}<article><h1>Il Napoli vince a Bergamo</h1>'
            f'<div class="entry-content">{body}</div>{after}</article></body></html>')


def page(body, title="Il Napoli vince a Bergamo", lang="it"):
    return f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>{body}</body></html>'


CONSENT_BANNER = ('<div id="cookie-notice" class="cmp-banner"><p>Questo sito utilizza cookie tecnici e di profilazione.</p>'
                  '<button>Accetta e continua</button><button>Rifiuta</button><a href="#">Gestisci le preferenze</a></div>')
PROMO = ('<aside class="promo"><h3>Abbonati</h3><p>Sei già abbonato? Accedi. Abbonati per continuare a leggere '
         'tutti gli articoli riservati.</p></aside>')
NOT_FREE = '<script type="application/ld+json">' + json.dumps(
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Il Napoli vince a Bergamo",
     "isAccessibleForFree": False}) + "</script>"

WALLS = {
    "consent it": (page(CONSENT_BANNER), "consent"),
    "consent en": (page('<div class="consent"><p>We use cookies to improve your experience.</p><button>Accept all</button>'
                        '<button>Reject all</button></div>', lang="en"), "consent"),
    "consent de": (page('<div id="usercentrics"><p>Wir verwenden Cookies.</p><button>Alle akzeptieren</button>'
                        '<button>Alle ablehnen</button></div>', lang="de"), "consent"),
    "consent fr": (page('<div class="didomi"><p>Nous utilisons des cookies.</p><button>Tout accepter</button>'
                        '<button>Tout refuser</button></div>', lang="fr"), "consent"),
    "consent es": (page('<div class="cookie"><p>Utilizamos cookies propias.</p><button>Aceptar todo</button>'
                        '<button>Rechazar todo</button></div>', lang="es"), "consent"),
    "buttons only, as text": (page("<div><p>Accetta e continua.</p><p>Rifiuta</p></div>"), "consent"),
    "pay or okay": (page('<div class="cmp"><p>Accetta i cookie oppure abbonati senza pubblicità.</p>'
                         '<button>Accetta</button></div>'), "consent"),
    "login en": (page('<h1>Log in to continue</h1><form><input name="u"><input type="password"></form>', "Sign in", "en"), "login"),
    "login it": (page("<h1>Accedi per continuare a leggere</h1><form><input type='password'></form>", "Accedi"), "login"),
    "bot check": (page('<h1>Checking your browser before accessing example.it</h1><div id="challenge-form"></div>',
                       "Just a moment..."), "bot"),
    "teaser it": (article(PARAS[:1], after='<div class="paywall"><p>Abbonati per continuare a leggere</p></div>'), "paywall"),
    "teaser it, not free": (article(PARAS[:3], head=NOT_FREE, after="<p>Sei già abbonato? Accedi</p>"), "paywall"),
    "teaser de": (article(PARAS[:1], after="<p>Jetzt weiterlesen mit Plus. Sie sind bereits Abonnent?</p>", lang="de"), "paywall"),
    "teaser fr": (article(PARAS[:1], after="<p>Abonnez-vous pour lire la suite. Déjà abonné ?</p>", lang="fr"), "paywall"),
    "teaser es": (article(PARAS[:1], after="<p>Suscríbete para seguir leyendo. ¿Ya eres suscriptor?</p>", lang="es"), "paywall"),
    "teaser en": (article(PARAS[:1], after="<p>Subscribe to continue reading. Already a subscriber?</p>", lang="en"), "paywall"),
    "not free, two lines": (article(PARAS[:1], head=NOT_FREE), "paywall"),
}


@pytest.mark.parametrize("name", sorted(WALLS))
def test_walls_are_blocked_with_their_reason(name):
    html, kind = WALLS[name]
    result = extract_article(html, URL)
    assert (result.status, result.page_type) == ("blocked", "blocked"), result.reason
    assert result.reason.startswith({"consent": "consent wall", "login": "login wall", "bot": "bot check",
                                     "paywall": "paywall teaser"}[kind])
    if kind == "paywall":  # handed on for the store to keep as a marked version, flagged
        assert result.article is not None and result.article.paywall
    else:
        assert result.article is None


FULL = {
    "plain": article(),
    "with a cookie banner": article(before=CONSENT_BANNER),
    "with a subscription promo beside it": article().replace("</article>", "</article>" + PROMO),
    "not free but whole (metered)": article(head=NOT_FREE),
    "that talks about cookies and login": article(PARAS[:2] + ["Il club ha spiegato sul sito che utilizziamo i cookie "
                                                               "e che serve accedi per continuare: una polemica social.",
                                                               "Il capitano rifiuta il rinnovo e accetta la panchina."]
                                                  + PARAS[2:]),
}


@pytest.mark.parametrize("name", sorted(FULL))
def test_a_full_article_is_never_refused(name):
    result = extract_article(FULL[name], URL)
    assert result.status == "ok", result.reason
    assert PARAS[-1] in result.article.text


def test_verdict_needs_a_short_body():
    tree = parse_html(page(CONSENT_BANNER))
    signals = scan(tree, [])
    assert verdict(signals, "").kind == "consent"
    assert verdict(signals, "\n\n".join(PARAS)) is None


PHRASES = {
    "consent": ["Accetta e continua", "Accetta tutti", "Rifiuta tutte", "Continua senza accettare", "Gestisci opzioni",
                "Informativa sui cookie", "Accept all", "We use cookies", "Alle akzeptieren", "Tout refuser",
                "Rechazar todo", "Abbonati senza pubblicità"],
    "login": ["Accedi per continuare", "Log in to continue", "Sign in to read", "Anmelden, um weiterzulesen",
              "Connectez-vous pour lire", "Inicia sesión para continuar"],
    "bot": ["Checking your browser", "Just a moment...", "Verify you are human", "Access denied",
            "Vérification de votre navigateur", "Verificando su navegador"],
    "paywall": ["Abbonati per continuare a leggere", "Sei già abbonato?", "Already a subscriber?",
                "Subscribe to continue reading", "Sie sind bereits Abonnent?", "Déjà abonné ?", "¿Ya eres suscriptor?"],
}


@pytest.mark.parametrize("kind", sorted(PHRASES))
def test_each_phrase_is_found_through_its_stems(kind):
    for phrase in PHRASES[kind]:
        signals = scan(parse_html(page(f"<p>{phrase}</p>")), [])
        assert kind in signals.hits, phrase
