"""Which clubs, national teams and competitions an article names: a pure function over its
title and text, driven by the editable gazetteer ``extract/gazetteer.toml``.

All aliases of the gazetteer are one compiled regular expression (longest alias first, so
"Inter Miami" wins over "Inter" and "Juventus Next Gen" over "Juventus"), run once over the
accent-folded title and once over the text. An alias with a capital initial matches only
capitalised text ("Toro" is the club, "toro" a bull); a name that is also a town or a country
is not counted after a bare preposition ("a Roma", "in Belgio", "dal Belgio" for countries).
An ambiguous alias ("bianconeri": Juventus, Udinese, Ascoli, …) is credited only when exactly
one of its owners is named unambiguously elsewhere in the article (title, text, section, tags)
or is the site's declared focus (``football_focus`` in the sites list); otherwise it is left
out, never guessed. An article with fewer than two football words ("gol", "partita",
"allenatore", "campionato", …) names no teams at all: its "Argentina" or "Liverpool" are places.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

KINDS = ("club", "national", "competition")
_CITY_PREP = r"(?:a|in|da|di|per|tra|fra|su|verso)"
_ARTICULATED = (r"(?:al|allo|alla|ai|agli|alle|dal|dallo|dalla|dai|dagli|dalle|nel|nello|nella|nei|negli|"
                r"nelle|del|dello|della|dei|degli|delle|sul|sullo|sulla|col)")
# Words only football writing uses often: an article with fewer than two of them (a named
# competition counts as one) is not about football, and its "Argentina", "Liverpool" or "Como"
# (Portuguese "how") are not teams. The section and tags count ("Calcio estero").
_FOOTBALL_WORDS = re.compile(
    r"\b(?:calci\w*|gol|goal\w*|allenator\w*|campionat\w*|partit\w*|rigor\w*|attaccant\w*|centrocampist\w*|"
    r"difensor\w*|portier\w*|stadi\w*|classifica|tifos\w*|giornata|panchina|squadr\w*|mister|"
    r"football|soccer|striker|midfielder|defender|goalkeeper|fixture|kick-off|penalty)\b")
MIN_FOOTBALL_WORDS = 2
_BEFORE_CITY = re.compile(rf"(?:^|[^\w'])(?:{_CITY_PREP})\s+$", re.IGNORECASE)
_BEFORE_COUNTRY = re.compile(
    rf"(?:(?:^|[^\w'])(?:{_CITY_PREP}|{_ARTICULATED})\s+|(?:^|[^\w'])(?:all|dall|nell|dell|sull)')$", re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    place: str | None = None


@dataclass(frozen=True)
class Alias:
    owners: tuple[str, ...]  # entity ids
    capitalised: bool
    ambiguous: bool


_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Accents off, typographic apostrophes straightened (for matching, not for offsets)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _trie_regex(words: list[str]) -> str:
    """One regular expression for many literal words, factored on common prefixes (a trie), so
    the engine tries one character class per position instead of every alias in turn. At each
    node the longer continuation is tried before the word ending there: longest match first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _prepare(text: str | None) -> tuple[str, str]:
    """The folded text and its lower case, offset for offset."""
    folded = fold(text or "")
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a character whose lower case is longer: keep offsets aligned
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in folded)
    return folded, lowered


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    aliases: dict[str, Alias]  # key: folded, lower-cased alias
    pattern: re.Pattern

    @classmethod
    def from_toml(cls, text: str) -> "Gazetteer":
        data = tomllib.loads(text)
        entities: dict[str, Entity] = {}
        owners: dict[str, list[str]] = defaultdict(list)
        capital: dict[str, bool] = {}
        flagged: set[str] = set()
        for kind in KINDS:
            for entry in data.get(kind, []):
                ent = Entity(entry["id"], entry["name"], kind, entry.get("place"))
                if ent.id in entities:
                    raise ValueError(f"gazetteer: duplicate id {ent.id!r}")
                entities[ent.id] = ent
                explicit = {fold(a).lower() for a in entry.get("ambiguous", [])}
                for alias in [entry["name"], *entry.get("aliases", []), *entry.get("nicknames", [])]:
                    folded = fold(alias)
                    key = folded.lower()
                    if ent.id not in owners[key]:
                        owners[key].append(ent.id)
                    # "Grifone" and "grifone" listed both: the lower-case one matches any case
                    capital[key] = capital.get(key, True) and folded[:1].isupper()
                    if key in explicit:
                        flagged.add(key)
        aliases = {k: Alias(tuple(v), capital[k], len(v) > 1 or k in flagged) for k, v in owners.items()}
        alternation = _trie_regex(sorted(aliases))
        # "l'Inter" is found (an apostrophe before a name is an elided article's), and so are
        # both clubs of "Inter-Milan 2-1". Run over lower-cased text: far faster than IGNORECASE.
        pattern = re.compile(rf"\b(?:{alternation})(?!\w)")
        return cls(entities, aliases, pattern)

    def _hits(self, folded: str, lowered: str) -> list[Alias]:
        out = []
        for m in self.pattern.finditer(lowered):
            found = folded[m.start():m.end()]
            alias = self.aliases.get(" ".join(found.lower().split()))
            if alias is None:
                continue
            if alias.capitalised and not found[:1].isupper():
                continue
            if len(alias.owners) == 1:
                place = self.entities[alias.owners[0]].place
                before = folded[max(0, m.start() - 12):m.start()]
                if place == "city" and _BEFORE_CITY.search(before):
                    continue
                if place == "country" and _BEFORE_COUNTRY.search(before):
                    continue
                if place and found.isupper() and (m.start() == 0 or folded[m.start() - 1] == "\n"):
                    continue  # an agency dateline ("ROMA (Agenzia) -"): the town it was filed from
            out.append(alias)
        return out

    def _about_football(self, hits: list[Alias], texts: list[str]) -> bool:
        seen = sum(not a.ambiguous and self.entities[a.owners[0]].kind == "competition" for a in hits)
        for low in texts:
            for _ in _FOOTBALL_WORDS.finditer(low):
                seen += 1
                if seen >= MIN_FOOTBALL_WORDS:
                    return True
        return seen >= MIN_FOOTBALL_WORDS

    def match(self, title: str | None, text: str | None, context: list[str] = (),
              focus: tuple[str, ...] = ()) -> list[dict]:
        """Entities named in an article: dicts with id, name, kind, mentions, in_title,
        most mentioned first. ``context`` (section, tags) and ``focus`` (ids of the clubs the
        site is about) are evidence for ambiguous aliases but are not counted as mentions."""
        title_f, text_f = _prepare(title), _prepare(text)
        in_title = self._hits(*title_f)
        in_text = self._hits(*text_f)
        if not in_title and not in_text:
            return []
        if not self._about_football(in_title + in_text, [title_f[1], text_f[1], *(_prepare(c)[1] for c in context)]):
            return []
        evidence = {a.owners[0] for a in in_title + in_text + [h for c in context for h in self._hits(*_prepare(c))]
                    if not a.ambiguous} | {f for f in focus if f in self.entities}
        mentions: Counter = Counter()
        titled: set[str] = set()
        for hits, is_title in ((in_title, True), (in_text, False)):
            for alias in hits:
                if alias.ambiguous:
                    backed = [o for o in alias.owners if o in evidence]
                    if len(backed) != 1:
                        continue  # left out, never guessed
                    eid = backed[0]
                else:
                    eid = alias.owners[0]
                mentions[eid] += 1
                if is_title:
                    titled.add(eid)
        ents = [self.entities[e] for e in mentions]
        ents.sort(key=lambda e: (-mentions[e.id], e.id))
        return [{"id": e.id, "name": e.name, "kind": e.kind, "mentions": mentions[e.id], "in_title": e.id in titled}
                for e in ents]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    text = resources.files("extract").joinpath("gazetteer.toml").read_text(encoding="utf-8")
    return Gazetteer.from_toml(text)


def football_entities(title: str | None, text: str | None, section: str | None = None,
                      tags: list[str] | None = None, focus: tuple[str, ...] = (),
                      gazetteer: Gazetteer | None = None) -> list[dict]:
    """The clubs, national teams and competitions the article names (see the module doc);
    ``focus``: the site's ``football_focus`` (gazetteer ids)."""
    context = [c for c in [section, *(tags or [])] if c]
    return (gazetteer or default_gazetteer()).match(title, text, context, tuple(focus))
