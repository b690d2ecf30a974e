"""Bodies that are not a whole page, told apart before extraction (rules in extract.integrity):
``empty`` (a 0-byte 200), ``non_html`` (bytes that are not a page), ``partial`` (an HTML
document that ends inside itself)."""

from __future__ import annotations

from scrapy.http import Response, TextResponse

from extract.integrity import binary_body, truncated


def body_fault(response: Response) -> tuple[str, str] | None:
    """(outcome, reason) for a body that must not reach extraction, else None."""
    if response.status == 200 and not response.body:
        return "empty", "0-byte 200 response"
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
    text = response.text if isinstance(response, TextResponse) else None
    reason = binary_body(response.body, content_type, text)
    if reason:
        return "non_html", reason
    reason = truncated(response.body)
    if reason:
        if {"partial", "dataloss"} & set(response.flags):
            reason += "; the connection closed without a Content-Length"
        return "partial", reason
    return None
