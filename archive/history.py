"""An article's history as people read it: its versions, and what changed between two
consecutive versions, word by word. Crawled text is always escaped (markupsafe): the only
markup in the result is our own <ins>, <del> and layout."""

from __future__ import annotations

import difflib
import re

import sqlite_utils
from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")
CONTEXT = 1  # unchanged paragraphs shown around a change


def word_diff(old: str, new: str) -> Markup:
    """``new`` with inserted words in <ins> and removed words in <del>, all text escaped."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(out)


def text_diff(old: str, new: str) -> Markup:
    """Paragraph by paragraph: changed paragraphs word-diffed, runs of unchanged ones folded."""
    a = [p for p in (old or "").split("\n\n")]
    b = [p for p in (new or "").split("\n\n")]
    blocks = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = a[i1:i2]
            head = same[:CONTEXT] if n > 0 else []
            tail = same[-CONTEXT:] if n < len(opcodes) - 1 and len(same) > len(head) else []
            folded = len(same) - len(head) - len(tail)
            blocks += [Markup("<p>{}</p>").format(p) for p in head]
            if folded > 0:
                blocks.append(Markup('<p class="unchanged">… {} unchanged paragraph{} …</p>').format(
                    folded, "" if folded == 1 else "s"))
            blocks += [Markup("<p>{}</p>").format(p) for p in tail]
        else:
            blocks.append(Markup('<p class="changed">{}</p>').format(
                word_diff("\n\n".join(a[i1:i2]), "\n\n".join(b[j1:j2]))))
    return Markup("\n").join(blocks)


VERSION_COLUMNS = ("version", "change", "seen_at", "title", "text", "published", "modified", "author")
VERSIONS_SQL = f"SELECT {', '.join(VERSION_COLUMNS)} FROM article_versions WHERE url = ? ORDER BY version"


def versions(db: sqlite_utils.Database, url: str) -> list[dict]:
    return [dict(zip(VERSION_COLUMNS, r)) for r in db.execute(VERSIONS_SQL, [url]).fetchall()]


CHANGE_NAMES = {"first": "first seen", "edit": "edited by the site", "reextract": "re-extracted by us"}


def history_html(rows: list[dict]) -> Markup:
    """The versions of one article (oldest first) and the diff of each with the one before."""
    if not rows:
        return Markup("")
    items = []
    for prev, cur in zip([None, *rows], rows):
        head = Markup('<h3 id="version-{v}">Version {v}: {change}, {seen}</h3>').format(
            v=cur["version"], change=CHANGE_NAMES.get(cur["change"], cur["change"]), seen=cur["seen_at"])
        if prev is None:
            items.append(head + Markup('<p class="version-meta">{} words</p>').format(len((cur["text"] or "").split())))
            continue
        parts = [head]
        if (prev["title"] or "") != (cur["title"] or ""):
            parts.append(Markup('<p class="diff-title"><strong>Title:</strong> {}</p>').format(
                word_diff(prev["title"] or "", cur["title"] or "")))
        for field in ("published", "modified", "author"):
            if (prev[field] or "") != (cur[field] or ""):
                parts.append(Markup('<p class="diff-field"><strong>{}:</strong> <del>{}</del> <ins>{}</ins></p>').format(
                    field.capitalize(), prev[field] or "–", cur[field] or "–"))
        if (prev["text"] or "") != (cur["text"] or ""):
            parts.append(Markup('<div class="diff-text">{}</div>').format(text_diff(prev["text"], cur["text"])))
        items.append(Markup("").join(parts))
    title = Markup('<h2>History: {n} version{s}</h2>').format(n=len(rows), s="" if len(rows) == 1 else "s")
    return Markup('<section class="article-history">{}{}</section>').format(title, Markup("\n").join(items))
