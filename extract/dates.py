"""Date parsing and normalisation: ISO 8601 with the page's own offset, never an exception.

A value with a time becomes ``YYYY-MM-DDTHH:MM:SS+HH:MM`` keeping the UTC offset (or zone
abbreviation, "CDT") that the value gives; only a time given without an offset is taken as
the site's local time (Europe/Rome by default); a date alone stays ``YYYY-MM-DD``.
Impossible dates, dates before 1990 and dates in the future are rejected (None).

Human dates are read in Italian, English, German, French, Spanish, Portuguese and Dutch
("19. Juli 2014", "2 de diciembre de 2026", "le 1er mars 2026 à 18h05"), numeric forms
("14/03/2017", "25.04.24 | 14:07", "2026.01.29 18:40") and 12-hour clocks ("3:48 PM").
Pages where none of this finds a date are left to htmldate (see ``extract.metadata``).
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
GERMAN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "jän": 1, "mär": 3, "okt": 10, "dez": 12,
}
FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7,
    "déc": 12,
}
SPANISH_MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "ene": 1, "abr": 4, "dic": 12,
}
OTHER_MONTHS = {  # Portuguese, Dutch
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "dezembro": 12, "januari": 1, "februari": 2, "maart": 3, "mei": 5,
    "augustus": 8,
}
MONTHS = {**OTHER_MONTHS, **SPANISH_MONTHS, **FRENCH_MONTHS, **GERMAN_MONTHS, **ENGLISH_MONTHS, **ITALIAN_MONTHS}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

# Zone abbreviations found in feeds and JSON-LD ("2026-01-29T16:02:50CDT"); ambiguous ones
# (IST, CST-China…) are read in their most common news sense.
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13,
    "BRT": -3, "ART": -3,
}
_ZONE_RE = "|".join(sorted(ZONE_ABBREVIATIONS, key=len, reverse=True))
_OFFSET = rf"(Z|[+-]\d{{2}}(?::?\d{{2}})?|(?:{_ZONE_RE})\b)"

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    rf"(?:[T\s]+(\d{{1,2}}):(\d{{2}})(?::(\d{{2}})(?:[.,]\d+)?)?\s*{_OFFSET}?)?\s*$",
    re.I,
)
# a clock after a date: "ore 20:45", "à 18h05", "| 14:07", "3:48 PM", "um 15.48 Uhr"
_CLOCK = r"(?:\D{0,14}?(?<!\d)(\d{1,2})[:.h](\d{2})(?![\d])(?::\d{2})?\s*(?:([ap])\.?\s?m\b\.?)?)?"
_TEXTUAL = re.compile(
    rf"\b(\d{{1,2}})(?:\.|°|º|er|st|nd|rd|th)?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}})" + _CLOCK,
    re.I,
)
_TEXTUAL_EN = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})" + _CLOCK, re.I)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])" + _CLOCK, re.I)
_NUMERIC_YMD = re.compile(r"(?<![\d.])(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\d])" + _CLOCK, re.I)
# a clock written before its date: "Aggiornato alle 18:05 del 2 dicembre 2026"
_CLOCK_BEFORE = re.compile(r"(?<!\d)(\d{1,2})[:.h](\d{2})(?:\s*([ap])\.?\s?m\b\.?)?\s*(?:uhr\s*)?[,|\-–]?\s*"
                           r"(?:del|of|on|le|el|am|du|de|il|,)?\s*(?:\w+,?\s+)?$", re.I)
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
    """ISO text of ``dt``: an aware time keeps its own offset, a naive one gets the site's."""
    now = now or _now()
    if isinstance(dt, datetime):
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=zone)
            dt = dt.astimezone(timezone(dt.utcoffset()))  # a fixed offset, printed as +HH:MM
        if dt.date() < EARLIEST or dt > now + timedelta(days=1):
            return None
        return dt.replace(microsecond=0).isoformat()
    if dt < EARLIEST or dt > (now + timedelta(days=1)).date():
        return None
    return dt.isoformat()


def _hour(h: str | None, ampm: str | None) -> str | None:
    """A 12-hour clock as 24-hour: "3" + "p" is 15, "12" + "a" is 0."""
    if h is None or not ampm:
        return h
    hour = int(h)
    if not 1 <= hour <= 12:
        raise ValueError("not a 12-hour clock")
    if ampm.lower() == "p":
        return str(hour % 12 + 12)
    return str(hour % 12)


def _build(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None = None):
    if h is None:
        return date(y, mo, d)
    return datetime(y, mo, d, int(h), int(mi or 0), int(s or 0))


def _offset(text: str) -> timezone:
    upper = text.upper()
    if upper in ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=ZONE_ABBREVIATIONS[upper]))
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


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
                dt = dt.replace(tzinfo=_offset(off))
            return _finish(dt, zone, now)
        if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):  # RFC 2822 (RSS)
            try:
                return _finish(parsedate_to_datetime(text), zone, now)
            except (TypeError, ValueError, IndexError):
                pass
        if re.fullmatch(r"\d{10}(?:\d{3})?", text):  # a Unix timestamp (seconds or ms)
            seconds = int(text[:10])
            return _finish(datetime.fromtimestamp(seconds, timezone.utc), zone, now)
        return parse_text_date(text, tz, now)
    except (ValueError, OverflowError):
        return None


def _year(y: str) -> int:
    return int(y) + 2000 if len(y) == 2 else int(y)


def parse_text_date(text: str, tz: str | None = None, now: datetime | None = None) -> str | None:
    """Find the first human date in ``text`` ("14 marzo 2017", "1 marzo 2026, 20:45",
    "19. Juli 2014", "2 de diciembre de 2026", "14/03/2017", "March 14, 2017 3:48 PM",
    "25.04.24 | 14:07", "2026.01.29 18:40", "18:05 del 2 dicembre 2026")."""
    zone = site_zone(tz)
    patterns = ((_TEXTUAL, "dmy"), (_TEXTUAL_EN, "mdy"), (_NUMERIC_YMD, "ymd"), (_NUMERIC, "dmy_num"))
    for pattern, order in patterns:
        for m in pattern.finditer(text):
            g = m.groups()
            try:
                if order == "dmy":
                    d, mo, y = int(g[0]), MONTHS[g[1].lower().rstrip(".")], int(g[2])
                    h, mi, ampm = g[3:6]
                elif order == "mdy":
                    mo, d, y = MONTHS[g[0].lower().rstrip(".")], int(g[1]), int(g[2])
                    h, mi, ampm = g[3:6]
                elif order == "ymd":
                    y, mo, d = int(g[0]), int(g[2]), int(g[3])
                    h, mi, ampm = g[4:7]
                else:
                    if len(g[3]) == 2 and g[1] == "-":  # "3-4-10" is a score or a code, not a date
                        continue
                    d, mo, y = int(g[0]), int(g[2]), _year(g[3])
                    if mo > 12 >= d and g[1] == "/":  # US order, 03/14/2017
                        d, mo = mo, d
                    h, mi, ampm = g[4:7]
                if h is None:
                    before = _CLOCK_BEFORE.search(text[max(0, m.start() - 40):m.start()])
                    if before:
                        h, mi, ampm = before.groups()
                result = _finish(_build(y, mo, d, _hour(h, ampm), mi), zone, now)
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
    except (ValueError, KeyError):
        return None


def as_datetime(value: str | None) -> datetime | None:
    """An ISO value (as the archive stores them) as an aware datetime, for comparing and sorting
    values written in different offsets; a value without one (a date alone) is taken as UTC."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def same_instant(a: str | None, b: str | None) -> bool:
    """Two ISO values naming the same moment (whatever offsets they are written in)."""
    try:
        x, y = datetime.fromisoformat(a or ""), datetime.fromisoformat(b or "")
    except ValueError:
        return False
    return x.tzinfo is not None and y.tzinfo is not None and x == y
