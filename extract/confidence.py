"""How far an extracted body can be trusted: ``articles.extraction_confidence``, 0–1.

Two kinds of evidence, each 0–1, averaged:

* **agreement of the readings** (``extract.body.BodyReading``): the share of the best independent
  reading of the page (its marked-up article block, its JSON-LD ``articleBody``, trafilatura's
  balanced reading of the page as served, when one was taken) that the stored body holds. When the
  precision reading had to be replaced by a fuller one, the readings disagreed: the score is cut
  by ``REPLACED_FACTOR``. With no independent reading on the page there is no evidence either
  way: ``NO_EVIDENCE``.
* **shape of the body**: long enough to be an article (``FULL_CHARS``), made of sentences (share
  of the text in paragraphs that end like a sentence), in paragraphs of prose length (words per
  paragraph) rather than a list of short lines (menus, teasers, captions).

A low score marks a body worth a look (the canned query *Low-confidence articles*) and worth
re-extracting when the extractor improves (``calcio-archive reextract --low-confidence``).
Pure: a function of the reading and the text.
"""

from __future__ import annotations

import re

from .body import BodyReading

NO_EVIDENCE = 0.75
REPLACED_FACTOR = 0.85
FULL_CHARS = 1500  # a body this long has the full length score
MIN_CHARS = 200  # ... and one this short none
PROSE_WORDS = 25  # words per paragraph for the full paragraph score
# what the canned query and ``reextract --low-confidence`` take by default
LOW_CONFIDENCE = 0.5

_SENTENCE_END = re.compile(r"[.!?…:;»”\"')\]]\s*$")


def shape_score(text: str) -> float:
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    if not paragraphs:
        return 0.0
    chars = sum(len(p) for p in paragraphs)
    length = min(1.0, max(0.0, (chars - MIN_CHARS) / (FULL_CHARS - MIN_CHARS)))
    sentences = sum(len(p) for p in paragraphs if _SENTENCE_END.search(p)) / chars
    words = sum(len(p.split()) for p in paragraphs) / len(paragraphs)
    prose = min(1.0, words / PROSE_WORDS)
    return 0.4 * length + 0.4 * sentences + 0.2 * prose


def agreement_score(reading: BodyReading) -> float:
    score = NO_EVIDENCE if reading.agreement is None else reading.agreement
    if reading.chosen not in ("precision", "none"):
        score *= REPLACED_FACTOR
    return score


def extraction_confidence(reading: BodyReading, text: str | None = None) -> float:
    """0–1: the agreement of the readings and the shape of the body (see the module doc)."""
    text = reading.text if text is None else text
    if not text:
        return 0.0
    return round(0.5 * agreement_score(reading) + 0.5 * shape_score(text), 3)
