"""The compiling layer: every figure of a summary, for a period and an organization subtree.

A *source* is one kind of record (meetings, officers, …): a function giving the records of a subtree in a
period, plus the *figures* counted or summed over them, each with a `Q` that picks its rows. A source's
figures are computed in ONE aggregate query (conditional `Count`/`Sum`), so a summary costs a flat
number of queries whatever the size of the school; the drill-down list of a figure is the same queryset
filtered by the same `Q`, so the figure and its list cannot disagree.

Apps landing later register their own sources in `reports.sources` (see `register`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from branches.models import Organization
from branches.periods import Period


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
    compare: bool = True  # also compiled for the previous period
    stock: bool = False  # a state on the compile date, not a flow in the period
    negate: bool = False  # shown with the opposite sign (grants are negative entries of the fund's book)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    queryset: Callable[[Organization, Period], QuerySet]
    figures: Callable[[Period], Sequence[Figure]]
    columns: Sequence[Column] = ()
    series: Callable[[Organization, Period], dict] | None = None
    order_by: Sequence[str] = field(default_factory=tuple)


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def sources() -> list[Source]:
    from . import sources as _defined  # noqa: F401  (registers the built-in sources)

    return list(_SOURCES.values())


def day_range(period: Period) -> tuple[datetime, datetime]:
    """Aware datetimes [start of first day, start of the day after the last) in the local time zone, for
    DateTimeFields (an index-friendly range instead of `__date`)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz),
    )


def subtree_q(root: Organization, field: str = "organization") -> Q:
    return Q(**{f"{field}__path__startswith": root.path})


def _aggregate_expr(fig: Figure):
    if fig.sum_field:
        return Sum(fig.sum_field, filter=fig.q)
    if fig.distinct:
        return Count(fig.distinct, filter=fig.q, distinct=True)
    return Count("pk", filter=fig.q)


def _plain(value, money: bool):
    if value is None:
        return "0.00" if money else 0
    if isinstance(value, Decimal) or money:
        return str(Decimal(value).quantize(Decimal("0.01")))
    return int(value)


def _aggregate(source: Source, root: Organization, period: Period, figs: Sequence[Figure]) -> dict:
    if not figs:
        return {}
    exprs = {f"f{i}": _aggregate_expr(f) for i, f in enumerate(figs)}
    row = source.queryset(root, period).order_by().aggregate(**exprs)
    return {
        f.key: _plain(-row[f"f{i}"] if f.negate and row[f"f{i}"] else row[f"f{i}"], f.money) for i, f in enumerate(figs)
    }


def compile_figure(source: Source, fig: Figure, root: Organization, period: Period):
    """One figure's value (the drill-down page shows it above its list)."""
    return _aggregate(source, root, period, [fig])[fig.key]


def period_dict(period: Period) -> dict:
    return {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}


def compile_figures(root: Organization, period: Period) -> dict:
    """Every figure of the summary for `root`'s subtree in `period`, and for `period.previous()`:
    {"figures": {key: {"value", "previous", "money", "stock"}}, "series": {...}, ...}, JSON-serializable.
    Two aggregate queries per source (plus one per chart series)."""
    previous = period.previous()
    out = {
        "organization": {"id": root.pk, "name": root.name},
        "period": period_dict(period),
        "previous_period": period_dict(previous),
        "compiled_at": timezone.now().isoformat(),
        "sources": [],
        "figures": {},
        "series": {},
    }
    for source in sources():
        figs = list(source.figures(period))
        current = _aggregate(source, root, period, figs)
        comparable = [f for f in figs if f.compare and not f.stock]
        before = _aggregate(source, root, previous, comparable)
        out["sources"].append(source.key)
        for f in figs:
            out["figures"][f.key] = {
                "value": current[f.key],
                "previous": before.get(f.key),
                "money": f.money,
                "stock": f.stock,
            }
        if source.series:
            out["series"].update(source.series(root, period))
    return out


def find_figure(key: str, period: Period) -> tuple[Source, Figure] | None:
    for source in sources():
        for fig in source.figures(period):
            if fig.key == key:
                return source, fig
    return None


def drilldown_queryset(source: Source, fig: Figure, root: Organization, period: Period) -> QuerySet:
    """The records behind one figure: the very queryset its aggregate ran over, filtered by its Q."""
    qs = source.queryset(root, period)
    if fig.q is not None:
        qs = qs.filter(fig.q)
    if source.order_by:
        qs = qs.order_by(*source.order_by)
    return qs


def first_of_months(period: Period) -> list[date]:
    return [date(y, m, 1) for y, m in period.months()]
