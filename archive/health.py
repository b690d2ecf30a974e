"""Site health after each crawl: how many of the run's articles have an author, a date, a
section and tags, how many offered pages were refused or blocked, compared with the site's
recent history. A clear drop (a site changed its layout) is an alarm, recorded in
``site_health``."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .db import write_transaction
from .store import now_utc

# field -> SQL test on articles ``a`` that the article has it
FIELDS = {
    "author": "coalesce(a.author, '') != ''",
    "date": "a.published IS NOT NULL AND a.published != ''",
    "section": "coalesce(a.section, '') != ''",
    "tags": "coalesce(a.tags, '[]') NOT IN ('[]', '')",
}
HISTORY = 5       # recent runs of the site that make its baseline
MIN_PAGES = 3     # fewer articles (or offered pages) in a run say nothing either way


@dataclass
class Alarm:
    site: str
    fields: list[str]      # what dropped: author, date, section, tags, refused, blocked
    current: dict[str, float]
    baseline: dict[str, float]

    def describe(self) -> str:
        return ", ".join(f"{f} {self.baseline[f]:.0%} → {self.current[f]:.0%}" for f in self.fields)


def pages_mark(db: sqlite_utils.Database) -> int:
    """Taken when a run starts: pages rows above this mark are URLs new in the run (an
    upsert keeps a known URL's rowid)."""
    return db.execute("SELECT coalesce(max(rowid), 0) FROM pages").fetchone()[0]


def measure(db: sqlite_utils.Database, crawl_id: int, site: str, mark: int = 0) -> dict:
    """This run's figures for ``site``: field shares over the articles it stored or fetched
    again; refused and blocked shares over the URLs new in the run (above ``mark``), since
    known listing pages are offered again on every run while known articles are not."""
    shares = ", ".join(f"avg(CASE WHEN {test} THEN 1.0 ELSE 0 END) AS {name}_share" for name, test in FIELDS.items())
    articles = db.execute(
        f"SELECT count(*), {shares} FROM pages p JOIN articles a ON a.url = p.article_url "
        "WHERE p.crawl_id = ? AND p.site = ? AND p.outcome = 'ok'", [crawl_id, site]).fetchone()
    pages = db.execute(
        "SELECT count(*), avg(CASE WHEN page_type NOT IN ('article', 'liveblog', 'blocked') THEN 1.0 ELSE 0 END), "
        "avg(CASE WHEN page_type = 'blocked' THEN 1.0 ELSE 0 END), "
        "sum(CASE WHEN outcome IN ('failed', 'timeout') THEN 1 ELSE 0 END) "
        "FROM pages WHERE crawl_id = ? AND site = ? AND kind = 'article' AND outcome != 'not_modified' AND rowid > ?",
        [crawl_id, site, mark]).fetchone()
    row = {"articles": articles[0], "pages": pages[0], "refused_share": pages[1], "blocked_share": pages[2],
           "failures": pages[3] or 0}
    row.update({f"{name}_share": value for name, value in zip(FIELDS, articles[1:])})
    return row


def _baseline(db: sqlite_utils.Database, site: str, crawl_id: int, column: str, enough: str) -> float | None:
    value = db.execute(
        f"SELECT avg({column}) FROM (SELECT {column} FROM site_health WHERE site = ? AND crawl_id < ? "
        f"AND {enough} >= ? AND {column} IS NOT NULL ORDER BY crawl_id DESC LIMIT ?)",
        [site, crawl_id, MIN_PAGES, HISTORY]).fetchone()[0]
    return value


def check(db: sqlite_utils.Database, crawl_id: int, sites: list[str], drop: float = 0.3, mark: int = 0) -> list[Alarm]:
    """Measure every site of the run, compare with its recent history, record a
    ``site_health`` row each; returns the alarms (fields whose share moved by ``drop`` or
    more the wrong way)."""
    alarms = []
    with write_transaction(db):
        for site in sites:
            row = measure(db, crawl_id, site, mark)
            current, baseline, dropped = {}, {}, []
            checks = [(name, f"{name}_share", "articles", -1) for name in FIELDS]
            checks += [("refused", "refused_share", "pages", 1), ("blocked", "blocked_share", "pages", 1)]
            for name, column, enough, direction in checks:
                if row[enough] < MIN_PAGES or row[column] is None:
                    continue
                before = _baseline(db, site, crawl_id, column, enough)
                if before is None:
                    continue
                current[name], baseline[name] = row[column], before
                if (row[column] - before) * direction >= drop:
                    dropped.append(name)
            alarm = Alarm(site, dropped, current, baseline) if dropped else None
            db["site_health"].insert({"crawl_id": crawl_id, "site": site, "checked_at": now_utc(), **row,
                                      "alarm": alarm.describe() if alarm else None})
            if alarm:
                alarms.append(alarm)
    return alarms
