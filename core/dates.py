"""The dates a record may hold. A school's records start no earlier than 1900 and none is planned past 2100;
outside that range a date is a typing slip ("0001-01-01", a year with five digits), and a datetime near the
calendar's ends cannot even be stored: 0001-01-01 00:00 in Shanghai is a BC timestamp in UTC, which
PostgreSQL accepts and Python cannot read back (every page showing the row, and the backup, fail).

Forms refuse such input (`core.forms.DateRangeMixin`), and query strings that carry dates
(`branches.periods.Period.parse`) fall back to their default."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def in_range(value: date | datetime) -> bool:
    """Whether a date, or a datetime's own (local) day, lies within EARLIEST..LATEST."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def validate_in_range(value: date | datetime | None) -> None:
    if value is not None and not in_range(value):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
