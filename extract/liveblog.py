"""The text of a live blog: every update, oldest first, each with its time when the page gives one.

From the JSON-LD ``liveBlogUpdate`` list of a ``LiveBlogPosting`` when there is one, else
from the page's update blocks (sibling blocks that each start with a time, found by
``pagetype.update_blocks``). Each update becomes one paragraph, ``"18:05 — Gol dell'Inter…"``.
Live blogs usually show the newest update first; the archive keeps them in the order
they happened, so the text reads as the story of the event.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .dates import parse_date
from .jsonld import types_of
from .pagetype import _TIME_LEAD, update_blocks
from .texts import text_of

DASH = "—"
_SPACE = re.compile(r"\s+")


def _clean(text) -> str:
    if isinstance(text, list):
        text = " ".join(str(t) for t in text if t)
    return _SPACE.sub(" ", str(text or "")).strip()


def _clock(value: str | None, tz: str) -> tuple[str | None, str | None]:
    """(sortable ISO instant, "HH:MM" in the site's zone) of a datetime value."""
    iso = parse_date(value, tz) if value else None
    if not iso or "T" not in iso:
        return None, None
    try:
        dt = datetime.fromisoformat(iso)
        local = dt.astimezone(ZoneInfo(tz)) if dt.tzinfo else dt
    except (ValueError, KeyError):
        return None, None
    return dt.isoformat(), f"{local:%H:%M}"


def _paragraph(clock: str | None, text: str) -> str:
    return f"{clock} {DASH} {text}" if clock else text


def from_jsonld(nodes: list[dict], tz: str) -> list[str]:
    updates = []
    for node in nodes:
        if "liveblogposting" not in types_of(node):
            continue
        items = node.get("liveBlogUpdate") or []
        items = items if isinstance(items, list) else [items]
        for pos, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            headline, body = _clean(item.get("headline")), _clean(item.get("articleBody") or item.get("text"))
            if headline and body and not body.startswith(headline):
                text = f"{headline}. {body}" if headline[-1:] not in ".!?:" else f"{headline} {body}"
            else:
                text = body or headline
            if not text:
                continue
            instant, clock = _clock(item.get("datePublished") or item.get("dateCreated") or item.get("dateModified"), tz)
            updates.append((instant, pos, clock, text))
        if updates:
            break
    return _ordered(updates)


def _ordered(updates: list[tuple]) -> list[str]:
    """Oldest first: by instant when every update has one, else the page order reversed when
    the page's clocks run backwards (newest first)."""
    if updates and all(u[0] for u in updates):
        updates = sorted(updates, key=lambda u: (u[0], u[1]))
    else:
        clocks = [u[2] for u in updates if u[2]]
        if len(clocks) >= 2 and clocks[0] > clocks[-1]:
            updates = list(reversed(updates))
    return [_paragraph(u[2], u[3]) for u in updates]


def from_blocks(region, tz: str) -> list[str]:
    updates = []
    for pos, block in enumerate(update_blocks(region)):
        instant = clock = None
        times = block.xpath(".//time")
        text = _clean(text_of(block))
        if times:
            instant, clock = _clock(times[0].get("datetime"), tz)
            shown = _clean(text_of(times[0]))
            clock = clock or (shown if re.fullmatch(r"\d{1,2}[:.]\d{2}", shown) else None)
            if shown and text.startswith(shown):
                text = text[len(shown):].strip(" -–—:|")
        else:
            m = _TIME_LEAD.match(text)
            if m and m.group(1):
                clock = f"{int(m.group(1)):02d}:{m.group(2)}"
                text = text[m.end():].strip(" -–—:|")
        if text:
            updates.append((instant, pos, clock, text))
    return _ordered(updates)


def liveblog_text(tree, nodes: list[dict], tz: str) -> str | None:
    """The live blog's updates as text, or None when the page shows fewer than two."""
    from .pagetype import _main_region

    # both readings; the fuller wins (some sites put only the latest updates in JSON-LD)
    readings = [from_jsonld(nodes, tz), from_blocks(_main_region(tree), tz)]
    paragraphs = max(readings, key=lambda r: (len(r), len("".join(r))))
    return "\n\n".join(paragraphs) if len(paragraphs) >= 2 else None
