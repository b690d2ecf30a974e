"""Boilerplate: paragraphs and page parts that are never article text.

Two levels, both general (no rule is written for one page or one site):

* ``find_noise_containers``: containers removed from the page before the body is extracted,
  found by the class/id tokens of ``NOISE_TOKEN_PATTERNS`` (comment sections, "related"/"leggi
  anche" boxes, share bars, newsletter and cookie boxes, ad slots, standings, polls and betting
  widgets, hover cards), in addition to what trafilatura already prunes;
* ``is_boilerplate_paragraph``: a paragraph of extracted text that is boilerplate by itself
  ("Leggi anche: …", "© RIPRODUZIONE RISERVATA", "Seguici su Google News", "Advertisement",
  "Sign up for …", photo credits, comment-policy notes, reading times …).

``normalize_paragraph`` is the one normalisation used for learned boilerplate: a paragraph
whose normalised form is in the learned set is dropped (see ``extract.body.extract_body``).

Each rule carries a name, so that ``benchmarks/extraction_quality.py`` can be run with a rule
switched off (``BOILERPLATE_DISABLED``, ``NOISE_DISABLED``) to measure what it brings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .fold import Folded
from .fold import safe as fold_safe
from .texts import text_of


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


# A paragraph is boilerplate when one rule matches it (re.search on the paragraph, whitespace
# collapsed). Rules anchored at both ends ("the whole line is a label") are safe in any language;
# rules on a prefix or a phrase are tied to the language they are written in.
PARAGRAPH_RULES: tuple[ParagraphRule, ...] = (
    # --- Italian
    _rule("it_read_also",
          r"^[\W_]*(leggi|vedi|guarda|ascolta|scopri)\s+(anche|pure|qui|l'articolo|il video|la gallery|le foto|"
          r"la fotogallery|tutte le)\b",
          "it"),
    _rule("it_related",
          r"^[\W_]*(articoli|notizie|news|contenuti|post)\s+correlat[ei]\b|^[\W_]*correlat[ie]\s*[:»>]?\s*$|"
          r"^[\W_]*(potrebbe|ti potrebbe|potrebbero|ti potrebbero)\s+(anche\s+)?interessar|"
          r"^[\W_]*(ti consigliamo|da non perdere|non perderti|altre notizie|ultime notizie|"
          r"le ultime notizie|i più letti|più letti|di più in|altro da|approfondisci)\b|"
          r"^[\W_]*(in evidenza|primo piano|ultim'ora|i più visti|più visti|le più lette)[\W_]*$",
          "it", 20),
    _rule("it_copyright", r"riproduzione\s+(\w+\s+)?riservata|tutti i diritti (sono )?riservati", "it", 25),
    _rule("it_follow",
          r"^[\W_]*(seguici|seguiteci)\b|^[\W_]*((rest[ai]|rimani|per (restare|rimanere)) (sempre )?aggiornat\w*)|"
          r"^[\W_]*(segui|unisciti)\b.{0,60}\b(su|sui|sul|al|alla)\s+(google|facebook|instagram|twitter|x|telegram|"
          r"whatsapp|tiktok|youtube|threads|nostr[oi]|canale|social|pagina)\b|"
          r"\bsu google news\b|\biscriviti\s+(subito\s+)?(al|alla|ai|al nostro|alla nostra)\s+(canale|newsletter|gruppo|feed)|"
          r"\b(canale|gruppo|community)\s+(whatsapp|telegram)\b",
          "it", 30),
    _rule("it_advert", r"^[\W_]*(annuncio pubblicitario|annuncio|pubblicit[àa]|contenuto sponsorizzato|sponsorizzato|"
                       r"articolo sponsorizzato|publiredazionale|informazione pubblicitaria)[\W_]*$", "it"),
    _rule("it_comments",
          r"^[\W_]*(\d+\s+)?commenti?[\W_]*$|^[\W_]*(lascia|scrivi|aggiungi|invia)\s+(un|il tuo)\s+commento|"
          r"\bi commenti (sono|vengono|saranno) (moderati|sottoposti|pubblicati)|per (poter )?commentare\b|"
          r"\bcommenti (offensivi|non pertinenti)|\b(regolamento|policy) (dei|per i) commenti|"
          r"^[\W_]*(accedi|registrati) per commentare|^[\W_]*(commenta per primo|nessun commento)",
          "it"),
    _rule("it_read_count", r"\b(articolo )?letto\s+[\d.]+\s+volte\b|^[\W_]*[\d.]+\s+(visualizzazioni|letture)[\W_]*$",
          "it", 12),
    _rule("it_poll", r"^[\W_]*(sondaggio|vota( ora| anche tu| qui)?|hai votato|risultati del sondaggio|"
                     r"qual è il tuo voto|esprimi il tuo voto|il tuo voto)\b", "it", 15),
    _rule("it_betting", r"\bgioco\b.{0,40}\b(dipendenza|vietato ai minori)|\bvietato ai minori\b.{0,40}\bgioco|"
                        r"\bgioca (in modo )?responsabil|\bgioco responsabile|"
                        r"\bquote (scommesse|snai|sisal|eurobet|goldbet|bet365|betflag|lottomatica|aggiornate)|"
                        r"\bscommetti (ora|subito|su)\b|\bbonus (di )?benvenuto\b|\b18\+\s*(adm|gioca)|"
                        r"^(?=.*\d[.,]\d\d\b.*\d[.,]\d\d\b)[\W_]*(le )?quote\b",
          "it", 30),
    _rule("it_reading_time", r"^[\W_]*(tempo (di|stimato di) lettura|lettura:?\s*\d+\s*min|\d+\s+min(uti|\.)?\s+(di )?lettura)\b",
          "it", 10),
    _rule("it_tags", r"^[\W_]*(tag|tags|argomenti|parole chiave)\s*:", "it", 30),
    _rule("it_share", r"^[\W_]*(condividi|condividi su \w+|condividi l'articolo|invia per email|stampa|"
                      r"copia link|link copiato)[\W_]*$", "it"),
    _rule("it_source_credit", r"^[\W_]*(fonte|fonti|foto|crediti|credit[is]?|ph\.?|immagine)\s*(:|©|\()[^.!?]{0,80}$",
          "it", 12),
    _rule("it_cookie", r"\b(questo sito (web )?utilizza (i )?cookie|utilizziamo (i )?cookie|accetta (tutti i )?cookie)",
          "it", 60),
    _rule("it_nav", r"^[\W_]*(torna (su|all'inizio|alla home)|continua a leggere|clicca qui|scopri di più|"
                    r"leggi (tutto|l'articolo completo|di più)|carica altri|mostra altri)[\W_]*$|"
                    r"^[\W_]*(clicca qui|continua a leggere)\b|^.{0,40}\b(collabora|lavora) con noi[\W_]*$",
          "it", 15),
    _rule("it_embed", r"^[\W_]*(visualizza questo post su (instagram|facebook)|un post condiviso da)\b", "it", 20),
    # --- English
    _rule("en_read_more",
          r"^[\W_]*(read|see|watch|listen to)\s+(more|also|next|the full story)\s*(:|>+|»|\||[-–—])\s*\S",
          "en"),
    _rule("en_related",
          r"^[\W_]*(related( articles| stories| coverage| content| posts?| reading| links| video)?|"
          r"recommended( for you| stories| reading| videos?)?|trending( now| stories)?|popular( now| stories)?|"
          r"most (read|popular|viewed|shared)( in [\w ]{1,30})?|more from [\w .]{1,30}|more stories|top stories|"
          r"(you|we think you) (may|might|could|will) (also )?(like|enjoy)|don'?t miss|editor'?s picks?|"
          r"further reading|more (news|stories|coverage|on this( story| topic)?)|(see|read) also)"
          r"(\s*[:|»>–—-].*|[\W_]*)$|^[\W_]*also on [\w.]+\.[a-z]{2,}\b",
          "en", 30),
    _rule("en_subscribe",
          r"^[\W_]*(sign up|subscribe|register)\b.{0,80}\b(newsletters?|inbox|updates|alerts|briefing)\b|"
          r"\bnewsletters?\b.{0,80}\b(inbox|sign up|subscrib)|\b(inbox|sign up|subscrib\w*)\b.{0,80}\bnewsletters?\b",
          "en", 45),
    _rule("en_follow",
          r"^[\W_]*follow (us|\S+( \S+)?) on (twitter|facebook|instagram|linkedin|youtube)\b|"
          r"^[\W_]*(like|share) (this|the) (story|article|post)\b",
          "en", 30),
    _rule("en_comments", r"^[\W_]*(leave|post|add|view) (a |the )?comments?\b|"
                         r"^[\W_]*tell us what you think\b|^[\W_]*join the (conversation|discussion)\b",
          "en"),
    _rule("en_credits",
          r"contributed (reporting|to this (report|story|article))|^[\W_]*\(?(additional )?reporting by\b|"
          r"^[\W_]*\(?(writing|editing|edited|compiled) by\b|^[\W_]*with (post|ap|afp|reuters|wire) wires\b|"
          r"\bmay be reached at\b|^[\W_]*(e-?mail|reach|contact) (the (author|reporter|writer|columnist)s?|him|her|them|us) "
          r"(at|on|via)\b|^[\W_]*e-?mail\b.{0,40}@\w",
          "en", 45),
    _rule("en_copyright", r"^[\W_]*(copyright\s*(©|\(c\))?\s*\d{4}|©\s*\w)|\ball rights reserved\b|"
                          r"this (copy|material) (is for your personal|may not be published)",
          "en", 40),
    _rule("en_reading_time", r"^[\W_]*(\d+\s+min(ute)?s?\s+read|reading time\s*:?)\b", "en", 10),
    _rule("en_tags", r"^[\W_]*(tags|topics|filed under)\s*:", "en", 30),
    _rule("en_source", r"^[\W_]*source\s*:\s*[^.!?]{0,60}$", "en", 10),
    _rule("en_embed", r"^[\W_]*(view this post on instagram|a post shared by)\b", "en", 20),
    # --- German, French, Spanish, Portuguese, Polish: the same kinds of line (read also, related,
    # newsletter and comment prompts, picture credits), each tied to its language
    _rule("de_read_also",
          r"^[\W_]*(lesen sie (auch|mehr|hier|weiter)|lies auch|auch (interessant|lesen|spannend)|ebenfalls interessant|"
          r"(das|dieses) (thema|könnte) (könnte )?(sie|dich) (auch )?interessieren|das könnte (sie|dich) (auch )?interessieren|"
          r"mehr (zum thema|zu diesem thema|themen|dazu|artikel|nachrichten)|weitere (themen|artikel|beiträge|nachrichten|"
          r"aktuelle themen|meldungen)|(zum )?weiterlesen|schon gelesen|empfohlene (beiträge|artikel)|"
          r"(verwandte|ähnliche|passende) (artikel|beiträge|themen)|meistgelesen|meistkommentiert|meistgeteilt|"
          r"top-themen|vorschau auf den nächsten artikel)\b",
          "de", 20),
    _rule("de_prompts",
          r"\bnewsletter\b.{0,60}\b(anmelden|abonnieren|bestellen)\b|^[\W_]*(zum|jetzt (zum|für den)) newsletter\b|"
          r"^[\W_]*folgen sie uns\b|^[\W_]*(keine|\d+) kommentare?[\W_]*$|^[\W_]*kommentar (schreiben|verfassen)\b|"
          r"\b(nicht )?eingeloggt\b.{0,40}\bkommentar|um (einen )?kommentare? (zu )?(schreiben|verfassen)|"
          r"^[\W_]*sie sind (aktuell )?nicht eingeloggt",
          "de", 25),
    _rule("de_credits", r"^[\W_]*(titelbild|beitragsbild|bildquelle|bildnachweis|bild|fotos?|quelle)\s*:\s*[^.!?]{0,80}$|"
                        r"^[\W_]*(titelbild|beitragsbild)[\W_]*$",
          "de", 12),
    _rule("fr_read_also",
          r"^[\W_]*(à lire aussi|a lire aussi|lire aussi|à voir aussi|voir aussi|sur le même sujet|"
          r"articles? (similaires|liés|connexes|recommandés)|les plus lus|dans la même rubrique|découvrez aussi)\b",
          "fr", 20),
    _rule("fr_credits", r"^[\W_]*(crédits? photos?|photos?|illustration)\s*:\s*[^.!?]{0,80}$|^[\W_]*image (d')?illustrative?[\W_]*$",
          "fr", 12),
    _rule("es_read_also",
          r"^[\W_]*((lea|lee) (también|además|más)|(le|te) puede interesar|también te puede interesar|"
          r"(notas|noticias|artículos|contenidos?) relacionad[oa]s|más noticias|ver también|te recomendamos)\b|"
          r"^[\W_]*(lea|lee|mira|puedes ver|ver más|le puede interesar)\s*:",
          "es", 25),
    _rule("pt_read_also", r"^[\W_]*(leia (também|mais)|veja (também|mais)|saiba mais|(notícias|matérias) relacionadas)\b",
          "pt", 20),
    _rule("pl_read_also",
          r"^[\W_]*(czytaj (też|także|również|więcej)|zobacz (też|także|również)|przeczytaj (też|także|również)|"
          r"polecamy|dowiedz się więcej)\b|\bten tekst przeczytasz w\b",
          "pl", 20),
    # --- any language: whole-line labels and credits
    _rule("advert_label", r"^[\W_]*(advertisement|advertising|ads?|adv|sponsored( content)?|promoted|"
                          r"story continues below( advertisement)?|annuncio pubblicitario|pubblicit[àa])[\W_]*$"),
    _rule("ui_label", r"^[\W_]*((read|see|view) (more|all)|click here|continue reading|(\d+\s+)?comments?|"
                      r"share( on| this)?( (facebook|twitter|whatsapp|email|x))?|sign up|subscribe( now| today)?|"
                      r"tags?|print|e-?mail|facebook|twitter|whatsapp|telegram|linkedin|instagram|pinterest)[\W_]*$"),
    _rule("photo_credit", r"^[\W_]*\(?(photo|image|foto|picture|credit)s?( credit)?\s*[:©]\s*[^.!?]{0,80}\)?$",
          None, 12),
    _rule("photo_agency", r"^[\W_]*((foto|photo|ph|credits?)\b\.?\s*[:©]?\s*)?((getty\s*images|lapresse|la presse|ansa|imago|afp|reuters|ap photo|"
                          r"shutterstock|image photo agency|sportphoto24|ciamillo-castoria)"
                          r"([\W_]+|$)){1,4}$"),
    _rule("copyright_only", r"^[\W_]*(©|\(c\)|copyright\s*(©|\(c\)|\d{4}))\s*[\w .,&-]{0,60}$", None, 10),
    _rule("odds_line", r"^[\W_]*((1|x|2|1x|x2|12|gg|ng|goal|no goal|over|under)( \d[.,]5)?\s*[:=]?\s*\d{1,3}[.,]\d\d\b"
                       r"[\s|/,;-]*){2,}[\W_]*$", None, 30),
    _rule("shortcode", r"\[/[a-z_]+\]|^\[[a-z_]+\s+[a-z_]+=", None, 60),  # unrendered WordPress shortcodes
    _rule("reading_time_pt", r"^[\W_]*tempo de leitura\b", "pt", 10),
    # --- embedded posts: the fallback text of each platform's embed code (any language)
    _rule("embed_tweet",
          r"\bpic\.twitter\.com/\w+|"
          r"[—–-]\s*[^()—–]{1,80}\(@\w{1,15}\)\s+(\w+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\w+\.?\s+\d{4})\s*$",
          None, 90),
    _rule("embed_post",
          r"^[\W_]*(view this (post|video|photo|reel|profile) on \w+|visualizza questo (post|video|reel|profilo) su \w+|"
          r"a (post|video|photo|reel) shared by\b|un (post|video|reel) condiviso da\b|"
          r"watch (this video )?on youtube|guarda (questo video )?su youtube|"
          r"posted by .{1,60} on (monday|tuesday|wednesday|thursday|friday|saturday|sunday),|"
          r"pubblicato da .{1,60} su (luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica)\b)|♬",
          None, 40),
    _rule("embed_consent",
          r"^[\W_]*(this (content|embed|video|post|tweet) is (hosted|provided|served) by|"
          r"to (view|see|display|load) (this|the) (content|video|post|tweet|embed)|"
          r"per (visualizzare|vedere|caricare) (questo|il|i) (contenut[oi]|video|post|tweet)|"
          r"(questo|il) contenuto (è ospitato|proviene) da|(load|show) (the )?(tweet|post|video|content)|"
          r"carica (il )?(contenuto|video|tweet|post))\b",
          None, 45),
    # --- subscription and paywall boxes, promos, audio players (PROMO_RULES below)
    _rule("it_paywall",
          r"\babbonati\b.{0,60}\b(leggere|continuare|accedere|sbloccare|illimitat\w*)|^[\W_]*abbonati( ora| subito)?[\W_]*$|"
          r"\b(sei )?già abbonat[oa]\b|\b(articolo|contenuto) (è )?riservato (agli |ai )?(abbonati|utenti registrati)|"
          r"\bper continuare a leggere\b|\bdisdici (quando vuoi|in qualsiasi momento|senza vincoli)|"
          r"\bprova (gratis|gratuita)\b|\bofferta (lancio|speciale|limitata|riservata|black friday)\b|"
          r"\baccedi (per|e) (continuare|leggere)|\bsblocca (l'articolo|tutti|il contenuto)|"
          r"\babbonamento (digitale|premium|annuale|mensile)\b|^[\W_]*(accedi|registrati|login)[\W_]*$",
          "it", 40),
    _rule("en_paywall",
          r"\bsubscribe\b.{0,50}\b(to (continue|keep) reading|to read|for (full|unlimited)|unlimited access)|"
          r"\balready (a subscriber|subscribed|a member|have an account)\b|\bto continue reading\b|"
          r"\b(this|the) (article|story|content) is (only )?(available|reserved|exclusive)\s+(to|for)\s+(subscribers|members)|"
          r"\bcancel (at )?any ?time\b|\bunlock (this|the full|full|unlimited)\b|\bsubscribers? only\b|"
          r"\bbecome a (member|subscriber)\b|\bstart (your|a) free trial\b|"
          r"^[\W_]*(subscribe|sign in|log in|register)( now| today| to continue)?[\W_]*$",
          "en", 40),
    _rule("price_period",
          r"^[\W_]*(solo |a soli |da |a partire da |only |just |from )?"
          r"((?<![\d.,])\d{1,2}([.,]\d{1,2})?\s*(€|euro|\$|£|eur|usd)|(€|\$|£)\s*\d{1,2}([.,]\d{1,2})?)\s*"
          r"(al|a|per|/|ogni|each)?\s*(mese|settimana|anno|month|week|year|mo|yr)\b",
          None, 20),
    _rule("app_promo",
          r"\bscarica (gratis |subito )?(l'|la nostra |la )?app\b|\bdownload (the|our) .{0,30}\bapp\b|"
          r"\b(disponibile|available) (su|on) (l'|the )?(app store|google play)|^[\W_]*((app store|google play|appgallery)[\W_]*)+$|"
          r"\bget (it|the app) on (google play|the app store)",
          None, 30),
    _rule("channel_promo",
          r"\b(canale|canal|gruppo|channel|group|community) (de )?(whatsapp|telegram)\b|\b(whatsapp|telegram) (channel|canale|group)\b|"
          r"\b(unisciti|entra|iscriviti|join|follow)\b.{0,40}\b(whatsapp|telegram)\b",
          None, 30),
    _rule("streaming_promo",
          r"\b(attiva|abbonati a|prova|scopri|guarda|activate|try|watch|stream)\b.{0,50}\b(dazn|sky( go)?|now( tv)?|"
          r"prime video|paramount\+?|netflix|disney\+|infinity\+?|timvision|rai ?play|espn\+|peacock)\b.{0,60}"
          r"(\d([.,]\d{1,2})?\s*(€|euro|\$)|(€|\$)\s*\d|gratis|free trial|\bora\b|subito|offerta|abbonamento|subscription)",
          None, 30),
    _rule("listen_player",
          r"^[\W_]*(ascolta (l'articolo|questo articolo|la notizia|l'audio|la versione audio)|"
          r"listen to (this|the) (article|story)|audio (dell'articolo|version)|\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2})\b",
          None, 15),
    _rule("cta_button",
          r"^[\W_]*((scopri|vedi|attiva|prova|approfitta)( subito| ora)? (l'offerta|le offerte|dell'offerta|gratis|ora|subito)|"
          r"(see|get|claim) (the |this )?(offer|deal)|start (your )?free trial|try (it )?(for )?free)[\W_]*$",
          None, 8),
    _rule("continue_button",
          r"^[\W_]*(continua a leggere|continue reading|leggi l'articolo completo|read the full (article|story))\b",
          None, 12),
    _rule("photo_byline", r"^[\W_]*\(?(photo|foto|image|picture)s?\s+(by|di|courtesy( of)?)\s+[^.!?]{1,60}\)?$", None, 12),
)

# rules of promo lines: a small block with two or more of them is a promo box (extract.embeds)
PROMO_RULES = frozenset({
    "it_paywall", "en_paywall", "price_period", "app_promo", "channel_promo", "streaming_promo",
    "continue_button", "cta_button", "it_follow", "en_subscribe", "en_follow", "it_nav", "ui_label", "listen_player",
})

_NOT_PROMO = frozenset(r.name for r in PARAGRAPH_RULES if r.name not in PROMO_RULES)

# rules whose match announces a list of links ("Related:", "Leggi anche", "DON'T MISS"): the
# title-like lines right after such a marker are dropped with it (see extract.body)
MARKER_RULES = frozenset({"it_read_also", "it_related", "en_read_more", "en_related", "ui_label",
                          "de_read_also", "fr_read_also", "es_read_also", "pt_read_also", "pl_read_also"})

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


_BYLINE_PART = re.compile(
    r"(?:^|[|·•,\-–—]\s*|\s)(?:di|by|da|a cura di)\s+[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|e|and)){0,5}\s*$"
)


_DATELINE_PREFIX = re.compile(
    r"^[\W_]*(pubblicato|aggiornato|ultimo aggiornamento|modificato|updated|published|posted|last updated|"
    r"publicado|atualizado)\b[^.!?]{0,60}\d[^.!?]{0,40}$",
    re.IGNORECASE,
)


def is_dateline(text: str) -> bool:
    """A short line that is a date, a time, or "Pubblicato il …"/"Updated …" with a date.

    Only the first and last paragraphs of a body are tested (see ``extract.body``): a date line
    inside a text can be a live-blog heading.
    """
    text = _BYLINE_PART.sub(" ", text)  # "14 marzo 2017 | di Mario Rossi" is a dateline too
    words = text.split()
    if not words or len(words) > 14 or not re.search(r"\d", text):
        return False
    if _DATELINE_PREFIX.search(text):
        return True
    if len(words) > 12:
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


_MAX_WORDS = max(rule.max_words for rule in PARAGRAPH_RULES)


def _plain(pattern: re.Pattern) -> re.Pattern | None:
    """The rule's pattern without re.I, for lower-cased text (extract.fold), when it can be so searched."""
    try:
        return Folded(pattern).plain
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _rules_for(language: str | None, words: int,
               disabled: frozenset[str]) -> tuple[tuple[str, re.Pattern, re.Pattern | None], ...]:
    """The rules that apply to a paragraph of ``words`` words in ``language``, in order, each with
    its pattern and the plain form of it searched in lower-cased text (None: it has none) (cached).

    (One combined alternation was tried: 4× slower, the regex engine loses its literal-prefix
    shortcuts.)
    """
    return tuple(
        (rule.name, rule.pattern, _plain(rule.pattern))
        for rule in PARAGRAPH_RULES
        if words <= rule.max_words and rule.name not in disabled and _applies(rule, language)
    )


def matching_rule(text: str, language: str | None = None) -> str | None:
    """Name of the first rule that marks ``text`` as boilerplate, or None."""
    words = text.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    lang = (language or "").lower()[:2] or None
    return _first_rule(" ".join(words), lang, len(words), frozenset(BOILERPLATE_DISABLED))


@lru_cache(maxsize=8192)
def _first_rule(stripped: str, lang: str | None, words: int, disabled: frozenset[str]) -> str | None:
    """(cached: a site's boilerplate lines recur on every page, and each reading of a page is cleaned)"""
    lowered = stripped.lower() if fold_safe(stripped) else None
    for name, pattern, plain in _rules_for(lang, words, disabled):
        if (plain.search(lowered) if plain is not None and lowered is not None else pattern.search(stripped)):
            return name
    return None


def is_promo_line(text: str, language: str | None = None) -> bool:
    """True when one of ``PROMO_RULES`` (subscribe, price, app, channel, player …) matches ``text``."""
    words = text.split()
    if not words or len(words) > _MAX_WORDS:
        return False
    stripped = " ".join(words)
    lang = (language or "").lower()[:2] or None
    disabled = frozenset(BOILERPLATE_DISABLED) | _NOT_PROMO
    lowered = stripped.lower() if fold_safe(stripped) else None
    return any(plain.search(lowered) if plain is not None and lowered is not None else pattern.search(stripped)
               for _, pattern, plain in _rules_for(lang, len(words), disabled))


def is_boilerplate_paragraph(text: str, language: str | None = None) -> bool:
    """True when ``text`` (one paragraph) is boilerplate by itself.

    ``language`` is an ISO 639-1 code; rules written for another language are skipped, all rules
    apply when it is None.
    """
    return matching_rule(text, language) is not None


# --------------------------------------------------------------------------- page parts

# class/id tokens of containers that hold no article text. trafilatura already drops many English
# names (share, social, newsletter, related, comment lists, sidebar, banner …); these add Italian
# ones and common widgets it keeps. Each pattern is searched in ONE class token (or the id).
NOISE_TOKEN_PATTERNS: dict[str, str] = {
    "comments": r"^(comments?|commenti|commento)([-_].*)?$|[-_](comments?|commenti)$|disqus|^respond$",
    "related": r"related|correlat|leggi-?anche|read-?(also|next)|more-?(news|articles|stories|from)|"
               r"di-?piu|potrebbe-?interessar|you-?may-?like|recommend|consigliat|altri-?articoli",
    "ads": r"^(ad|ads|adv|advs|dfp|gpt|adunit|adslot)$|^code-block-\d+$|adsbygoogle|^(ad|adv|ads)[-_]|[-_](ad|adv|ads)$|advert|pubblicit|"
           r"adsense|ad-?slot|ad-?unit|gpt-ad|sponsor",
    "widgets": r"classifica|standings|sondaggio|^polls?$|^poll[-_]|[-_]polls?$|scommess|betting|^odds|[-_]odds",
    "newsletter": r"newsletter|iscriviti|subscribe|signup|sign-up",
    "consent": r"cookie|consent|gdpr|privacy-?banner|iubenda",
    "share": r"condividi|share|sharing|^social|[-_]social",
    "tags": r"^tags?$|^tags?[-_]?(list|cloud|links|box|container|wrap)|^(post|article|entry)[-_]?tags",
    "recirculation": r"outbrain|taboola|mgid|zergnet",
    "breadcrumb": r"breadcrumb",
    "hovercards": r"rollover|tooltip|popover|hover-?card",
    "promo": r"^promo|[-_]promo",
}

# a class token naming the article itself or a layout wrapper is never noise, whatever else it says
_PROTECT_RE = re.compile(
    r"(^|[-_])(content|body|text|entry|main|wrap|wrapper|wrp|container|page|single|layout)([-_]|$)",
    re.IGNORECASE,
)
# a container holding more than this share of the page's text is a wrapper, not a widget
MAX_NOISE_SHARE = 0.5

NOISE_DISABLED: set[str] = set()
_NOISE_TAGS = ("div", "section", "aside", "ul", "ol", "nav", "form", "span")


@lru_cache(maxsize=16)
def _noise_re(disabled: frozenset[str]) -> re.Pattern:
    active = [f"(?:{p})" for name, p in NOISE_TOKEN_PATTERNS.items() if name not in disabled]
    return re.compile("|".join(active) or "(?!)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _noise_folded(disabled: frozenset[str]) -> Folded:
    return Folded(_noise_re(disabled))


_PROTECT_FOLDED = Folded(_PROTECT_RE)


@lru_cache(maxsize=16384)
def _is_noise_name(value: str, disabled: frozenset[str]) -> bool:
    """True when one token of a class (or id) value names a noise container (cached: values repeat)."""
    return any(_is_noise_token(token, disabled) for token in value.split())


@lru_cache(maxsize=65536)
def _is_noise_token(token: str, disabled: frozenset[str]) -> bool:
    """(cached per token: class values are often unique, "post-123 status-publish …", their tokens repeat)"""
    return bool(_noise_folded(disabled).search(token)) and not _PROTECT_FOLDED.search(token)


def find_noise_containers(tree) -> list:
    """Outermost containers whose class or id names them as noise and that hold a small share of the text."""
    disabled = frozenset(NOISE_DISABLED)
    candidates = []
    for el in tree.iter(_NOISE_TAGS):
        cls, ident = el.get("class"), el.get("id")
        if (cls and _is_noise_name(cls, disabled)) or (ident and _is_noise_name(ident, disabled)):
            candidates.append(el)
    if not candidates:
        return []
    body = tree.find("body")
    total = len(text_of(body if body is not None else tree)) or 1
    chosen = set()
    found = []
    for el in candidates:  # document order: an ancestor comes before its descendants
        if any(a in chosen for a in el.iterancestors()):
            continue
        if len(text_of(el)) > MAX_NOISE_SHARE * total:
            continue
        chosen.add(el)
        found.append(el)
    return found
