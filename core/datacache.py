"""Results that are costly to compute and change only when the school's records change — the compiled
figures of the dashboard and the annual summary, a user's Due list — are cached under a key that holds
the *data version*: the high-water mark of the audit trail.

Every change to a domain record (create, edit, delete; one by one or with the bulk helpers of
django-simple-history) writes a row to that model's history table, whose `history_id` only grows. The
tuple of the largest `history_id` of every history table therefore changes with every change to any
record, and one query (an index lookup per table) reads it. A result cached under the version it was
computed at is thus never served after a change; nothing has to remember to invalidate it.

What does not write history (a `QuerySet.update()` outside the services, a restore from a backup, a
change to user accounts or groups) is bounded by the timeout (`PARTYLEAGUE_CACHE_SECONDS`, one hour by
default; 0 turns the cache off, as the tests do outside the tests of this module). Keys also hold the
date (figures "on the compile date" change at midnight) and the language (the results hold translated
labels).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as memoize
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language
from simple_history.models import registered_models

T = TypeVar("T")

DEFAULT_SECONDS = 3600


@memoize
def _version_sql() -> str:
    tables = sorted(
        model.history.model._meta.db_table
        for model in registered_models.values()
        if hasattr(model, "history") and hasattr(model.history, "model")
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)


def data_version() -> str:
    """A short fingerprint that changes whenever any audited record changes (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


def timeout() -> int:
    return int(getattr(settings, "PARTYLEAGUE_CACHE_SECONDS", DEFAULT_SECONDS))


def cached(namespace: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or its result cached under `namespace`, `parts`, the data version, today's date and
    the language. `parts` identify what is computed (organization, period, user…) and must be plain
    values whose repr is stable."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    ident = repr((parts, data_version(), timezone.localdate().isoformat(), get_language()))
    key = f"pl:{namespace}:{hashlib.sha256(ident.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
