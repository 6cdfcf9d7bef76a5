"""The vocabulary in which every domain app declares the figures the annual summary prints.

A *source* is one kind of record (meetings, officers, …): a function giving the records of an organization
subtree in a period, plus the *figures* counted or summed over them, each with a `Q` that picks its rows.
Each app declares its sources in its own `figures.py`, on its own queryset methods, so the app that owns a
record owns what its figures mean; `reports` only compiles them (`reports.figures`).

This module is the ground: it knows no app of the project. An organization is anything with a
materialized `.path`; a period anything with `.start` and `.end` dates (and, where a source needs it, the
richer `branches.periods.Period`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.db.models import Q, QuerySet
from django.utils import timezone


class Subtree(Protocol):
    """An organization, as a figure sees it: the root of a subtree."""

    path: str


class Span(Protocol):
    """A period, as a figure sees it: a first and a last day (both included)."""

    start: date
    end: date


@dataclass(frozen=True)
class Column:
    label: Any  # lazy translated header
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # lazy translated, short ("Party classes")
    q: Q | None = None
    sum_field: str | None = None  # Sum(field) instead of Count
    distinct: str | None = None  # Count(distinct field), e.g. recipients
    money: bool = False
    hours: bool = False  # a number of hours: shown without pointless decimals
    compare: bool = True  # also compiled for the previous period
    stock: bool = False  # a state on the period's last day, not a flow in the period
    negate: bool = False  # shown with the opposite sign (grants are negative entries of the fund's book)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    queryset: Callable[[Any, Any], QuerySet]  # (organization, period) -> the records counted
    figures: Callable[[Any], Sequence[Figure]]  # period -> its figures
    columns: Sequence[Column] = ()
    series: Callable[[Any, Any], dict] | None = None
    order_by: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Breakdown:
    """A table of one source's figures per value of one field (activities per series, per place, dues per
    organization): one grouped query. Each cell drills down to the rows of its figure having that value of
    `by`, so a cell and its list cannot disagree."""

    key: str
    title: Any  # lazy
    source: str  # key of the Source whose queryset is grouped
    by: str  # the grouping field ("series", "place", "organization", "level")
    measures: Sequence[Figure]  # columns: each a figure of the source (same key, so cells drill down)
    name: str | None = None  # the field naming a group ("series__name"); None: `choices` or the raw value
    choices: Callable[[], dict] | None = None  # {value: lazy label} when `by` is a choice field
    q: Q | None = None  # rows considered at all
    empty_label: Any = None  # label of the rows whose `by` is empty
    link_only: bool = False  # not a table of its own: only filters drill-downs (e.g. meetings of one organization)
    group: str | None = None  # a field the rows are grouped (and ordered) by first, e.g. "place__kind"
    group_choices: Callable[[], dict] | None = None  # {value of `group`: lazy label}


# An extra compiles its own part of the summary (e.g. the meeting frequency check) into the compiled dict:
# (organization, period, compiled) -> None.
Extra = Callable[[Any, Any, dict], None]


def day_range(period: Span) -> tuple[datetime, datetime]:
    """Aware datetimes [start of first day, start of the day after the last) in the local time zone, for
    DateTimeFields (an index-friendly range instead of `__date`)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz),
    )


def subtree_q(root: Subtree, field: str = "organization") -> Q:
    return Q(**{f"{field}__path__startswith": root.path})


def plain_figure(value) -> dict:
    """A figure an extra computes itself (no source behind it, so no drill-down list)."""
    return {"value": value, "previous": None, "money": False, "hours": False, "stock": False, "nolink": True}
