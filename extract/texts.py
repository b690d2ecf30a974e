"""The text of an element, read the fast way.

``text_of(el)`` is ``el.text_content()`` (the text of the element and of everything inside it,
without the element's own tail), read by serialising the element as text: the same string
(checked on the 961,510 elements of the 1,171 development pages) in about a third of the time on
the small elements (paragraphs, links) the extraction reads by the thousand.
"""

from __future__ import annotations

from functools import partial

from lxml import etree

text_of = partial(etree.tostring, method="text", encoding=str, with_tail=False)


def squashed_text(el) -> str:
    """The element's text with its runs of white space made single spaces, no edges."""
    return " ".join(text_of(el).split())
