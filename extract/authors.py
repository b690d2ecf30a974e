"""Bylines: the people who wrote an article, and apart from them the organisation that published it.

A byline is cleaned of its prefixes in several languages ("Di", "By", "Von", "Par", "Por",
"Autor:", "a cura di", "dal nostro inviato"…), of initials and agency suffixes ("(obe)",
"(dpa)"), and split on separators and on the conjunctions of several languages ("e", "and",
"und", "et", "y", "og"…). A name that is an organisation — the site's own name, a name with a
domain ("STERN.de", "Deutsche Welle (www.dw.com)"), a news agency, a JSON-LD Organization — is
never an author: it is the publisher.
"""

from __future__ import annotations

import html as html_lib
import re

_PREFIX = re.compile(
    r"^\s*(?:scritto\s+da|a\s+cura\s+(?:di|della|del|dello)|articolo\s+di|testo\s+di|servizio\s+di|"
    r"dal(?:la)?\s+nostr[oa]\s+(?:inviat[oa]|corrispondente)(?:\s+a\s+\w+)?|"
    r"von\s+unsere[rm]\s+(?:\w+\s+)?(?:korrespondent(?:in|en)?|reporter(?:in)?)|"
    r"(?:reporting|report|story|text|words|written|posted|published)\s+by|"
    r"(?:veröffentlicht|geschrieben|verfasst|erstellt|gepostet)\s+von|(?:publié|écrit|rédigé)\s+par|"
    r"(?:publicado|escrito)\s+por|(?:pubblicato|scritto)\s+da|"
    r"post\s+author|(?:view|see)\s+all\s+posts\s+by|(?:zeige\s+)?alle\s+beiträge\s+von|"
    r"voir\s+tous\s+les\s+articles\s+de|ver\s+todas\s+las\s+entradas\s+de|visualizza\s+tutti\s+gli\s+articoli\s+di|"
    r"(?:autor(?:in)?|author|autore|autrice|auteur|text|texte|redaktion|bearbeitet\s+von)\s*:|"
    r"di|by|da|von|par|por|door|av|af|autor(?:in)?|author|autore)\s+",
    re.I,
)
# a separator between two names, in the languages of the press this archive reads
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\s/\s|/|\s(?:e|ed|and|und|et|y|og|och|en)\s)\s*", re.I)
_PARENS = re.compile(r"\s*[(\[]\s*([^)\]]{1,40})\s*[)\]]")
_NOT_NAMES = {"redazione web", "admin", "administrator", "staff", "guest", "editor", "redaktion online"}
_NOT_A_PERSON = re.compile(r"gesponsert|sponsored|anzeige|advertorial|publiredazionale|contenuto sponsorizzato|"
                           r"partner content|publicidad|publi-?reportage|^comments?$|^kommentare?$|"
                           r"^(?:posted|published|publiziert|veröffentlicht|pubblicato|publié|publicado|updated)\s+(?:on|am|il|le|el)$",
                           re.I)
_STAFF = re.compile(r"^(la\s+)?redazione\b|^redaktion\b|^la\s+rédaction\b|^redacción\b|^staff\b|^editorial staff\b"
                    r"|^newsroom\b|^the\s+\w+\s+team$", re.I)
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|net|org|de|it|fr|es|ch|at|uk|co|eu|info|tv|news)\b", re.I)
# news agencies and organisation words: a byline naming one is the publisher, not a person
_AGENCIES = {
    "ansa", "afp", "ap", "associated press", "reuters", "dpa", "sid", "efe", "europa press", "lapresse",
    "adnkronos", "agi", "askanews", "apa", "kna", "epd", "keystone-sda", "sda", "ats", "belga", "anp",
    "pa", "pa media", "xinhua", "bloomberg", "afp/dpa", "dpa/afp", "ntb", "tt", "ritzau", "ians", "pti",
    "aap", "cp", "upi", "agence france-presse", "deutsche presse-agentur", "agenzia nova", "italpress",
}
_ORG_WORDS = re.compile(
    r"\b(?:agency|agentur|agenzia|agence|agencia|press|presse|news|media|online|gmbh|s\.?p\.?a|s\.?r\.?l|ltd|inc|"
    r"llc|verlag|zeitung|gazzetta|corriere|tribune|herald|journal|radio|tv|channel|"
    r"network|group|gruppo|sports|deutsche\s+welle)\b",
    re.I,
)
_NAME_START = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ]")


def clean_space(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(html_lib.unescape(str(text)).split())
    return text or None


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _strip_prefixes(text: str) -> str:
    prev = None
    while prev != text:
        prev = text
        text = _PREFIX.sub("", text).strip(" :,-–—")
    return text


def clean_name(raw: str, loose: bool = False) -> str | None:
    """One name without prefix, date or trailing noise; None when it is not a name. ``loose``
    (a name from structured data or an author link) accepts user names in lower case."""
    name = clean_space(raw)
    if not name:
        return None
    name = re.sub(r"\s*[|•·].*$", "", name)          # "Mario Rossi | 14 marzo 2017"
    name = re.sub(r"\s*[-–—]\s*\d.*$", "", name)     # "Mario Rossi - 14/03/2017"
    name = re.sub(r"\s*[-–—]\s*(?:https?\b|www\.).*$", "", name)  # "Frank Bueltge - http://…"
    name = re.sub(r"[\s→←»«›‹>|]+$", "", name)      # "Michael Veeser →"
    name = re.sub(r"\b(?:il|am|le|el|on)\s+\d{1,2}\.?\s+\w+\s+\d{4}.*$", "", name, flags=re.I).strip()
    name = _PARENS.sub("", name)                      # "(obe)", "(dpa)", "[AFP]"
    name = _strip_prefixes(name)
    if not name or name.lower() in _NOT_NAMES or "@" in name or name.startswith("http") or _NOT_A_PERSON.search(name):
        return None
    if len(name) > 60 or any(ch.isdigit() for ch in name) or len(name.split()) > 6:
        return None
    if is_staff(name):
        return name[0].upper() + name[1:]
    if not loose and not _NAME_START.match(name) and not _DOMAIN.search(name):
        return None
    if loose and not name[0].isalpha():
        return None
    return name


def agencies_in(raw: str) -> list[str]:
    """Agency names given in brackets after a byline ("Anna Weber (dpa)")."""
    return [m.group(1).strip() for m in _PARENS.finditer(raw or "") if m.group(1).strip().lower() in _AGENCIES]


def split_names(raw: str, loose: bool = False) -> list[str]:
    """The names of one byline string, in order (``loose``: see ``clean_name``)."""
    text = clean_space(raw) or ""
    if _DOMAIN.search(text) and "(" in text:  # "Deutsche Welle (www.dw.com)": one organisation
        return [text]
    text = _PARENS.sub(" ", text)
    text = _strip_prefixes(text)
    out = []
    for part in _SPLIT.split(text):
        name = clean_name(part, loose)
        if name:
            out.append(name)
    if any(len(n.split()) >= 2 for n in out):  # "…, Berlin": a place after full names
        out = [n for n in out if len(n.split()) >= 2 or is_staff(n)]
    return out


def is_staff(name: str) -> bool:
    return bool(_STAFF.match(name))


def is_organisation(name: str, site_names: set[str], person: bool = False) -> bool:
    """The site itself, a domain, an agency or an organisation word: a publisher, not a person.
    A ``person`` (typed Person in JSON-LD, or linked to an author page) is an organisation only
    by a domain or an agency name: on a personal blog the site's name is its author's."""
    sq = squash(name)
    if not sq:
        return False
    if _DOMAIN.search(name) or name.strip().lower() in _AGENCIES:
        return True
    if person:
        return False
    if any(sq == n for n in site_names):
        return True
    if name.isupper() and len(name) <= 6 and " " not in name:  # "ANSA", "SID"
        return True
    return bool(_ORG_WORDS.search(name))


def dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n and n.lower() not in seen:
            seen.add(n.lower())
            out.append(n)
    return out


class Byline:
    """Collects candidate names level by level (JSON-LD, meta, markup, visible text): the first
    level that names a person wins; organisations go to the publisher, staff bylines
    ("Redazione") are kept only when no person is named anywhere."""

    def __init__(self, site_names: set[str]):
        self.site_names = site_names
        self.people: list[str] = []
        self.staff: list[str] = []
        self.organisations: list[str] = []

    def offer(self, names: list[str], organisation: bool = False, person: bool = False) -> bool:
        """Take one level's names; True when it named a person (the caller then stops)."""
        people = []
        for n in names:
            if is_staff(n) and not organisation:
                self.staff.append(n[0].upper() + n[1:])
            elif organisation or is_organisation(n, self.site_names, person):
                self.organisations.append(n)
            else:
                people.append(n)
        self.people = dedupe(self.people + people)
        return bool(people)

    @property
    def authors(self) -> list[str]:
        return self.people or dedupe(self.staff[:1])
