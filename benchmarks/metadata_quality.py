#!/usr/bin/env python3
"""Metadata quality (title, authors, dates, section, tags) of our extractor against plain trafilatura,
and what the htmldate fallback costs per page.

Corpora:
- ``foreign``: the pages of tests/pages/metadata/ (German, French, Spanish, English, Italian) and
  their expected.json; every field scored exactly (authors and tags as sets, dates also by day).
- ``evaldata``: trafilatura's evaluation corpus (../shared/benchmarks/trafilatura-eval), whose
  evaldata.json gives ``title``, ``author`` and ``date`` (a day) for most pages. It is in-sample for
  trafilatura. The article-extraction-benchmark's ground truth has no metadata fields (only the
  body and the URL), so it is used for timing only.

    .venv/bin/python benchmarks/metadata_quality.py                       # both corpora
    .venv/bin/python benchmarks/metadata_quality.py --code /work/main      # the same, with main's extract/
    .venv/bin/python benchmarks/metadata_quality.py --timing --limit 40    # cost on the AEB pages

A page our extractor does not accept as an article is still scored, on what the metadata readers
find in it (the count of accepted pages is printed apart).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FOREIGN = REPO_ROOT / "tests" / "pages" / "metadata"
EVALDATA = REPO_ROOT.parent / "shared" / "benchmarks" / "trafilatura-eval"
AEB = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"

_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b)\s*", re.I)


def _norm(text) -> str:
    return " ".join(str(text or "").split())


def _names(value) -> frozenset[str]:
    if isinstance(value, (list, tuple)):
        parts = value
    else:
        parts = _SPLIT.split(value or "")
    return frozenset(_norm(p).lower() for p in parts if _norm(p))


# --------------------------------------------------------------------------- extractors

def ours(html: str, url: str, site) -> dict:
    from extract import extract_article
    from extract import metadata as md
    from extract.page import parse_html

    result = extract_article(html, url, site)
    if result.article is not None:
        a = result.article
        authors = getattr(a, "authors", None) or list(_names(a.author))
        return {"accepted": True, "title": a.title, "authors": authors, "publisher": getattr(a, "publisher", None),
                "published": a.published, "modified": a.modified, "section": a.section, "tags": a.tags}
    tree = parse_html(html)
    if tree is None:
        return {"accepted": False}
    page = md.PageData(tree, url, site)
    published = md.published(page)[0]
    if hasattr(md, "byline"):
        authors, publisher = md.byline(page)
    else:
        authors, publisher = list(_names(md.author(page))), None
    title = md.title(page)
    return {"accepted": False, "title": title, "authors": authors, "publisher": publisher, "published": published,
            "modified": md.modified(page, published)[0], "section": md.section(page, title), "tags": md.tags(page)}


def trafilatura_metadata(html: str, url: str, site) -> dict:
    from trafilatura.metadata import extract_metadata

    doc = extract_metadata(html, default_url=url)
    if doc is None:
        return {"accepted": False}
    return {"accepted": True, "title": doc.title, "authors": list(_names((doc.author or "").replace(";", ","))),
            "publisher": doc.sitename, "published": doc.date, "modified": None,
            "section": (doc.categories or [None])[0], "tags": doc.tags or []}


EXTRACTORS = {"ours": ours, "trafilatura": trafilatura_metadata}


# --------------------------------------------------------------------------- corpora

def foreign_pages():
    from extract.encoding import decode_body
    from extract.site import SiteProfile

    expected = json.loads((FOREIGN / "expected.json").read_text(encoding="utf-8"))
    for name, exp in sorted(expected.items()):
        html, _ = decode_body((FOREIGN / name).read_bytes())
        yield name, html, exp["url"], SiteProfile.from_dict(exp["site"]), exp


def evaldata_pages(limit: int | None):
    from extract.encoding import decode_body
    from extract.site import SiteProfile

    data = json.loads((EVALDATA / "evaldata.json").read_text(encoding="utf-8"))
    n = 0
    for url, entry in data.items():
        if "title" not in entry and "date" not in entry and "author" not in entry:
            continue
        path = EVALDATA / "html" / (entry["file"] + ".gz")
        if not path.is_file():
            continue
        html, _ = decode_body(gzip.decompress(path.read_bytes()))
        truth = {"title": entry.get("title"), "authors": entry.get("author"), "published": entry.get("date"),
                 "tags": entry.get("tags")}
        if "tags" not in entry:
            truth.pop("tags")
        if "author" not in entry:
            truth.pop("authors")
        if not entry.get("date"):
            truth.pop("published")
        site = SiteProfile(name="eval", url=f"{url.split('/')[0]}//{url.split('/')[2]}/")
        yield url, html, url, site, truth
        n += 1
        if limit and n >= limit:
            return


def score(got: dict, exp: dict, field: str) -> bool:
    g, e = got.get("published" if field == "published_day" else field), exp.get(field)
    if field in ("authors",):
        return _names(g) == _names(e)
    if field == "tags":
        return frozenset(_norm(t).lower() for t in g or []) == frozenset(_norm(t).lower() for t in e or [])
    if field == "published_day":
        return (g or "")[:10] == (exp.get("published") or "")[:10] if (g or exp.get("published")) else True
    if field in ("published", "modified", "publisher", "section", "title"):
        return _norm(g) == _norm(e) if (g or e) else True
    raise KeyError(field)


def run(corpus: str, names: list[str], limit: int | None) -> None:
    pages = list(foreign_pages()) if corpus == "foreign" else list(evaldata_pages(limit))
    if corpus == "foreign":
        fields = ["title", "authors", "publisher", "published", "published_day", "modified", "section", "tags"]
    else:
        fields = ["title", "authors", "published_day", "tags_f1"]
    print(f"\n{corpus}: {len(pages)} pages")
    header = "| extractor | accepted | " + " | ".join(fields) + " |"
    print(header)
    print("|" + " --- |" * (len(fields) + 2))
    for name in names:
        extractor = EXTRACTORS[name]
        hits = {f: 0 for f in fields}
        counts = {f: 0 for f in fields}
        accepted = 0
        tp = fp = fn = 0
        misses: list[str] = []
        for page_id, html, url, site, exp in pages:
            try:
                got = extractor(html, url, site)
            except Exception as exc:  # a crash is a miss on every field
                got = {"accepted": False, "error": repr(exc)}
            accepted += bool(got.get("accepted"))
            if "tags_f1" in fields and "tags" in exp:
                g = {_norm(t).lower() for t in got.get("tags") or []}
                e = {_norm(t).lower() for t in exp["tags"] or []}
                tp, fp, fn = tp + len(g & e), fp + len(g - e), fn + len(e - g)
            for f in fields:
                key = {"published_day": "published", "tags_f1": "tags"}.get(f, f)
                if key not in exp or f == "tags_f1":
                    continue
                counts[f] += 1
                ok = score(got, exp, f)
                hits[f] += ok
                if not ok and corpus == "foreign":
                    misses.append(f"{page_id}:{f}={got.get(key)!r}")
        cells = " | ".join(f"{hits[f] / counts[f]:.3f} ({hits[f]}/{counts[f]})" if counts[f] else "-"
                           for f in fields if f != "tags_f1")
        if "tags_f1" in fields:
            cells += f" | {2 * tp / (2 * tp + fp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})" if tp + fp + fn else " | -"
        print(f"| {name} | {accepted}/{len(pages)} | {cells} |")
        if misses and "--verbose" in sys.argv:
            print("   misses: " + "; ".join(misses))


def timing(limit: int) -> None:
    """Median time per page of extract_article vs plain trafilatura.extract on the AEB pages,
    and how many pages called htmldate and what it took."""
    import trafilatura

    from extract import extract_article
    from extract import metadata as md
    from extract.encoding import decode_body

    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit]
    htmldate_times: list[float] = []
    original = getattr(md, "_htmldate", None)
    if original is not None:
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                htmldate_times.append(time.perf_counter() - t)
        md._htmldate = timed
    ours_t, traf_t = [], []
    for pid in ids:
        html, _ = decode_body(gzip.decompress((AEB / "html" / f"{pid}.html.gz").read_bytes()))
        url = truth[pid].get("url") or ""
        t = time.perf_counter()
        extract_article(html, url)
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        trafilatura.extract(html, url=url, include_comments=False)
        traf_t.append(time.perf_counter() - t)
    mo, mt = statistics.median(ours_t), statistics.median(traf_t)
    print(f"{len(ids)} AEB pages: extract_article median {mo * 1000:.1f} ms, plain trafilatura {mt * 1000:.1f} ms, "
          f"ratio {mo / mt:.2f}x (mean ratio {sum(ours_t) / sum(traf_t):.2f}x)")
    if original is not None:
        total = sum(htmldate_times)
        print(f"htmldate called on {len(htmldate_times)}/{len(ids)} pages, {total * 1000:.1f} ms in all: "
              f"{total * 1000 / len(ids):.2f} ms per page on average"
              + (f", {statistics.median(htmldate_times) * 1000:.1f} ms median per call" if htmldate_times else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="import extract/ from this checkout (e.g. /work/main)")
    parser.add_argument("--corpus", default="foreign,evaldata")
    parser.add_argument("--extractors", default="ours,trafilatura")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--timing", action="store_true", help="time extraction on the AEB pages instead")
    parser.add_argument("--verbose", action="store_true", help="list the misses on the foreign pages")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve() if args.code else REPO_ROOT))
    import logging

    logging.disable(logging.WARNING)
    if args.timing:
        timing(args.limit or 40)
        return
    for corpus in args.corpus.split(","):
        run(corpus, args.extractors.split(","), args.limit)


if __name__ == "__main__":
    main()
