"""Boilerplate: paragraphs and page parts that are never article text.

Two levels, both general (no rule is written for one page or one site):

* ``NOISE_XPATHS``: containers removed from the page before the body is extracted (comment
  sections, "related"/"leggi anche" boxes, share bars, newsletter and cookie boxes, ad slots,
  standings and betting widgets), in addition to what trafilatura already prunes;
* ``is_boilerplate_paragraph``: a paragraph of extracted text that is boilerplate by itself
  ("Leggi anche: …", "© RIPRODUZIONE RISERVATA", "Seguici su Google News", "Advertisement",
  "Sign up for …", photo credits, comment-policy notes, reading times …).

``normalize_paragraph`` is the one normalisation used for learned boilerplate: a paragraph
whose normalised form is in the learned set is dropped (see ``extract.body.extract_body``).

Each rule carries a name, so that ``benchmarks/extraction_quality.py`` can be run with a rule
switched off (``BOILERPLATE_DISABLED``) to measure what it brings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# --------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class ParagraphRule:
    name: str
    pattern: re.Pattern
    languages: frozenset[str] | None = None  # None: any language
    max_words: int = 40  # a longer paragraph is never dropped by this rule


def _rule(name: str, regex: str, languages: str | None = None, max_words: int = 40) -> ParagraphRule:
    langs = frozenset(languages.split(",")) if languages else None
    return ParagraphRule(name, re.compile(regex, re.IGNORECASE | re.UNICODE), langs, max_words)


# A paragraph is boilerplate when one rule matches it (re.search on the stripped paragraph).
PARAGRAPH_RULES: tuple[ParagraphRule, ...] = (
    # --- Italian
    _rule("it_read_also",
          r"^[\W_]*(leggi|vedi|guarda|ascolta)\s+(anche|pure|qui|l'articolo|il video|la gallery|le foto|la fotogallery)\b",
          "it"),
    _rule("it_related",
          r"^[\W_]*(articoli|notizie|news|contenuti)\s+correlat[ei]\b|^[\W_]*correlat[ie]\s*[:»>]?\s*$|"
          r"^[\W_]*(potrebbe|ti potrebbe|potrebbero|ti potrebbero)\s+(anche\s+)?interessar|"
          r"^[\W_]*(ti consigliamo|da non perdere|non perderti|altre notizie|ultime notizie|"
          r"le ultime notizie|i più letti|più letti|di più in|altro da|approfondisci)\b",
          "it"),
    _rule("it_copyright", r"riproduzione\s+riservata|tutti i diritti (sono )?riservati", "it", 25),
    _rule("it_follow",
          r"^[\W_]*(seguici|segui(teci)?|resta aggiornato|rimani aggiornato|per (restare|rimanere) aggiornat)\b|"
          r"\bsu google news\b|\biscriviti\s+(al|alla|ai|al nostro|alla nostra)\s+(canale|newsletter|gruppo|feed)|"
          r"\b(canale|gruppo)\s+(whatsapp|telegram)\b",
          "it", 30),
    _rule("it_advert", r"^[\W_]*(annuncio pubblicitario|pubblicit[àa]|contenuto sponsorizzato|sponsorizzato|"
                       r"articolo sponsorizzato|in collaborazione con|publiredazionale)[\W_]*$", "it"),
    _rule("it_comments",
          r"^[\W_]*(\d+\s+)?commenti?[\W_]*$|^[\W_]*(lascia|scrivi|aggiungi)\s+un\s+commento|"
          r"\bi commenti (sono|vengono|saranno) (moderati|sottoposti)|per (poter )?commentare\b|"
          r"\bcommenti (offensivi|non pertinenti)|\b(regolamento|policy) (dei|per i) commenti",
          "it"),
    _rule("it_read_count", r"\b(articolo )?letto\s+[\d.]+\s+volte\b|^[\W_]*[\d.]+\s+(visualizzazioni|letture)[\W_]*$",
          "it", 12),
    _rule("it_poll", r"^[\W_]*(sondaggio|vota( ora| anche tu)?|hai votato|risultati del sondaggio|"
                     r"qual è il tuo voto|esprimi il tuo voto)\b", "it", 15),
    _rule("it_betting", r"\b(il gioco (può causare|crea) dipendenza|gioca (il )?responsabil|gioco responsabile|"
                        r"quote (scommesse|snai|sisal|eurobet|goldbet|bet365|betflag)|scommetti (ora|su)|"
                        r"bonus (di )?benvenuto)\b|\b18\+\s*(adm|gioca)", "it", 30),
    _rule("it_reading_time", r"^[\W_]*(tempo (di|stimato di) lettura|lettura:?\s*\d+\s*min|\d+\s+min(uti|\.)?\s+(di )?lettura)\b",
          "it", 10),
    _rule("it_tags", r"^[\W_]*(tag|tags|argomenti|parole chiave)\s*:", "it", 30),
    _rule("it_share", r"^[\W_]*(condividi|condividi su|condividi l'articolo|invia per email|stampa)[\W_]*$", "it"),
    _rule("it_source_credit", r"^[\W_]*(fonte|fonti|foto|crediti|credit[is]?|ph\.?|immagine)\s*(:|©|\()[^.!?]{0,80}$",
          "it", 12),
    _rule("it_cookie", r"\b(questo sito (web )?utilizza (i )?cookie|utilizziamo (i )?cookie|accetta (tutti i )?cookie)",
          "it", 60),
    _rule("it_nav", r"^[\W_]*(torna (su|all'inizio|alla home)|continua a leggere|clicca qui|scopri di più|"
                    r"leggi (tutto|l'articolo completo|di più)|carica altri)[\W_]*$", "it"),
    # --- English
    _rule("en_read_more",
          r"^[\W_]*(read|see|watch|listen to)\s+(more|also|next|the full story)\s*(:|>+|»|\||[-–—])\s*\S|"
          r"^[\W_]*(read|see|watch) (more|also|next)[\W_]*$|^[\W_]*(click here|continue reading)[\W_]*$",
          "en"),
    _rule("en_related",
          r"^[\W_]*(related|recommended|trending|popular|most (read|popular|viewed)|more from|more stories|"
          r"top stories|also on \S+|(you|we think you) (may|might|could) (also )?(like|enjoy)|don'?t miss|"
          r"editor'?s picks?|further reading|more (news|stories|coverage))\b",
          "en"),
    _rule("en_subscribe",
          r"^[\W_]*(sign up|subscribe|register)\b.{0,80}\b(newsletters?|inbox|updates|alerts|briefing)\b|"
          r"\bnewsletters?\b.{0,80}\b(inbox|sign up|subscrib)|\b(inbox|sign up|subscrib\w*)\b.{0,80}\bnewsletters?\b|"
          r"^[\W_]*(sign up|subscribe)( now| today| here)?[\W_]*$",
          "en", 45),
    _rule("en_follow",
          r"^[\W_]*follow (us|\S+( \S+)?) on (twitter|facebook|instagram|linkedin|youtube)\b|"
          r"^[\W_]*(like|share) (this|the) (story|article|post)\b|^[\W_]*share( on| this)?( (facebook|twitter|whatsapp|email))?[\W_]*$",
          "en", 30),
    _rule("en_advert", r"^[\W_]*(advertisement|advertising|sponsored( content)?|ad|promoted|story continues below( advertisement)?)[\W_]*$",
          "en"),
    _rule("en_comments", r"^[\W_]*(\d+\s+)?comments?[\W_]*$|^[\W_]*(leave|post|add|view) (a |the )?comments?\b|"
                         r"^[\W_]*tell us what you think\b|^[\W_]*join the (conversation|discussion)\b",
          "en"),
    _rule("en_credits",
          r"contributed (reporting|to this (report|story|article))|^[\W_]*\(?(additional )?reporting by\b|"
          r"^[\W_]*\(?(writing|editing|edited|compiled) by\b|^[\W_]*with (post|ap|afp|reuters|wire) wires\b|"
          r"\bmay be reached at\b|^[\W_]*(e-?mail|reach|contact) (the (author|reporter|writer)s?|\S+ \S+) (at|on)\b",
          "en", 45),
    _rule("en_copyright", r"^[\W_]*(copyright|©)\s*(\d{4}|\w)|\ball rights reserved\b|"
                          r"this (copy|material) (is for your personal|may not be published)",
          "en", 40),
    _rule("en_reading_time", r"^[\W_]*(\d+\s+min(ute)?s?\s+read|reading time\s*:?)\b", "en", 10),
    _rule("en_tags", r"^[\W_]*(tags|topics|filed under)\s*:", "en", 30),
    _rule("en_source", r"^[\W_]*source\s*:\s*[^.!?]{0,60}$", "en", 10),
    # --- any language
    _rule("dateline",
          r"^[\W_]*(pubblicato|aggiornato|ultimo aggiornamento|modificato|updated|published|posted|last updated|"
          r"publicado|atualizado)\b[^.!?]{0,60}\d[^.!?]{0,40}$",
          None, 14),
    _rule("photo_credit", r"^[\W_]*\(?(photo|image|foto|picture|getty images|credit)s?( credit)?\s*[:©]\s*[^.!?]{0,80}\)?$",
          None, 12),
    _rule("copyright_only", r"^[\W_]*(©|\(c\)|copyright)\s*[\w .,&-]{0,60}$", None, 10),
    _rule("reading_time_pt", r"^[\W_]*tempo de leitura\b", "pt", 10),
)

# rules whose match announces a list of links ("Related:", "Leggi anche", "DON'T MISS"): the
# title-like lines right after such a marker are dropped with it (see extract.body)
MARKER_RULES = frozenset({"it_read_also", "it_related", "en_read_more", "en_related"})

_MONTHS = (
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|"
    "gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
)
_WEEKDAYS = (
    "lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|lunedi|martedi|mercoledi|giovedi|venerdi|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    "segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo"
)
_DATE_WORDS = re.compile(
    rf"\b({_MONTHS}|{_WEEKDAYS}|\d+(st|nd|rd|th)?|am|pm|a\.m|p\.m|ore|alle|at|de|di|del|às|h|gmt|utc|cet|cest|"
    rf"[ecpm][sd]?t|amt|bst|ist|il|on|the|of|feira)\b",
    re.IGNORECASE,
)


def is_dateline(text: str) -> bool:
    """A short line that is only a date and/or a time ("22 novembre 2016 - 10:30", "Nov. 18, 2019 4:10 PM ET")."""
    words = text.split()
    if not words or len(words) > 12 or not re.search(r"\d", text):
        return False
    rest = _DATE_WORDS.sub(" ", text)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) == 0


# names of rules switched off (for measurement, by the benchmark: never set in production code)
BOILERPLATE_DISABLED: set[str] = set()


def normalize_paragraph(text: str) -> str:
    """The normalised form of a paragraph: NFKC, case-folded, one space between words, no edge punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = " ".join(text.split())
    return text.strip(" \t\n\"'«»“”‘’.,;:!?-–—>|•*·")


def _applies(rule: ParagraphRule, language: str | None) -> bool:
    return rule.languages is None or language is None or language in rule.languages


def matching_rule(text: str, language: str | None = None) -> str | None:
    """Name of the first rule that marks ``text`` as boilerplate, or None."""
    stripped = " ".join(text.split())
    if not stripped:
        return None
    lang = (language or "").lower()[:2] or None
    words = len(stripped.split())
    for rule in PARAGRAPH_RULES:
        if words > rule.max_words or rule.name in BOILERPLATE_DISABLED or not _applies(rule, lang):
            continue
        if rule.pattern.search(stripped):
            return rule.name
    return None


def is_boilerplate_paragraph(text: str, language: str | None = None) -> bool:
    """True when ``text`` (one paragraph) is boilerplate by itself.

    ``language`` is an ISO 639-1 code; rules written for another language are skipped, all rules
    apply when it is None.
    """
    return matching_rule(text, language) is not None


# --------------------------------------------------------------------------- page parts

_RE = {"re": "http://exslt.org/regular-expressions"}

# class/id tokens of containers that hold no article text. trafilatura already drops many English
# names (share, social, newsletter, related, comment lists, sidebar, banner …); these add Italian
# ones and common widgets it keeps. Each pattern is searched in ONE class token (or the id).
NOISE_TOKEN_PATTERNS: dict[str, str] = {
    "comments": r"^(comments?|commenti|commento)([-_].*)?$|[-_](comments?|commenti)$|disqus|^respond$",
    "related": r"related|correlat|leggi-?anche|read-?(also|next)|more-?(news|articles|stories|from)|"
               r"di-?piu|potrebbe-?interessar|you-?may-?like|recommend|consigliat|altri-?articoli",
    "ads": r"^(ad|ads|adv|advs|dfp|gpt|adunit|adslot)$|^(ad|adv|ads)[-_]|[-_](ad|adv|ads)$|advert|pubblicit|"
           r"adsense|ad-?slot|ad-?unit|gpt-ad|sponsor",
    "widgets": r"classifica|standings|sondaggio|^polls?$|^poll[-_]|[-_]polls?$|scommess|betting|^odds|[-_]odds",
    "newsletter": r"newsletter|iscriviti|subscribe|signup|sign-up",
    "consent": r"cookie|consent|gdpr|privacy-?banner|iubenda",
    "share": r"condividi|share|sharing|^social|[-_]social",
    "tags": r"^tags?$|^tags?[-_]?(list|cloud|links|box|container|wrap)|^(post|article|entry)[-_]?tags",
    "recirculation": r"outbrain|taboola|mgid|zergnet",
    "breadcrumb": r"breadcrumb",
}

# a class token naming the article itself or a layout wrapper is never noise, whatever else it says
_PROTECT_RE = re.compile(
    r"(^|[-_])(content|body|text|entry|main|wrap|wrapper|wrp|container|page|single|layout|pusher|site|canvas)([-_]|$)",
    re.IGNORECASE,
)
# a container holding more than this share of the page's text is a wrapper, not a widget
MAX_NOISE_SHARE = 0.5

NOISE_DISABLED: set[str] = set()
_NOISE_TAGS = ("div", "section", "aside", "ul", "ol", "nav", "form")


def _noise_re() -> re.Pattern:
    active = [f"(?:{p})" for name, p in NOISE_TOKEN_PATTERNS.items() if name not in NOISE_DISABLED]
    return re.compile("|".join(active) or "(?!)", re.IGNORECASE)


def _is_noise_name(value: str | None, rx: re.Pattern) -> bool:
    if not value:
        return False
    for token in value.split():
        if rx.search(token) and not _PROTECT_RE.search(token):
            return True
    return False


def find_noise_containers(tree) -> list:
    """Outermost containers whose class or id names them as noise and that hold a small share of the text."""
    rx = _noise_re()
    candidates = []
    for el in tree.iter(_NOISE_TAGS):
        if _is_noise_name(el.get("class"), rx) or _is_noise_name(el.get("id"), rx):
            candidates.append(el)
    if not candidates:
        return []
    body = tree.find("body")
    total = len((body if body is not None else tree).text_content()) or 1
    chosen = set()
    found = []
    for el in candidates:  # document order: an ancestor comes before its descendants
        if any(a in chosen for a in el.iterancestors()):
            continue
        if len(el.text_content()) > MAX_NOISE_SHARE * total:
            continue
        chosen.add(el)
        found.append(el)
    return found
