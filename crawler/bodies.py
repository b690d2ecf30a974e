"""Bodies that are not a whole page, told apart before extraction (rules in extract.integrity):
``empty`` (a 0-byte 200), ``non_html`` (bytes that are not a page), ``partial`` (an HTML
document that ends inside itself). ``fault_of`` runs in the extraction worker, before it
extracts (this module does not import Scrapy); ``body_fault`` on a response, in the crawl
process."""

from __future__ import annotations

from extract.integrity import binary_body, truncated


def body_fault(response) -> tuple[str, str] | None:
    """(outcome, reason) for a body that must not reach extraction, else None."""
    from scrapy.http import TextResponse

    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
    text = response.text if isinstance(response, TextResponse) else None
    return fault_of(response.status, response.body, content_type, text, response.flags)


def fault_of(status: int, body: bytes, content_type: str | None, text: str | None,
             flags=()) -> tuple[str, str] | None:
    """``body_fault`` of a response given as its status, body, Content-Type, decoded text
    (None when it is not text) and Scrapy flags."""
    if status == 200 and not body:
        return "empty", "0-byte 200 response"
    reason = binary_body(body, content_type, text)
    if reason:
        return "non_html", reason
    reason = truncated(body)
    if reason:
        if {"partial", "dataloss"} & set(flags):
            reason += "; the connection closed without a Content-Length"
        return "partial", reason
    return None
