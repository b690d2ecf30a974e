"""Walls served instead of an article: consent (cookie) walls, login walls, bot checks and
paywall teasers. A pure function of the page tree, its JSON-LD nodes and the extracted body.

A page is a wall only when several signals agree: the wall's own vocabulary (Italian,
English, German, French, Spanish) and a body that, once the paragraphs written in that
vocabulary are set aside, is too short to be an article. A full article that merely carries
a cookie banner or a subscription promo keeps its body, so it is never called a wall.

``detect(tree, nodes, body)`` takes the page as served (not the tree the body extraction
cleaned), its JSON-LD nodes and the extracted body: None, or ``Wall(kind, reason)`` with kind
``consent``, ``login``, ``bot`` or ``paywall`` (a teaser: the start of an article and an
invitation to subscribe). Only pages whose body is shorter than ``SCAN_BELOW`` are looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .fold import Folded
from .fold import safe as fold_safe
from .texts import text_of

# A body shorter than this (without the wall's own paragraphs) is no article.
WALL_MAX_CONTENT = 250
# A teaser is the lead of an article: a few lines. Below SHORT, one paywall signal is enough;
# up to TEASER_MAX_CONTENT it takes two (a phrase and JSON-LD isAccessibleForFree=false, or a
# phrase inside the article container itself): a promo box beside a full article is neither.
TEASER_SHORT = 400
TEASER_MAX_CONTENT = 1200
# A body this long (wall paragraphs included) is an article whatever else the page says: not
# scanned for walls. Above TEASER_MAX_CONTENT with room for the wall's own paragraphs.
SCAN_BELOW = 1500
# Only the start of a huge page is read for wall vocabulary (walls are small pages).
SCAN_CHARS = 60_000


def _phrases(*items: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in items), re.I)


CONSENT = _phrases(
    r"accett[ao] e (?:continua|chiudi)", r"accetta tutt[eio]", r"rifiuta tutt[eio]", r"continua senza accettare",
    r"gestisci (?:le )?(?:preferenze|opzioni)", r"utilizziamo (?:i )?cookie", r"questo sito (?:utilizza|usa) (?:i )?cookie",
    r"consenso (?:ai|dei) cookie", r"informativa (?:sui|cookie)",
    r"accept all(?: cookies)?", r"reject all", r"we use cookies", r"manage (?:cookie )?(?:preferences|options|settings)",
    r"cookie (?:settings|preferences|policy)", r"your privacy choices", r"consent to (?:the use of )?cookies",
    r"alle akzeptieren", r"alle ablehnen", r"wir verwenden cookies", r"einstellungen verwalten",
    r"tout accepter", r"tout refuser", r"nous utilisons des cookies", r"g[ée]rer (?:mes|les) (?:choix|pr[ée]f[ée]rences)",
    r"aceptar todo", r"rechazar todo", r"utilizamos cookies", r"gestionar (?:las )?preferencias",
    r"abbonati senza pubblicit[àa]",  # the Italian "pay or okay" consent wall
)
LOGIN = _phrases(
    r"accedi per (?:continuare|leggere)", r"effettua (?:il )?(?:login|l'accesso) per", r"registrati per (?:continuare|leggere)",
    r"log ?in to (?:continue|read)", r"sign ?in to (?:continue|read)", r"create a free account to (?:continue|read)",
    r"anmelden,? um weiterzulesen", r"melden sie sich an,? um",
    r"connectez-vous pour (?:continuer|lire)", r"inicia sesi[óo]n para (?:continuar|seguir)",
)
BOT = _phrases(
    r"checking your browser", r"just a moment\.\.\.", r"verify you are (?:a )?human", r"are you a robot",
    r"enable javascript and cookies to continue", r"please enable (?:javascript|cookies)", r"attention required!",
    r"ddos protection by", r"pardon our interruption", r"request unsuccessful\. incapsula", r"access denied",
    r"verifica (?:che sei|di essere) (?:un )?umano", r"controllo del browser", r"sicherheitsüberprüfung",
    r"v[ée]rification (?:de votre navigateur|que vous [êe]tes humain)", r"verificando (?:tu|su) navegador",
)
PAYWALL = _phrases(
    r"abbonati per (?:continuare a )?leggere", r"sei gi[àa] abbonat[oa]", r"per continuare a leggere", r"contenuto riservato agli abbonati",
    r"articolo riservato agli abbonati", r"leggi (?:l'articolo|tutto) (?:completo )?con (?:un )?abbonamento", r"sblocca (?:l'articolo|questo contenuto)",
    r"subscribe to (?:continue|keep) reading", r"already a subscriber", r"this (?:article|content) is for subscribers",
    r"to continue reading,? (?:subscribe|sign up)", r"unlock this article",
    r"jetzt weiterlesen mit", r"sie sind bereits abonnent", r"dieser artikel ist (?:nur )?f[üu]r abonnenten",
    r"abonnez-vous pour (?:lire|continuer)", r"d[ée]j[àa] abonn[ée]", r"article r[ée]serv[ée] aux abonn[ée]s",
    r"suscr[íi]bete para (?:seguir|continuar) leyendo", r"ya eres suscriptor", r"contenido exclusivo para suscriptores",
)
# A consent button's whole label ("Accetta", "Rifiuta", "Accept"): counted only as a button
# or link text, since the bare verbs are ordinary words of an article.
BUTTON = re.compile(r"\s*(accetta|accetto|rifiuta|rifiuto|accept|reject|decline|agree|i agree|akzeptieren|ablehnen|"
                    r"zustimmen|accepter|refuser|j'accepte|aceptar|rechazar|acepto)(?: (?:tutt[eio]|all|tout|todo|alle))?"
                    r"\s*[.!…]*\s*", re.I)
_BUTTONS = "//button | //a | //*[@role='button'] | //input[@type='button' or @type='submit']"
# Markup that names the wall (consent managers, challenge forms).
_MARKUP = {
    "consent": re.compile(r"cookie|consent|gdpr|\bcmp\b|iubenda|didomi|onetrust|quantcast|qc-cmp|cookiebot|usercentrics", re.I),
    "bot": re.compile(r"challenge|captcha|cf-|turnstile|px-captcha|distil", re.I),
}


@dataclass
class Signals:
    hits: dict[str, set[str]] = field(default_factory=dict)  # kind → distinct phrases seen on the page
    markup: set[str] = field(default_factory=set)  # kinds named by ids/classes
    not_free: bool = False  # JSON-LD isAccessibleForFree = false
    password_field: bool = False
    paywall_in_article: bool = False  # a paywall phrase inside the article container


@dataclass
class Wall:
    kind: str  # consent, login, bot, paywall
    reason: str


# Stems one of which every phrase of a kind contains: a page without any is not searched with
# that kind's expressions (plain substring search is far cheaper than the alternations).
STEMS = {
    "consent": ("cookie", "accett", "rifiut", "accept", "reject", "preferen", "privacy", "akzeptier", "ablehn",
                "einstellungen", "tout ", "g\u00e9rer", "gerer", "aceptar", "rechazar", "gestion", "gestisci", "informativa", "senza pubblicit"),
    "login": ("accedi", "effettua", "registrati", "log in", "login", "sign in", "signin", "account", "anmelden",
              "melden sie", "connectez", "inicia"),
    "bot": ("browser", "moment", "human", "robot", "javascript", "cookies", "attention", "ddos", "interruption",
            "incapsula", "denied", "umano", "sicherheits", "navigat", "navegador", "v\u00e9rification", "verification"),
    "paywall": ("abbona", "leggere", "riservat", "sblocca", "subscri", "unlock", "weiterlesen", "abonn",
                "suscr", "exclusivo"),
}
# the same searches without re.I's cost (extract.fold): same matches
_KINDS = tuple((kind, Folded(pattern)) for kind, pattern in
               (("consent", CONSENT), ("login", LOGIN), ("bot", BOT), ("paywall", PAYWALL)))
_MARKUP_FOLDED = {kind: Folded(pattern) for kind, pattern in _MARKUP.items()}
# the words of each _MARKUP alternation: a text holding none of them (lower-cased) is not searched
_MARKUP_WORDS = {kind: tuple(w.replace(r"\b", "") for w in pattern.pattern.split("|")) for kind, pattern in _MARKUP.items()}
assert all(re.fullmatch(r"[a-z-]+", w) for words in _MARKUP_WORDS.values() for w in words)


def _visible_text(tree: lxml_html.HtmlElement) -> str:
    """The page's text without scripts, styles and the like (the tree is changed: it is a copy
    of the page's own)."""
    etree.strip_elements(tree, "script", "style", "noscript", "template", "svg", etree.Comment, with_tail=False)
    return _squeeze(text_of(tree)[: SCAN_CHARS * 2])[:SCAN_CHARS]


def _squeeze(text: str) -> str:
    """``re.sub(r"\\s+", " ", text)``, by str.split (re's ``\\s`` is what str.isspace() calls space):
    each run of white space one space, a run at either end included."""
    words = text.split()
    if not words:
        return " " if text else ""
    out = " ".join(words)
    if text[0].isspace():
        out = " " + out
    if text[-1].isspace():
        out += " "
    return out


def _not_free(nodes: list[dict]) -> bool:
    for node in nodes:
        free = node.get("isAccessibleForFree")
        if isinstance(free, str):
            free = free.strip().lower() not in ("false", "no", "0")
        if free is False:
            return True
    return False


def scan(tree: lxml_html.HtmlElement, nodes: list[dict]) -> Signals:
    """What the page shows of walls. ``tree`` is the page as served, parsed for this (it is
    changed: scripts and styles are dropped)."""
    text = _visible_text(tree)
    low = text.lower()
    signals = Signals(not_free=_not_free(nodes))
    for kind, pattern in _KINDS:
        if not any(stem in low for stem in STEMS[kind]):
            continue
        found = {m.group(0).lower() for m in pattern.finditer(text, low)}
        if found:
            signals.hits[kind] = found
    names = " ".join(tree.xpath("//@id | //@class")[:3000])
    labels = {" ".join(text_of(b).split() or [b.get("value") or ""]).lower() for b in tree.xpath(_BUTTONS)[:2000]}
    buttons = {label for label in labels if label and BUTTON.fullmatch(label)}
    if buttons:
        signals.hits.setdefault("consent", set()).update(buttons)
    names_low = names.lower()
    unfolded = not fold_safe(names)  # (then re.I itself decides)
    signals.markup = {kind for kind, pattern in _MARKUP_FOLDED.items()
                      if (unfolded or any(word in names_low for word in _MARKUP_WORDS[kind]))
                      and pattern.search(names, names_low)}
    signals.password_field = bool(tree.xpath("//input[@type='password']"))
    if "paywall" in signals.hits:
        containers = tree.xpath("//article | //*[@itemprop='articleBody'] | //main")[:5]
        signals.paywall_in_article = any(PAYWALL.search(" ".join(text_of(c).split())) for c in containers)
    return signals


def _wall_words(paragraph: str) -> bool:
    """The paragraph holds a phrase of one of the walls' vocabularies (CONSENT, LOGIN, BOT,
    PAYWALL); a kind's expressions are searched only where one of its stems is."""
    low = paragraph.lower()
    return any(any(stem in low for stem in STEMS[kind]) and pattern.search(paragraph, low) for kind, pattern in _KINDS)


def _content(body: str) -> str:
    """The body without the paragraphs written in wall vocabulary."""
    kept = [p for p in re.split(r"\n\s*\n|\n", body or "")
            if p.strip() and not BUTTON.fullmatch(p) and not _wall_words(p)]
    return "\n".join(kept).strip()


def verdict(signals: Signals, body: str) -> Wall | None:
    """A wall when the vocabulary and the body agree; None for anything with an article in it."""
    content = len(_content(body))
    hits = signals.hits
    if content < WALL_MAX_CONTENT:
        if hits.get("bot") and (len(hits["bot"]) >= 2 or "bot" in signals.markup or content < 80):
            return Wall("bot", f"bot check: {_names(hits['bot'])}")
        if hits.get("login") and (signals.password_field or content < 80 or len(hits["login"]) >= 2):
            return Wall("login", f"login wall: {_names(hits['login'])}")
        if hits.get("consent") and (len(hits["consent"]) >= 2 or "consent" in signals.markup or content < 80):
            return Wall("consent", f"consent wall: {_names(hits['consent'])}")
    paywall = hits.get("paywall", set())
    # a teaser: little text, and the page says the rest is for subscribers
    named = ", ".join(filter(None, [_names(paywall), "isAccessibleForFree=false" if signals.not_free else ""]))
    if content < TEASER_SHORT and (paywall or signals.not_free):
        return Wall("paywall", f"paywall teaser: {named}")
    if content < TEASER_MAX_CONTENT and paywall and (signals.not_free or signals.paywall_in_article):
        return Wall("paywall", f"paywall teaser: {named}")
    return None


def _names(found: set[str]) -> str:
    return ", ".join(f'"{p}"' for p in sorted(found)[:3])


def detect(tree: lxml_html.HtmlElement | None, nodes: list[dict], body: str) -> Wall | None:
    if tree is None or len(body or "") >= SCAN_BELOW:
        return None
    return verdict(scan(tree, nodes), body)
