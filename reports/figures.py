"""The compiling layer: every figure of a summary, for a period and an organization subtree.

A *source* is one kind of record (meetings, officers, …): a function giving the records of a subtree in a
period, plus the *figures* counted or summed over them, each with a `Q` that picks its rows. A source's
figures are computed in ONE aggregate query (conditional `Count`/`Sum`), so a summary costs a flat
number of queries whatever the size of the school; the drill-down list of a figure is the same queryset
filtered by the same `Q`, so the figure and its list cannot disagree.

The types a figure is declared with live in `core.figures`; each domain app declares its figures in its
own `figures.py`, and `reports.catalogue` lists them all (no registration by import side effect)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from branches.models import Organization
from branches.periods import Period
from core.datacache import cached, within_cached
from core.figures import Breakdown, Figure, Source

from .catalogue import BREAKDOWNS, EXTRAS, SOURCES


def sources() -> list[Source]:
    return list(SOURCES)


def breakdowns() -> list[Breakdown]:
    return list(BREAKDOWNS)


def find_source(key: str) -> Source | None:
    return next((s for s in SOURCES if s.key == key), None)


def find_breakdown(key: str) -> Breakdown | None:
    return next((b for b in BREAKDOWNS if b.key == key), None)


def compile_breakdown(b: Breakdown, root: Organization, period: Period) -> list[dict]:
    """[{"id": value of `by`, "name": its name, "values": {measure key: plain value}}], by name; with a `group`
    field, each row also holds "group" and the rows go by group (in the order of `group_choices`) first."""
    source = find_source(b.source)
    qs = source.queryset(root, period).order_by()
    if b.q is not None:
        qs = qs.filter(b.q)
    fields = [b.by] + ([b.name] if b.name else []) + ([b.group] if b.group else [])
    exprs = {f"f{i}": _aggregate_expr(f) for i, f in enumerate(b.measures)}
    rows = []
    for row in qs.values(*fields).annotate(**exprs):
        out = {
            "id": row[b.by],
            "name": row[b.name] if b.name else None,
            "values": {f.key: _plain(row[f"f{i}"], _decimal_figure(f)) for i, f in enumerate(b.measures)},
        }
        if b.group:
            out["group"] = row[b.group]
        rows.append(out)
    order = {value: i for i, value in enumerate(b.group_choices() if b.group_choices else ())}
    rows.sort(
        key=lambda r: (
            order.get(r.get("group"), len(order)),
            r["id"] is None,
            str(r["name"] or r["id"] or ""),
        )
    )
    return rows


def breakdown_q(b: Breakdown, value: str) -> Q:
    """The rows of one group of a breakdown (the drill-down filter of one cell)."""
    if value in ("", "none"):
        return Q(**{f"{b.by}__isnull": True}) & (b.q or Q())
    return Q(**{b.by: value}) & (b.q or Q())


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
    frequency check: two; the 推优 target: one) — a flat number whatever the size of the school.

    Each source, breakdown and extra is one *part*. When the compile is itself a cached result (the live
    figures of the dashboard and of a draft summary: `reports.selectors.live_figures`), each part is cached
    on its own, with the tables it read, for `root`'s subtree (core.datacache): recording a meeting recomputes
    the meeting figures of its school only, and a change in another school recomputes nothing here. Called
    directly (a summary's first draft, its frozen snapshot), every part is computed from the records."""
    previous = period.previous()
    header = {
        "organization": {"id": root.pk, "name": root.name},
        "period": period_dict(period),
        "previous_period": period_dict(previous),
    }
    out = {**header, "compiled_at": timezone.now().isoformat(), "sources": [], "figures": {}, "series": {}}
    ident = (root.pk, root.path, period.key, period.start.isoformat(), period.end.isoformat())

    def part(kind: str, name: str, compute):
        if not within_cached():
            return compute()
        return cached(f"figures-{kind}", (name, *ident), compute, scope=(root.path,))

    for source in sources():
        compiled = part("source", source.key, lambda source=source: _compile_source(source, root, period, previous))
        out["sources"].append(source.key)
        out["figures"].update(compiled["figures"])
        out["series"].update(compiled["series"])
    out["breakdowns"] = {
        b.key: part("breakdown", b.key, lambda b=b: compile_breakdown(b, root, period))
        for b in breakdowns()
        if not b.link_only
    }
    for extra in EXTRAS:
        name = f"{extra.__module__}.{extra.__qualname__}"
        added = part("extra", name, lambda extra=extra: _compile_extra(extra, root, period, header))
        out["figures"].update(added.pop("figures"))
        out["series"].update(added.pop("series"))
        out.update(added)
    return out


def _compile_source(source: Source, root: Organization, period: Period, previous: Period) -> dict:
    figs = list(source.figures(period))
    current = _aggregate(source, root, period, figs)
    comparable = [f for f in figs if f.compare and not f.stock]
    before = _aggregate(source, root, previous, comparable)
    figures = {
        f.key: {
            "value": current[f.key],
            "previous": before.get(f.key),
            "money": f.money,
            "hours": f.hours,
            "stock": f.stock,
        }
        for f in figs
    }
    return {"figures": figures, "series": source.series(root, period) if source.series else {}}


def _compile_extra(extra, root: Organization, period: Period, header: dict) -> dict:
    """What one extra adds to the compiled figures (it is handed a compiled dict of its own to add to)."""
    own = {**header, "figures": {}, "series": {}}
    extra(root, period, own)
    return {k: v for k, v in own.items() if k not in header}


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
