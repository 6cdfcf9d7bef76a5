"""Results that are costly to compute and change only when the records they were computed from change — each
source of figures of the dashboard and the annual summary, a user's Due list, the summary's PDF — are cached
with what they read, and served while none of it changed.

**What a result read.** While a result is computed, every SQL statement it runs is looked at (a connection
execute wrapper) and the domain tables it names are noted; a result computed inside another (a source of
figures inside the whole compiled summary) adds its tables to the outer one, whether computed or served from
the cache. Nothing is declared, so nothing can drift from the queries: a figure that starts reading another
table depends on it from its next computation. A result whose computation read a table only under some
condition depends on what decided it, so it is recomputed before that condition can change.

**Whether it changed.** Every change to a domain record (create, edit, delete; one by one, through the
admin, the seeds or the bulk helpers of django-simple-history) writes a row to that model's history table,
whose `history_id` only grows. A result is stored with, for each table it read, the largest `history_id` of
that table's history when its computation began (one query reads them all, an index lookup per table). On
the next request, a table whose high-water mark has not moved is unchanged. When it has moved, the new
history rows (only those) are mapped to the organizations they concern — the organization they point to,
directly or through the record they belong to (an attendance row through its meeting), in their new and in
every earlier version, so a record moved from one class to another concerns both — and a result *scoped*
to organization subtrees (`scope`: the paths of their roots, e.g. the school or branch a summary is about)
is kept when none of them lies within, or above, its subtrees. A result is stamped again with the new marks
when it is kept, so the next check is the one query again. A row that cannot be placed in the tree (a
school year, a record whose organization is gone) concerns every result; so does every row for a result
with no scope.

So recording a meeting recomputes only what read meetings, and only for its own school (or branch), and a
change in one school leaves another school's cached figures in use.

What does not write history (a `QuerySet.update()` outside the services, a many-to-many link saved alone, the
seeds' bulk inserts — seed before serving —, a restore from a backup, a change to user accounts or groups) is
bounded by the timeout (`PARTYLEAGUE_CACHE_SECONDS`, one hour by default; 0 turns the cache off, as the tests
do outside the tests of this module). So is a change committed by a transaction that had written its history row before a result
was computed and committed only after, while a later change in the same table and subtree had already
committed: the high-water mark does not move for it. Keys also hold the date (figures "on the compile date"
change at midnight) and the language (the results hold translated labels).

This module knows no app: the organization tree is the model with a materialized `path` and a `parent`
(core.figures' notion of an organization), found among the audited models.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache as memoize
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import get_language
from simple_history.models import registered_models

T = TypeVar("T")

DEFAULT_SECONDS = 3600
EVERYWHERE = None  # what a history row concerns when it cannot be placed in the organization tree

_QUOTED = re.compile(r'"(\w+)"|`(\w+)`')


# --- the audited tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Audited:
    model: Any
    history: Any  # the history model
    table: str  # the history table
    direct: tuple[str, ...] = ()  # attnames of the history model pointing at the organization tree
    hops: tuple[tuple[str, Any], ...] = ()  # (attname, model) pointing at a record that points at the tree
    is_tree: bool = False


@dataclass
class _Registry:
    tree: Any = None
    by_model_table: dict[str, _Audited] = field(default_factory=dict)  # domain table -> its history
    by_history_table: dict[str, _Audited] = field(default_factory=dict)
    by_model: dict[Any, _Audited] = field(default_factory=dict)


def _audited_models() -> list:
    return [m for m in registered_models.values() if hasattr(m, "history") and hasattr(m.history, "model")]


def _tree_fks(model, tree) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey) and f.related_model is tree]


@memoize
def _registry() -> _Registry:
    models = _audited_models()
    tree = next(
        (m for m in models if any(f.name == "path" for f in m._meta.concrete_fields) and "parent" in _tree_fks(m, m)),
        None,
    )
    reg = _Registry(tree=tree)
    for model in models:
        history = model.history.model
        direct, hops = [], []
        for f in model._meta.concrete_fields:
            if not isinstance(f, ForeignKey) or model is tree:
                continue
            if f.related_model is tree:
                direct.append(f.attname)
            elif f.related_model in models and _tree_fks(f.related_model, tree):
                hops.append((f.attname, f.related_model))
        entry = _Audited(model, history, history._meta.db_table, tuple(direct), tuple(hops), model is tree)
        reg.by_model_table[model._meta.db_table] = entry
        reg.by_history_table[entry.table] = entry
        reg.by_model[model] = entry
    return reg


@memoize
def _high_water_sql() -> tuple[list[str], str]:
    tables = sorted(_registry().by_history_table)
    quote = connection.ops.quote_name
    return tables, "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)


# --- what a computation reads, and the state of one request ----------------------------------------------


class _State(threading.local):
    def __init__(self):
        self.captures: list[set[str]] = []  # history tables read, one set per result being computed
        self.quiet = 0  # > 0 while this module runs its own queries
        self.marks: dict[str, int] | None = None  # high-water marks read by the outermost `cached` call
        self.touched: dict[tuple[str, int, int], frozenset | None] = {}


_state = _State()


def _note(tables: Iterable[str]) -> None:
    tables = set(tables)
    for captured in _state.captures:
        captured.update(tables)


def _recorder(execute, sql, params, many, context):
    if _state.captures and not _state.quiet:
        found = _registry().by_model_table
        names = {a or b for a, b in _QUOTED.findall(sql)}
        _note(found[n].table for n in names if n in found)
    return execute(sql, params, many, context)


@contextmanager
def _quiet():
    _state.quiet += 1
    try:
        yield
    finally:
        _state.quiet -= 1


def high_water() -> dict[str, int]:
    """The largest `history_id` of every history table (one query): {history table: id, 0 when empty}."""
    tables, sql = _high_water_sql()
    with _quiet(), connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {t: v or 0 for t, v in zip(tables, row, strict=True)}


# --- which organizations a range of history rows concerns --------------------------------------------------


def _paths_of(model, ids: set) -> tuple[set[str], bool]:
    """The tree paths of records of `model` (or of the organizations they point at), and False when one of
    them cannot be found, even in its history."""
    reg = _registry()
    entry = reg.by_model[model]
    if not ids:
        return set(), True
    if entry.is_tree:
        found = dict(model._default_manager.filter(pk__in=ids).values_list("pk", "path"))
        missing = ids - found.keys()
        paths = set(found.values())
        if missing:
            pk = model._meta.pk.attname
            gone = set(entry.history.objects.filter(**{f"{pk}__in": missing}).values_list(pk, "path"))
            paths |= {p for _i, p in gone}
            if missing - {i for i, _p in gone}:
                return paths, False
        return paths, True
    rows = {r[0]: r[1:] for r in model._default_manager.filter(pk__in=ids).values_list("pk", *entry.direct)}
    missing = ids - rows.keys()
    org_ids = {v for values in rows.values() for v in values if v is not None}
    if missing:
        pk = model._meta.pk.attname
        gone = list(entry.history.objects.filter(**{f"{pk}__in": missing}).values_list(pk, *entry.direct))
        if missing - {r[0] for r in gone}:
            return set(), False
        org_ids |= {v for r in gone for v in r[1:] if v is not None}
    return _paths_of(reg.tree, org_ids)


def _touched(table: str, low: int, high: int) -> frozenset | None:
    """The tree paths the history rows `low < history_id <= high` of `table` concern, in their new and every
    earlier version; EVERYWHERE when one cannot be placed. Memoized for one request."""
    key = (table, low, high)
    if key in _state.touched:
        return _state.touched[key]
    entry = _registry().by_history_table[table]
    result: frozenset | None = EVERYWHERE
    if _registry().tree is not None and (entry.is_tree or entry.direct or entry.hops):
        with _quiet():
            pk = entry.model._meta.pk.attname
            changed = entry.history.objects.filter(history_id__gt=low, history_id__lte=high).values(pk)
            versions = entry.history.objects.filter(**{f"{pk}__in": changed}, history_id__lte=high)
            if entry.is_tree:
                paths, placed = set(versions.values_list("path", flat=True).distinct()), True
            else:
                cols = [*entry.direct, *(name for name, _m in entry.hops)]
                rows = list(versions.values_list(*cols).distinct())
                org_ids = {v for r in rows for v in r[: len(entry.direct)] if v is not None}
                paths, placed = _paths_of(_registry().tree, org_ids)
                for i, (_name, model) in enumerate(entry.hops, start=len(entry.direct)):
                    hop_paths, hop_placed = _paths_of(model, {r[i] for r in rows if r[i] is not None})
                    paths |= hop_paths
                    placed = placed and hop_placed
                placed = placed and (bool(paths) or not rows)
            result = frozenset(paths) if placed else EVERYWHERE
    _state.touched[key] = result
    return result


def _concerns(paths: frozenset | None, scope: tuple[str, ...] | None) -> bool:
    if paths is EVERYWHERE:
        return True
    if scope is None:
        return bool(paths)
    return any(p.startswith(s) or s.startswith(p) for p in paths for s in scope)


def _still_valid(stamps: dict[str, int], marks: dict[str, int], scope) -> bool:
    for table, stamp in stamps.items():
        now = marks.get(table)
        if now is None or now < stamp:  # a table gone, or history ids restarted (a restored database)
            return False
        if now > stamp and _concerns(_touched(table, stamp, now), scope):
            return False
    return True


# --- the cache ----------------------------------------------------------------------------------------


def timeout() -> int:
    return int(getattr(settings, "PARTYLEAGUE_CACHE_SECONDS", DEFAULT_SECONDS))


@contextmanager
def _request_state():
    """The high-water marks and the memo of one outermost `cached` call, shared by the calls nested in it."""
    outermost = _state.marks is None
    if outermost:
        _state.marks = high_water()
        _state.touched = {}
    try:
        yield _state.marks
    finally:
        if outermost:
            _state.marks = None
            _state.touched = {}


@contextmanager
def _capturing():
    captured: set[str] = set()
    outermost = not _state.captures
    _state.captures.append(captured)
    try:
        if outermost:
            with connection.execute_wrapper(_recorder):
                yield captured
        else:
            yield captured
    finally:
        _state.captures.pop()


def within_cached() -> bool:
    """Whether a cached result is being computed in this thread (its parts may then be cached on their own)."""
    return bool(_state.captures)


def cached(namespace: str, parts: tuple, compute: Callable[[], T], *, scope: Iterable[str] | None = None) -> T:
    """`compute()`, or its result cached under `namespace`, `parts`, `scope`, today's date and the language,
    served until a table it read changes within `scope` (see the module's docstring). `parts` identify what is
    computed (organization, period, user…) and must be plain values whose repr is stable. `scope`: the paths
    of the organization subtrees the result is about (a change elsewhere leaves it in use); None: any change
    to a table it read recomputes it."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    scope = None if scope is None else tuple(sorted(set(scope)))
    ident = repr((parts, scope, timezone.localdate().isoformat(), get_language()))
    key = f"pl:{namespace}:{hashlib.sha256(ident.encode()).hexdigest()}"
    with _request_state() as marks:
        entry = cache.get(key)
        if entry is not None:
            stamps, value = entry
            if _still_valid(stamps, marks, scope):
                if any(marks[t] != s for t, s in stamps.items()):
                    cache.set(key, ({t: marks[t] for t in stamps}, value), seconds)
                _note(stamps)
                return value
        with _capturing() as captured:
            value = compute()
        cache.set(key, ({t: marks.get(t, 0) for t in captured}, value), seconds)
        _note(captured)
        return value
