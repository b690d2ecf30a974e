"""Golden extraction tests: every recorded fixture page against its expected article.

The expectations are the fixtures' ground truth (tests/fixtures/content.py), regenerated
with `python -m tests.fixtures.build_sites` and reviewed as a diff. One failure per field.
"""

import pytest

from extract import extract_article
from extract.encoding import charset_from_content_type, decode_body
from extract.site import SiteProfile
from tests.fixtures.golden import iter_golden_pages

PAGES = list(iter_golden_pages())
FIELDS = ["url", "title", "text", "published", "modified", "author", "section", "tags", "description", "image", "language"]
PRODUCTION = {
    "curvanord": "https://www.curvanord.it/",
    "gazzettino": "https://www.gazzettino-sportivo.it/",
    "pallonevecchio": "http://www.pallonevecchio.it/",
}


@pytest.fixture(scope="module")
def extracted():
    out = {}
    for site, url, raw, content_type, expected in PAGES:
        html, _ = decode_body(raw, charset_from_content_type(content_type))
        # the minimal profile: a name and a home URL, nothing else
        out[url] = extract_article(html, url, SiteProfile(name=site, url=PRODUCTION[site]))
    return out


def test_enough_golden_pages():
    assert len(PAGES) >= 30
    assert {p[0] for p in PAGES} == set(PRODUCTION)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("page", PAGES, ids=[p[1].split("//", 1)[1][:70] for p in PAGES])
def test_golden_field(extracted, page, field):
    site, url, raw, content_type, expected = page
    result = extracted[url]
    assert result.status == "ok", f"{url}: {result.status} ({result.reason})"
    assert getattr(result.article, field) == expected[field]
