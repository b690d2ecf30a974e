"""What entity matching (extract/football.py) costs per page, beside the whole extraction.

    .venv/bin/python benchmarks/football_speed.py [DIR]   # default ../shared/benchmarks/article-extraction/html
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

from extract import extract_article
from extract.encoding import decode_body
from extract.football import default_gazetteer, football_entities

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "article-extraction" / "html"


def main(folder: Path) -> None:
    default_gazetteer()  # compiled once per process, as in a crawl worker
    extract_total = match_total = 0.0
    pages = found = 0
    for path in sorted(folder.glob("*.html*")):
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
        html, _ = decode_body(raw, None)
        t0 = time.perf_counter()
        result = extract_article(html, "https://example.org/" + path.name.split(".")[0])
        t1 = time.perf_counter()
        if result.article is not None:
            a = result.article
            ents = football_entities(a.title, a.text, a.section, a.tags)
            found += len(ents)
        t2 = time.perf_counter()
        extract_total += t1 - t0
        match_total += t2 - t1
        pages += 1
    print(f"{pages} pages: extraction {extract_total / pages * 1000:.1f} ms/page (entity matching included), "
          f"entity matching alone {match_total / pages * 1000:.2f} ms/page "
          f"({match_total / extract_total * 100:.1f}% of extraction); {found} entities found")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
