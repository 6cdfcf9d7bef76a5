"""Date arithmetic for the pipeline rules, in one place so that every rule counts the same way.

- A year is counted to the same calendar day: one year as activist from 10 March 2025 is complete on
  10 March 2026, and that day is the first on which the next step is allowed.
- 29 February has its anniversary on 1 March in common years (as birthdays do in `Person.age_on`): an
  activist from 29 February 2024 may become a development target from 1 March 2025; someone born on
  29 February 2008 turns 18 on 1 March 2026.
- A month is counted to the same day of the month, or the month's last day when it has no such day
  (the talk due one month after 31 January is due on 28/29 February).
"""

import calendar
from datetime import date


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    first = 3 * (q - 1) + 1
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
