"""Is a response body a whole HTML page? Pure checks on bytes and text, made by the crawl
before extraction.

- ``binary_body``: bytes that are not a page (compressed or image/PDF/archive bytes served
  as HTML, a non-HTML Content-Type that Scrapy sniffed as HTML, text full of control or
  replacement characters) → a reason, else None.
- ``truncated``: an HTML document that ends inside itself (no closing ``</body>``/``</html>``,
  an ``<article>`` or ``<main>`` container left open) → a reason, else None.
"""

from __future__ import annotations

import re

# Magic numbers of formats that are never an HTML page.
MAGIC = {
    b"\x1f\x8b": "gzip",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"RIFF": "riff (webp/avi/wav)",
    b"\x00\x00\x00\x18ftyp": "mp4",
    b"\x00\x00\x00\x20ftyp": "mp4",
    b"ID3": "mp3",
    b"wOFF": "woff",
    b"wOF2": "woff2",
    b"\x7fELF": "elf",
}
# Declared types that are never a page, whatever the bytes look like.
NON_HTML_TYPES = re.compile(r"^(image|audio|video|font)/|^application/(pdf|zip|gzip|x-gzip|octet-stream|zstd|x-bzip2|"
                            r"x-tar|msword|vnd\.|x-shockwave-flash|wasm|java-archive)", re.I)
# More than this share of control characters (C0 but tab, newline, form feed, CR) or U+FFFD
# (bytes the chosen encoding could not decode): not text. C1 is left out: it is what
# windows-1252 punctuation becomes when a page is mislabelled latin-1.
MAX_BAD_SHARE = 0.02
_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
SAMPLE = 65_536


def binary_body(body: bytes, content_type: str | None, text: str | None = None) -> str | None:
    """Why ``body`` (already stripped of its Content-Encoding) is not an HTML page, or None."""
    head = body[:16]
    for magic, name in MAGIC.items():
        if head.startswith(magic):
            return f"{name} bytes served as {content_type or 'no type'}"
    declared = (content_type or "").split(";")[0].strip()
    if declared and NON_HTML_TYPES.search(declared):
        return f"Content-Type {declared} is not a page"
    sample = text[:SAMPLE] if text is not None else body[:SAMPLE].decode("latin-1")
    if sample:
        bad = len(_BAD.findall(sample))
        if bad / len(sample) > MAX_BAD_SHARE:
            return f"{bad} control or replacement characters in the first {len(sample)}: not text"
    return None


_CLOSE_DOC = re.compile(rb"</(body|html)\s*>", re.I)
_CONTAINERS = ("article", "main")


def truncated(body: bytes) -> str | None:
    """Why an HTML ``body`` looks cut short, or None when it reads as a whole document."""
    if not body.strip():
        return None  # empty: a case of its own
    head = body[:4096].lower()
    if b"<html" not in head and b"<body" not in head and b"<!doctype" not in head:
        return None  # a fragment, not a document: nothing to judge by
    tail = body[-4096:]
    if not _CLOSE_DOC.search(tail):
        return "document ends before </body></html>"
    for tag in _CONTAINERS:
        opened = len(re.findall(rb"<%s[\s>]" % tag.encode(), body, re.I))
        closed = len(re.findall(rb"</%s\s*>" % tag.encode(), body, re.I))
        if opened > closed:
            return f"<{tag}> container left open ({opened} opened, {closed} closed)"
    return None
