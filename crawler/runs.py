"""When a crawl run counts as failed: one rule for the exit status and the crawls table."""

from __future__ import annotations

OK_REASONS = {"finished"}
# set (to the sites' names) when a site's field coverage dropped clearly: exit status 5
HEALTH_ALARM_STAT = "health/alarms"


def run_failed(reason: str | None, pages: int | None) -> bool:
    """A run failed when it did not finish normally, or fetched no page at all
    (robots.txt alone does not count)."""
    return reason not in OK_REASONS or not pages
