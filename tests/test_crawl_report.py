"""What a crawl tells its user: the per-site summary, one plain sentence when nothing could
be reached (one line per unresolvable host, no traceback), and the site-health alarm when a
site's layout changes between two crawls (exit status 5, a site_health row)."""

import re
import sqlite3

from tests.crawling import query, run_crawl, write_sites
from tests.newsroom import Newsroom

LD_JSON = re.compile(rb'<script type="application/ld\+json">.*?</script>', re.S)


def test_unreachable_sites_one_line_each_and_one_sentence(tmp_path):
    # .invalid never resolves (RFC 6761): the lookup fails locally, no traffic leaves the machine
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "nessuno"\nurl = "https://www.calcio-nessuno.invalid/"\n'
                     '[[site]]\nname = "sparito"\nurl = "http://sparito.invalid/"\n')
    run = run_crawl(sites, tmp_path / "a.db")
    assert run.returncode == 3
    assert "no site could be reached: check the network or the sites file" in run.log
    assert "Traceback" not in run.log
    assert "Deprecat" not in run.log  # no deprecated setting at start (the TLS one was)
    for host in ("www.calcio-nessuno.invalid", "sparito.invalid"):
        records = [x for x in run.log.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", x)]  # one per log record
        lines = [x for x in records if host in x and "[crawler.summary]" not in x]
        assert len(lines) == 1 and "cannot be resolved" in lines[0], lines
    summary = run.log[run.log.index("Crawl summary, per site:"):]
    assert re.search(r"^nessuno +0 .* unreachable", summary, re.M)
    assert re.search(r"^sparito +0 .* unreachable", summary, re.M)


class Redesigned(Newsroom):
    """The newsroom's pages lose their structured data (author, section) when redesigned."""

    redesigned = False

    def respond(self, method, path, headers):
        status, out, body = super().respond(method, path, headers)
        if self.redesigned and status == 200:
            body = LD_JSON.sub(b"", body)
        return status, out, body


def test_summary_and_health_alarm_on_a_layout_change(tmp_path):
    db = tmp_path / "a.db"
    with Redesigned(old=9, recent=0) as site:
        sites = write_sites(tmp_path, site, "campanile")
        first = run_crawl(sites, db)
        assert first.returncode == 0, first.log[-3000:]
        summary = first.log[first.log.index("Crawl summary, per site:"):]
        line = next(x for x in summary.splitlines() if x.startswith("campanile"))
        fetched, new, updated, unchanged = map(int, line.split()[1:5])
        assert (new, updated, unchanged) == (9, 0, 0) and fetched >= 11  # robots, sitemap, home, 9 articles
        assert query(db, "select articles, author_share, section_share, alarm from site_health") == [(9, 1.0, 1.0, None)]

        # an unchanged re-run: nothing fetched to judge, no alarm
        again = run_crawl(sites, db)
        assert again.returncode == 0, again.log[-3000:]

        # the site is redesigned and four stories updated (in the sitemap, not on the home page,
        # so they are found with their new lastmod): they come back without author and section
        site.redesigned = True
        with sqlite3.connect(db) as con:  # our copies are an hour old: the edits below are newer
            con.execute("update pages set fetched_at = datetime(fetched_at, '-1 hour')")
        con.close()
        for story in site.stories[:4]:
            site.edit(story, "Aggiornamento: la società ha comunicato la formazione per la prossima gara.")
        second = run_crawl(sites, db)
        assert second.returncode == 5, second.log[-3000:]
        warning = next(x for x in second.log.splitlines() if "Site health: campanile" in x)
        assert "author 100% → 0%" in warning
        rows = query(db, "select articles, author_share, alarm from site_health order by id")
        assert rows[-1][0] == 4 and rows[-1][1] == 0.0 and "author" in rows[-1][2]
        assert query(db, "select status from crawls order by id desc limit 1") == [("finished",)]
