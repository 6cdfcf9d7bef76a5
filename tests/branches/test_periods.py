from datetime import date

import pytest

from branches import periods
from branches.periods import Period


def test_calendar_and_academic_year():
    assert periods.calendar_year(2026).start == date(2026, 1, 1)
    assert periods.calendar_year(2026).end == date(2026, 12, 31)
    ay = periods.academic_year_containing(date(2027, 3, 1))
    assert (ay.start, ay.end) == (date(2026, 9, 1), date(2027, 8, 31))
    assert periods.academic_year_containing(date(2026, 9, 1)).start == date(2026, 9, 1)
    assert periods.academic_year_containing(date(2026, 8, 31)).start == date(2025, 9, 1)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 9, 1), date(2026, 9, 1), date(2027, 1, 31)),  # autumn starts
        (date(2026, 12, 31), date(2026, 9, 1), date(2027, 1, 31)),  # across the new year
        (date(2027, 1, 1), date(2026, 9, 1), date(2027, 1, 31)),
        (date(2027, 1, 31), date(2026, 9, 1), date(2027, 1, 31)),  # last day of autumn
        (date(2027, 2, 1), date(2027, 2, 1), date(2027, 7, 31)),  # spring starts
        (date(2027, 7, 31), date(2027, 2, 1), date(2027, 7, 31)),
        (date(2027, 8, 15), date(2027, 2, 1), date(2027, 7, 31)),  # summer holiday → the spring just ended
    ],
)
def test_semester_boundaries(day, start, end):
    sem = periods.semester_containing(day)
    assert (sem.start, sem.end) == (start, end)


def test_previous_periods():
    assert periods.semester(2026, "autumn").previous() == periods.semester(2026, "spring")
    assert periods.semester(2026, "spring").previous() == periods.semester(2025, "autumn")
    assert periods.quarter(2026, 1).previous() == periods.quarter(2025, 4)
    assert periods.month(2026, 1).previous() == periods.month(2025, 12)
    assert periods.calendar_year(2026).previous() == periods.calendar_year(2025)
    assert periods.academic_year(2026).previous() == periods.academic_year(2025)
    c = periods.custom(date(2026, 3, 1), date(2026, 3, 10))
    assert c.previous() == periods.custom(date(2026, 2, 19), date(2026, 2, 28))


def test_quarters_and_months_of_a_period():
    ay = periods.academic_year(2026)
    assert len(ay.months()) == 12
    assert ay.months()[0] == (2026, 9) and ay.months()[-1] == (2027, 8)
    assert [q.key for q in ay.quarters()] == [
        "quarter:2026-3",
        "quarter:2026-4",
        "quarter:2027-1",
        "quarter:2027-2",
        "quarter:2027-3",
    ]
    assert [s.key for s in periods.calendar_year(2026).semesters()] == [
        "semester:2025-autumn",
        "semester:2026-spring",
        "semester:2026-autumn",
    ]


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("year:2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("academic:2025", date(2025, 9, 1), date(2026, 8, 31)),
        ("semester:2026-autumn", date(2026, 9, 1), date(2027, 1, 31)),
        ("semester:2026-spring", date(2026, 2, 1), date(2026, 7, 31)),
        ("quarter:2026-4", date(2026, 10, 1), date(2026, 12, 31)),
        ("month:2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("custom:2026-01-05..2026-02-01", date(2026, 1, 5), date(2026, 2, 1)),
    ],
)
def test_parse_round_trips(key, start, end):
    p = Period.parse(key)
    assert (p.start, p.end, p.key) == (start, end, key)
    assert Period.parse(p.key) == p


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "",
        "year:abc",
        "quarter:2026-7",
        "month:2026-13",
        "custom:2026-02-01..2026-01-01",
        "semester:2026-winter",
        "year:99999999999999999999",
        "custom:x..y",
        "💥",
    ],
)
def test_parse_never_fails_on_junk(junk):
    assert Period.parse(junk, today=date(2026, 11, 25)) == periods.calendar_year(2026)


def test_labels_are_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert periods.calendar_year(2026).label == "2026年度"
        assert "秋季学期" in periods.semester(2026, "autumn").label
    with translation.override("en"):
        assert periods.semester(2026, "autumn").label == "Autumn semester 2026–2027"


def test_presets_contain_current_year_and_semester():
    keys = [p.key for p in periods.presets(date(2026, 11, 25))]
    assert keys[0] == "year:2026"
    assert "semester:2026-autumn" in keys
    assert "academic:2026" in keys
