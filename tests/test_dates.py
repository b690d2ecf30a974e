from datetime import datetime, timezone

import pytest

from extract.dates import date_from_url, parse_date, same_instant

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "raw, expected",
    [
        # the offset the value gives is kept; only a time without one is the site's local time
        ("2017-03-14T09:21:00+00:00", "2017-03-14T09:21:00+00:00"),
        ("2017-07-14T09:21:00Z", "2017-07-14T09:21:00+00:00"),
        ("2026-11-30T01:28:00+09:00", "2026-11-30T01:28:00+09:00"),
        ("2026-01-29T16:02:50+0100", "2026-01-29T16:02:50+01:00"),
        ("2026-03-01T20:45:00", "2026-03-01T20:45:00+01:00"),
        ("2026-07-01 20:45", "2026-07-01T20:45:00+02:00"),
        ("2026-03-01T20:45:00.123+01:00", "2026-03-01T20:45:00+01:00"),
        ("Tue, 14 Mar 2017 09:21:00 +0000", "2017-03-14T09:21:00+00:00"),
        # zone abbreviations, as some CMSs write them into JSON-LD
        ("2026-01-29T16:02:50CDT", "2026-01-29T16:02:50-05:00"),
        ("2026-01-29 16:02:50 CET", "2026-01-29T16:02:50+01:00"),
        ("2017-03-14", "2017-03-14"),
        # Italian and English
        ("14 marzo 2017", "2017-03-14"),
        ("Martedì 14 marzo 2017 - ore 20:45", "2017-03-14T20:45:00+01:00"),
        ("1 marzo 2026, 20:45", "2026-03-01T20:45:00+01:00"),
        ("Pubblicato il 3 Settembre 2025 alle 18.30", "2025-09-03T18:30:00+02:00"),
        ("March 14, 2017", "2017-03-14"),
        ("14/03/2017", "2017-03-14"),
        # German, French, Spanish, Portuguese month names
        ("19. Juli 2014", "2014-07-19"),
        ("Mittwoch, 2. Dezember 2026, 15:48 Uhr", "2026-12-02T15:48:00+01:00"),
        ("le 1er mars 2026 à 18h05", "2026-03-01T18:05:00+01:00"),
        ("publié le 12 février 2026", "2026-02-12"),
        ("2 de diciembre de 2026", "2026-12-02"),
        ("Actualizado: 3 de septiembre de 2025, 09:10", "2025-09-03T09:10:00+02:00"),
        ("5 de março de 2025", "2025-03-05"),
        # numeric forms: two-digit years, dotted year-first, a date with its time
        ("25.04.24 | 14:07", "2024-04-25T14:07:00+02:00"),
        ("2026.01.29 18:40", "2026-01-29T18:40:00+01:00"),
        ("02.12.2026 17:48", "2026-12-02T17:48:00+01:00"),
        # 12-hour clocks
        ("March 14, 2017 3:48 PM", "2017-03-14T15:48:00+01:00"),
        ("Dec. 2, 2026, 3:48 p.m.", "2026-12-02T15:48:00+01:00"),
        ("Dec 2, 2026 12:10 am", "2026-12-02T00:10:00+01:00"),
        # the clock written before its date
        ("Aggiornato alle 18:05 del 2 dicembre 2026", "2026-12-02T18:05:00+01:00"),
        ("modifica il 02 dicembre 2026 | 18:05", "2026-12-02T18:05:00+01:00"),
    ],
)
def test_dates_normalised(raw, expected):
    assert parse_date(raw, "Europe/Rome", now=NOW) == expected


def test_site_zone_only_for_times_without_offset():
    assert parse_date("2026-07-01T20:45:00", "Europe/London", now=NOW) == "2026-07-01T20:45:00+01:00"
    assert parse_date("2026-07-01T20:45:00+02:00", "Europe/London", now=NOW) == "2026-07-01T20:45:00+02:00"


@pytest.mark.parametrize("raw", ["2017-02-30", "31 aprile 2020", "2030-01-01T10:00:00+01:00", "1985-05-01", "", "oggi",
                                 None, "x" * 1000, 12, "3-4-10", "Serie A 2025/26", "13:45 Uhr"])
def test_impossible_future_or_garbage_dates_are_none(raw):
    assert parse_date(raw, "Europe/Rome", now=NOW) is None


def test_unknown_timezone_falls_back_to_rome():
    assert parse_date("2026-03-01T20:45:00", "Mars/Olympus", now=NOW) == "2026-03-01T20:45:00+01:00"


def test_date_from_url():
    assert date_from_url("https://x.it/2017/03/14/slug/") == "2017-03-14"
    assert date_from_url("https://x.it/2017/13/40/slug/") is None


def test_same_instant_across_offsets():
    assert same_instant("2017-03-14T09:21:00+00:00", "2017-03-14T10:21:00+01:00")
    assert not same_instant("2017-03-14T09:21:00+00:00", "2017-03-14T09:21:00+01:00")
    assert not same_instant("2017-03-14", "2017-03-14")


def test_as_datetime_compares_instants_across_offsets():
    from extract.dates import as_datetime

    tokyo, rome = as_datetime("2026-03-02T01:28:00+09:00"), as_datetime("2026-03-01T18:00:00+01:00")
    assert tokyo < rome  # written a day later, but earlier in time
    assert as_datetime("2026-03-01") == as_datetime("2026-03-01T00:00:00+00:00")
    assert as_datetime("not a date") is None and as_datetime(None) is None
