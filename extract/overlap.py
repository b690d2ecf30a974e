"""How much of one text another holds: the share of its word trigrams (a multiset) found in
the other. Used to compare independent readings of a page (extract.body), and a new reading
of an archived article with the stored one (archive.store)."""

from __future__ import annotations

import re
from collections import Counter


def _trigrams(text: str) -> Counter:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < 3:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(zip(words, words[1:], words[2:]))


def trigrams(text: str) -> frozenset:
    """The distinct word trigrams of ``text`` (for many ``share_in`` tests against one text)."""
    return frozenset(_trigrams(text))


def share_in(text: str, held: frozenset) -> float:
    """Share of ``text``'s distinct word trigrams found in ``held`` (``trigrams`` of another text)."""
    own = set(_trigrams(text))
    return len(own & held) / len(own) if own else 1.0


def coverage(text: str, reference: str) -> float:
    """Share of ``reference``'s word trigrams (a multiset) found in ``text``; 1.0 for an empty reference."""
    ref = _trigrams(reference)
    total = sum(ref.values())
    if not total:
        return 1.0
    return sum((_trigrams(text) & ref).values()) / total
