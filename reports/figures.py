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
    hours: bool = False  # a number of hours: shown without pointless decimals
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


@dataclass(frozen=True)
class Breakdown:
    """A table of one source's figures per value of one field (activities per series, service per place,
    dues per organization): one grouped query. Each cell drills down to the rows of its figure having that
    value of `by`, so a cell and its list cannot disagree."""

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


_SOURCES: dict[str, Source] = {}
_BREAKDOWNS: dict[str, Breakdown] = {}
_EXTRAS: dict[str, Callable[[Organization, Period, dict], None]] = {}


def register(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def register_breakdown(breakdown: Breakdown) -> Breakdown:
    _BREAKDOWNS[breakdown.key] = breakdown
    return breakdown


def register_extra(key: str, compile_extra: Callable[[Organization, Period, dict], None]) -> None:
    """A compiler that adds its own part to the compiled dict (e.g. the meeting frequency check)."""
    _EXTRAS[key] = compile_extra


def breakdowns() -> list[Breakdown]:
    sources()
    return list(_BREAKDOWNS.values())


def find_breakdown(key: str) -> Breakdown | None:
    sources()
    return _BREAKDOWNS.get(key)


def compile_breakdown(b: Breakdown, root: Organization, period: Period) -> list[dict]:
    """[{"id": value of `by`, "name": its name, "values": {measure key: plain value}}], by name."""
    source = _SOURCES[b.source]
    qs = source.queryset(root, period).order_by()
    if b.q is not None:
        qs = qs.filter(b.q)
    fields = [b.by] + ([b.name] if b.name else [])
    exprs = {f"f{i}": _aggregate_expr(f) for i, f in enumerate(b.measures)}
    rows = []
    for row in qs.values(*fields).annotate(**exprs):
        rows.append(
            {
                "id": row[b.by],
                "name": row[b.name] if b.name else None,
                "values": {f.key: _plain(row[f"f{i}"], _decimal_figure(f)) for i, f in enumerate(b.measures)},
            }
        )
    rows.sort(key=lambda r: (r["id"] is None, str(r["name"] or r["id"] or "")))
    return rows


def breakdown_q(b: Breakdown, value: str) -> Q:
    """The rows of one group of a breakdown (the drill-down filter of one cell)."""
    if value in ("", "none"):
        return Q(**{f"{b.by}__isnull": True}) & (b.q or Q())
    return Q(**{b.by: value}) & (b.q or Q())


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


def _decimal_figure(fig: Figure) -> bool:
    return fig.money or fig.hours


def _aggregate(source: Source, root: Organization, period: Period, figs: Sequence[Figure]) -> dict:
    if not figs:
        return {}
    exprs = {f"f{i}": _aggregate_expr(f) for i, f in enumerate(figs)}
    row = source.queryset(root, period).order_by().aggregate(**exprs)
    return {
        f.key: _plain(-row[f"f{i}"] if f.negate and row[f"f{i}"] else row[f"f{i}"], _decimal_figure(f))
        for i, f in enumerate(figs)
    }


def compile_figure(source: Source, fig: Figure, root: Organization, period: Period, extra: Q | None = None):
    """One figure's value (the drill-down page shows it above its list), optionally within one row of a
    breakdown (`extra`)."""
    if extra is None:
        return _aggregate(source, root, period, [fig])[fig.key]
    narrowed = Source(source.key, source.label, lambda r, p: source.queryset(r, p).filter(extra), source.figures)
    return _aggregate(narrowed, root, period, [fig])[fig.key]


def period_dict(period: Period) -> dict:
    return {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}


def compile_figures(root: Organization, period: Period) -> dict:
    """Every figure of the summary for `root`'s subtree in `period`, and for `period.previous()`:
    {"figures": {key: {"value", "previous", "money", "hours", "stock"}}, "series": {...},
    "breakdowns": {key: [rows]}, "frequency": [rows], ...}, JSON-serializable (a finalized summary stores it).
    Two aggregate queries per source, one per chart series and per breakdown, and the extras' own (the
    frequency check: two; the 推优 target: one) — a flat number whatever the size of the school."""
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
                "hours": f.hours,
                "stock": f.stock,
            }
        if source.series:
            out["series"].update(source.series(root, period))
    out["breakdowns"] = {b.key: compile_breakdown(b, root, period) for b in breakdowns() if not b.link_only}
    for extra in _EXTRAS.values():
        extra(root, period, out)
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
