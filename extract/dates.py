"""Date parsing and normalisation: ISO 8601 in the site's time zone, never an exception.

A value with a time becomes ``YYYY-MM-DDTHH:MM:SS+HH:MM`` in the site's zone (Europe/Rome
by default); a time without an offset is taken as the site's local time; a date alone
stays ``YYYY-MM-DD``. Impossible dates, dates before 1990 and dates in the future are
rejected (None).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ITALIAN_MONTHS = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9,
    "ott": 10, "nov": 11, "dic": 12,
}
ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTHS = {**ENGLISH_MONTHS, **ITALIAN_MONTHS}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$",
    re.I,
)
_TEXTUAL = re.compile(
    rf"\b(\d{{1,2}})(?:°|º|st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})"
    r"(?:\D{0,12}?(\d{1,2})[:.](\d{2})(?![\d]))?",
    re.I,
)
_TEXTUAL_EN = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})(?:\D{{0,12}}?(\d{{1,2}})[:.](\d{{2}})(?!\d))?",
    re.I,
)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\D{0,12}?(\d{1,2})[:.](\d{2})(?!\d))?")
_URL_DATE = re.compile(rf"/((?:19|20)\d\d)/(\d{{1,2}}|{_MONTH_RE})/(\d{{1,2}})/", re.I)

EARLIEST = date(1990, 1, 1)


def site_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Rome")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Rome")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _finish(dt: datetime | date, zone: ZoneInfo, now: datetime | None) -> str | None:
    now = now or _now()
    if isinstance(dt, datetime):
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=zone)
        dt = dt.astimezone(zone)
        if dt.date() < EARLIEST or dt > now + timedelta(days=1):
            return None
        return dt.replace(microsecond=0).isoformat()
    if dt < EARLIEST or dt > (now + timedelta(days=1)).date():
        return None
    return dt.isoformat()


def _build(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None = None):
    if h is None:
        return date(y, mo, d)
    return datetime(y, mo, d, int(h), int(mi or 0), int(s or 0))


def parse_date(value: object, tz: str | None = None, now: datetime | None = None) -> str | None:
    """Normalise a machine or human date to ISO 8601 (see module doc); None when unusable."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 300:
        return None
    zone = site_zone(tz)
    try:
        m = _ISO.match(text)
        if m:
            y, mo, d, h, mi, s, off = m.groups()
            dt = _build(int(y), int(mo), int(d), h, mi, s)
            if isinstance(dt, datetime) and off:
                if off.upper() == "Z":
                    dt = dt.replace(tzinfo=timezone.utc)
                else:
                    sign = 1 if off[0] == "+" else -1
                    digits = off[1:].replace(":", "")
                    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                    dt = dt.replace(tzinfo=timezone(sign * delta))
            return _finish(dt, zone, now)
        if re.match(r"^[A-Za-z]{3},?\s+\d", text):  # RFC 2822, as in RSS feeds
            try:
                return _finish(parsedate_to_datetime(text), zone, now)
            except (TypeError, ValueError, IndexError):
                pass
        return parse_text_date(text, tz, now)
    except (ValueError, OverflowError):
        return None


def parse_text_date(text: str, tz: str | None = None, now: datetime | None = None) -> str | None:
    """Find the first human date in ``text`` ("14 marzo 2017", "1 marzo 2026, 20:45",
    "Martedì 14 marzo 2017 - ore 20:45", "14/03/2017", "March 14, 2017")."""
    zone = site_zone(tz)
    for pattern, order in ((_TEXTUAL, "dmy"), (_TEXTUAL_EN, "mdy"), (_NUMERIC, "dmy_num")):
        for m in pattern.finditer(text):
            g = m.groups()
            try:
                if order == "dmy":
                    d, mo, y = int(g[0]), MONTHS[g[1].lower().rstrip(".")], int(g[2])
                elif order == "mdy":
                    mo, d, y = MONTHS[g[0].lower().rstrip(".")], int(g[1]), int(g[2])
                else:
                    d, mo, y = int(g[0]), int(g[1]), int(g[2])
                result = _finish(_build(y, mo, d, g[3], g[4]), zone, now)
            except (ValueError, KeyError, OverflowError):
                continue
            if result:
                return result
    return None


def date_from_url(url: str, tz: str | None = None) -> str | None:
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        month = m.group(2)
        month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
        return _finish(date(int(m.group(1)), month_number, int(m.group(3))), site_zone(tz), None)
    except ValueError:
        return None
