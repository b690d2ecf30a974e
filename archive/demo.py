"""``calcio-archive demo``: a small archive built without network from the bundled sample
(``demo_sample/sample.warc.gz``: the fixture sites' home and article pages), through the
real code path that rebuilds an archive from WARC files (``reextract``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from extract.site import load_sites

from .db import open_db
from .reextract import reextract

SAMPLE = Path(__file__).with_name("demo_sample")
DEFAULT_DEMO_DB = "data/demo/calcio-demo.db"


def build_demo(db_path: str | Path, workers: int = 1) -> Counter:
    """A fresh archive at ``db_path`` from the sample; returns reextract's counts."""
    db_path = Path(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = open_db(db_path)
    try:
        return reextract(db, SAMPLE, load_sites(SAMPLE / "sites.toml"), workers=workers)
    finally:
        db.close()
