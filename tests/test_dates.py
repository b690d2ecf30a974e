from datetime import datetime, timezone

import pytest

from extract.dates import date_from_url, parse_date

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2017-03-14T09:21:00+00:00", "2017-03-14T10:21:00+01:00"),
        ("2017-07-14T09:21:00Z", "2017-07-14T11:21:00+02:00"),
        ("2026-03-01T20:45:00", "2026-03-01T20:45:00+01:00"),  # no offset: Rome local time
        ("2026-03-01T20:45:00.123+01:00", "2026-03-01T20:45:00+01:00"),
        ("2017-03-14", "2017-03-14"),
        ("14 marzo 2017", "2017-03-14"),
        ("Martedì 14 marzo 2017 - ore 20:45", "2017-03-14T20:45:00+01:00"),
        ("1 marzo 2026, 20:45", "2026-03-01T20:45:00+01:00"),
        ("Pubblicato il 3 Settembre 2025 alle 18.30", "2025-09-03T18:30:00+02:00"),
        ("14/03/2017", "2017-03-14"),
        ("Tue, 14 Mar 2017 09:21:00 +0000", "2017-03-14T10:21:00+01:00"),
        ("March 14, 2017", "2017-03-14"),
    ],
)
def test_dates_normalised_to_rome(raw, expected):
    assert parse_date(raw, "Europe/Rome", now=NOW) == expected


@pytest.mark.parametrize("raw", ["2017-02-30", "31 aprile 2020", "2030-01-01T10:00:00+01:00", "1985-05-01", "", "oggi", None, "x" * 1000, 12])
def test_impossible_future_or_garbage_dates_are_none(raw):
    assert parse_date(raw, "Europe/Rome", now=NOW) is None


def test_unknown_timezone_falls_back_to_rome():
    assert parse_date("2026-03-01T20:45:00", "Mars/Olympus", now=NOW) == "2026-03-01T20:45:00+01:00"


def test_date_from_url():
    assert date_from_url("https://x.it/2017/03/14/slug/") == "2017-03-14"
    assert date_from_url("https://x.it/2017/13/40/slug/") is None
