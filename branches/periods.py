"""Reporting periods: calendar year, academic year (September → August), semester (autumn September →
January, spring February → July), quarter, month, or a custom range. Every report and list filter takes a
`Period`; `Period.parse("semester:2026-autumn")` reads the compact form used in query strings."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import in_range


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    key: str

    @property
    def label(self) -> str:
        y = self.start.year
        if self.kind == "year":
            return _("Year %(year)s") % {"year": y}
        if self.kind == "academic":
            return _("Academic year %(a)s–%(b)s") % {"a": y, "b": y + 1}
        if self.kind == "semester":
            if self.start.month >= 8:
                return _("Autumn semester %(a)s–%(b)s") % {"a": y, "b": y + 1}
            return _("Spring semester %(a)s–%(b)s") % {"a": y - 1, "b": y}
        if self.kind == "quarter":
            return _("Q%(q)s %(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": y}
        if self.kind == "month":
            return _("%(year)s-%(month)s") % {"year": y, "month": f"{self.start.month:02d}"}
        return _("%(start)s to %(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind just before this one (for comparisons)."""
        if self.kind == "year":
            return calendar_year(self.start.year - 1)
        if self.kind == "academic":
            return academic_year(self.start.year - 1)
        if self.kind == "semester":
            return semester_containing(self.start - timedelta(days=40))
        if self.kind == "quarter":
            return quarter_containing(self.start - timedelta(days=1))
        if self.kind == "month":
            return month(
                self.start.year if self.start.month > 1 else self.start.year - 1, (self.start.month - 2) % 12 + 1
            )
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return custom(end - length, end)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) pairs the period touches, in order."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def quarters(self) -> list["Period"]:
        out, day = [], self.start
        while day <= self.end:
            q = quarter_containing(day)
            out.append(q)
            day = q.end + timedelta(days=1)
        return out

    def semesters(self) -> list["Period"]:
        out, day = [], self.start
        while day <= self.end:
            s = semester_containing(day)
            if day > s.end:  # August, the summer holiday: no semester starts until 1 September
                day = date(day.year, 9, 1)
                continue
            out.append(s)
            day = s.end + timedelta(days=1)
        return out

    @staticmethod
    def parse(value: str | None, today: date | None = None) -> "Period":
        """Read "year:2026", "academic:2026", "semester:2026-autumn", "semester:2027-spring",
        "quarter:2026-4", "month:2026-11", "custom:2026-01-01..2026-06-30". Anything unreadable falls back
        to the current calendar year (a bad query string must never break a page)."""
        today = today or timezone.localdate()
        try:
            kind, _sep, arg = (value or "").partition(":")
            if kind == "year":
                return calendar_year(_year(arg))
            if kind == "academic":
                return academic_year(_year(arg))
            if kind == "semester":
                year_s, _s, term = arg.partition("-")
                return semester(_year(year_s), term)
            if kind == "quarter":
                year_s, _s, q = arg.partition("-")
                return quarter(_year(year_s), int(q.lstrip("Qq")))
            if kind == "month":
                year_s, _s, m = arg.partition("-")
                return month(_year(year_s), int(m))
            if kind == "custom":
                a, _s, b = arg.partition("..")
                return custom(_day(a), _day(b))
        except (ValueError, TypeError, OverflowError):
            pass
        return calendar_year(today.year)


def _year(s: str) -> int:
    y = int(s)
    if not 1900 <= y <= 2200:
        raise ValueError(y)
    return y


def _day(s: str) -> date:
    # A day the records cannot hold (0001-01-01 turns into a BC timestamp in a query) is unreadable too.
    day = date.fromisoformat(s)
    if not in_range(day):
        raise ValueError(day)
    return day


def calendar_year(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"year:{year}")


def academic_year(start_year: int) -> Period:
    return Period("academic", date(start_year, 9, 1), date(start_year + 1, 8, 31), f"academic:{start_year}")


def academic_year_containing(day: date) -> Period:
    return academic_year(day.year if day.month >= 9 else day.year - 1)


def semester(year: int, term: str) -> Period:
    """Autumn of `year`: 1 Sep year → 31 Jan year+1. Spring of `year`: 1 Feb → 31 Jul of that year.
    (August is the summer holiday: it belongs to the academic year but to no semester.)"""
    if term == "autumn":
        return Period("semester", date(year, 9, 1), date(year + 1, 1, 31), f"semester:{year}-autumn")
    if term == "spring":
        return Period("semester", date(year, 2, 1), date(year, 7, 31), f"semester:{year}-spring")
    raise ValueError(term)


def semester_containing(day: date) -> Period:
    if day.month >= 9:
        return semester(day.year, "autumn")
    if day.month == 1:
        return semester(day.year - 1, "autumn")
    if day.month == 8:
        # The summer holiday: report against the spring semester that just ended.
        return semester(day.year, "spring")
    return semester(day.year, "spring")


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError(q)
    first = 3 * (q - 1) + 1
    last_day = calendar.monthrange(year, first + 2)[1]
    return Period("quarter", date(year, first, 1), date(year, first + 2, last_day), f"quarter:{year}-{q}")


def quarter_containing(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def month(year: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise ValueError(m)
    return Period("month", date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1]), f"month:{year}-{m:02d}")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("end before start")
    return Period("custom", start, end, f"custom:{start.isoformat()}..{end.isoformat()}")


def presets(today: date | None = None) -> list[Period]:
    """The periods offered in every period picker, most useful first."""
    today = today or timezone.localdate()
    this_sem = semester_containing(today)
    return [
        calendar_year(today.year),
        calendar_year(today.year - 1),
        academic_year_containing(today),
        academic_year_containing(today).previous(),
        this_sem,
        this_sem.previous(),
        quarter_containing(today),
        month(today.year, today.month),
    ]


_KEY_RE = re.compile(r"^[a-z]+:[0-9A-Za-z.\-]+$")


def is_period_key(value: str) -> bool:
    return bool(_KEY_RE.match(value or ""))
