"""How much of one text another holds: the share of its word trigrams (a multiset) found in
the other. Used to compare independent readings of a page (extract.body), and a new reading
of an archived article with the stored one (archive.store)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_WORDS = re.compile(r"\w+")


def _each_trigram(text: str):
    """The word trigrams of ``text`` in order (a text of one or two words: those words)."""
    words = _WORDS.findall(text.casefold())
    if len(words) < 3:
        return [tuple(words)] if words else []
    return zip(words, words[1:], words[2:])


def _trigrams(text: str) -> Counter:
    return Counter(_each_trigram(text))


@lru_cache(maxsize=16)
def _compared(text: str) -> Counter:
    """(cached: one extraction compares the same few readings with each other several times; the
    Counter returned is shared, never changed)"""
    return _trigrams(text)


def _distinct(text: str) -> set:
    return set(_each_trigram(text))


def trigrams(text: str) -> frozenset:
    """The distinct word trigrams of ``text`` (for many ``share_in`` tests against one text)."""
    return frozenset(_distinct(text))


def share_in(text: str, held: frozenset) -> float:
    """Share of ``text``'s distinct word trigrams found in ``held`` (``trigrams`` of another text)."""
    own = _distinct(text)
    return len(own & held) / len(own) if own else 1.0


def coverage(text: str, reference: str) -> float:
    """Share of ``reference``'s word trigrams (a multiset) found in ``text``; 1.0 for an empty reference."""
    ref = _compared(reference)
    total = sum(ref.values())
    if not total:
        return 1.0
    own = _compared(text)
    common = ref.keys() & own.keys()  # the multiset intersection's size, in C: sum of the smaller counts
    return sum(map(min, map(ref.__getitem__, common), map(own.__getitem__, common))) / total
