"""Decode page bytes to text, trusting the bytes over a wrong header.

Rules (RELIABILITY.md rows 1–2): a BOM always wins; a header or declaration of UTF-8
on bytes that are not valid UTF-8 yields to the page's own declaration or
windows-1252; a single-byte header on bytes that are valid multibyte UTF-8 yields to
UTF-8. ISO-8859-1 and ASCII are read as windows-1252, as browsers do.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_SINGLE_BYTE = {"cp1252", "iso8859-1", "latin-1", "ascii", "iso8859-15", "cp1250", "iso8859-2"}


def normalise_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None
    if codec in ("iso8859-1", "latin-1", "ascii"):
        return "cp1252"
    return codec


def declared_encoding(body: bytes) -> str | None:
    """The encoding a page declares in its first 4 KB (meta charset or XML declaration)."""
    head = body[:4096]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return normalise_encoding(m.group(1).decode("ascii", "ignore")) if m else None


def _valid_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _has_multibyte(body: bytes) -> bool:
    return any(b >= 0x80 for b in body)


def choose_encoding(body: bytes, header_charset: str | None = None) -> tuple[str, bool]:
    """Return (encoding, header_overridden)."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc, bool(header_charset) and normalise_encoding(header_charset) != normalise_encoding(enc)
    header = normalise_encoding(header_charset)
    declared = declared_encoding(body)
    for candidate, from_header in ((header, True), (declared, False)):
        if not candidate:
            continue
        if candidate == "utf-8" and not _valid_utf8(body):
            fallback = declared if declared and declared != "utf-8" else "cp1252"
            return fallback, from_header
        if candidate in _SINGLE_BYTE and _has_multibyte(body) and _valid_utf8(body):
            return "utf-8", from_header
        return candidate, False
    return ("utf-8" if _valid_utf8(body) else "cp1252"), False


def decode_body(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode ``body``; returns (text, encoding used)."""
    encoding, _ = choose_encoding(body, header_charset)
    text = body.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding


_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET_PARAM.search(content_type)
    return m.group(1) if m else None
