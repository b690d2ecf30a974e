"""Case-insensitive regex search at the cost of a case-sensitive one.

Python's ``re.IGNORECASE`` makes a search over a long text several times slower (every
character is folded as it is compared). For a pattern written in lower case, searching
``text.lower()`` without the flag finds the same matches at the same places, for every text
that holds none of ``UNSAFE``: the only characters whose ``str.lower()`` is not what ``re``
folds them to, for the Latin letters such patterns are written in (checked over every code
point: dotted capital I, which lowers to two characters, the dotless i and the long s, which
``re`` folds to "i" and "s"). ``str.lower()`` keeps, for every other character, its length and
whether it is a word, space or digit character, so ``\\b``, ``\\w``, ``\\s`` and ``\\d`` behave alike.
On a text with one of ``UNSAFE`` the pattern itself is used. A match found on the lowered text
gives positions in the text, and a lower-cased ``group()``.
"""

from __future__ import annotations

import re

UNSAFE = ("\u0130", "\u0131", "\u017f")
# the letters a folded pattern may be written with (the set ``UNSAFE`` was checked for)
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ")
_RANGE = re.compile(r"\[[^\]]*[^\\]-[^\]]")  # a character range: re.I also tries its upper case
# the escapes of character categories and anchors (\W, \S, \D, \B, \A, \Z and their lower-case
# forms): written with a letter, they name no cased character, and str.lower() keeps every
# character's category (see above)
_CATEGORY_ESCAPE = re.compile(r"\\[wsdbWSDBAZ]")
# a character written by its code (\x43, \u0043, \U00000043, \103; \N{…} is refused): allowed
# only for a character without case (\x00, \xa0 …)
_CODE_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|N)")


def _cased_code(source: str) -> bool:
    """``source`` writes a cased character by its code, or a named one."""
    for m in _CODE_ESCAPE.finditer(source):
        if m.group(0) == "\\N":
            return True
        code = int(m.group(4), 8) if m.group(4) else int(m.group(1) or m.group(2) or m.group(3), 16)
        c = chr(code)
        if c.lower() != c.upper() or c.lower() != c:
            return True
    return False


def safe(text: str) -> bool:
    """``text`` can be searched lower-cased (it holds none of ``UNSAFE``)."""
    return not any(c in text for c in UNSAFE)


class Folded:
    """A ``re.I`` pattern searched as a plain one on lower-cased text (see the module doc)."""

    __slots__ = ("pattern", "plain")

    def __init__(self, pattern: re.Pattern):
        source = pattern.pattern
        bare = _CATEGORY_ESCAPE.sub("", source)
        letters = {c for c in bare if c.isalpha() or c.lower() != c.upper()}  # every cased character
        if (not pattern.flags & re.IGNORECASE or bare != bare.lower() or not letters <= LETTERS
                or _RANGE.search(source)):
            raise ValueError(f"not a lower-case re.I pattern of Latin letters without ranges: {source[:60]!r}")
        if "\\\\" in source or _cased_code(source):
            raise ValueError(f"an escaped backslash or a character by its code: {source[:60]!r}")
        self.pattern = pattern
        self.plain = re.compile(source, pattern.flags & ~re.IGNORECASE)

    def finditer(self, text: str, lowered: str | None = None):
        """``pattern.finditer(text)`` (``lowered``: ``text.lower()``, when the caller has it)."""
        if safe(text):
            return self.plain.finditer(text.lower() if lowered is None else lowered)
        return self.pattern.finditer(text)

    def search(self, text: str, lowered: str | None = None):
        if safe(text):
            return self.plain.search(text.lower() if lowered is None else lowered)
        return self.pattern.search(text)
