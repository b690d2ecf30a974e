"""The next pages of a listing: ``?page=N``, ``/page/N/``, ``rel=next`` and pagination links.

A section's page N+1 is found among the page's own links (``<link rel=next>``,
``<a rel=next>``, or any link to the same listing with the page number one higher, as
pagination bars give them). Only the *next* page is followed, so a section is read newest
first, one page after the other; the spider stops the chain at its caps, or when a page
brings no new links (a ``?page=N`` that answers for every N).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_PATH_PAGE = re.compile(r"/(page|pagina|pag)/(\d{1,5})/?$", re.I)
# query parameters that number a listing's pages (not "p": WordPress uses it for post ids)
PAGE_PARAMS = ("page", "paged", "pagina", "pg", "pag")


def split_page(url: str) -> tuple[str, int]:
    """(the listing's URL without its page number, the page number; 1 when none)."""
    parts = urlsplit(url)
    path, number = parts.path, 1
    m = _PATH_PAGE.search(path)
    if m:
        path, number = path[: m.start()] + "/", int(m.group(2))
    query = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in PAGE_PARAMS and v.isdigit():
            number = int(v)
        else:
            query.append((k, v))
    path = path.rstrip("/") + "/" if path not in ("", "/") else "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), "")), number


def is_other_page(url: str, listing: str) -> bool:
    """True when ``url`` is another page (2, 3, …) of the same listing as ``listing``."""
    base, number = split_page(url)
    return number > 1 and base == split_page(listing)[0] and url != listing


def next_page_urls(response, canon) -> list[str]:
    """Absolute URLs of the response's next page (usually one), canonicalised by ``canon``."""
    current = canon(response.url)
    base, number = split_page(current)
    rel_next = response.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " next ")]/@href'
                              ' | //a[contains(concat(" ", normalize-space(@rel), " "), " next ")]/@href').getall()
    out: list[str] = []
    for href in rel_next:
        url = canon(response.urljoin(href))
        if url != current and url not in out:
            out.append(url)
    for href in response.xpath("//a/@href").getall():
        if not re.search(r"\d", href):
            continue
        url = canon(response.urljoin(href))
        if url not in out and split_page(url) == (base, number + 1):
            out.append(url)
    return out[:2]
