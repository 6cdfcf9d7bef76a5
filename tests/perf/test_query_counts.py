"""Flat query counts (issue 8): every page in `tests/perf/pages.py` runs the same number of queries on the
demo school (size A) and on that school grown with a second school, a second round of meetings and many
more rows on the very records the detail pages open (size B, see `tests/perf/data.py`), and stays within
its budget. A new N+1 makes the counts differ and fails here, naming the repeated query.

The data is built once for the module (two demo seeds, ~15 s) inside a transaction that is rolled back."""

import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.perf.data import grow, seed_school, single_root
from tests.perf.pages import NOT_MEASURED, PAGES, Measurement, Objects, resolvable

# The marker makes pytest-django create the test database; the module fixture below relies on it.
pytestmark = pytest.mark.django_db


def _measure(client: Client, page, objects) -> Measurement:
    try:
        url = page.url(objects)
        client.get(url)  # warm-up: per-process caches (content types, translations) are filled here
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    except Exception as exc:  # one broken page must not hide the others' figures
        return Measurement(500, 0, error=f"{type(exc).__name__}: {exc}"[:500])
    return Measurement(response.status_code, len(captured), [q["sql"] for q in captured.captured_queries])


def _measure_all(objects, clients) -> dict:
    results = {}
    for page in PAGES:
        if resolvable(page):
            continue
        client = clients[page.user]
        if page.single_root:
            with single_root(objects.school):
                results[page.title] = _measure(client, page, objects)
        else:
            results[page.title] = _measure(client, page, objects)
    return results


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, LANGUAGE_CODE="en"),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"refusing to seed a non-test database: {name}"
        ctx = seed_school(0)
        objects = Objects(ctx.school, ctx.today)
        clients = {}
        for page in PAGES:
            if page.user not in clients:
                clients[page.user] = Client()
                clients[page.user].force_login(User.objects.get(username=page.user))
        small = _measure_all(objects, clients)
        added = grow(ctx, objects)
        large = _measure_all(objects, clients)
        transaction.set_rollback(True)
    if os.environ.get("PERF_COUNTS_JSON"):  # the figures for docs/performance.md
        rows = {
            t: {"A": small[t].queries, "B": large[t].queries, "status": [small[t].status, large[t].status]}
            for t in small
        }
        Path(os.environ["PERF_COUNTS_JSON"]).write_text(
            json.dumps({"added": added, "pages": rows}, indent=1, default=str)
        )
    return small, large, added


def _normalize(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "N", sql)
    return re.sub(r"IN \([^)]*\)", "IN (...)", sql)


def _diff(small: Measurement, large: Measurement) -> str:
    a, b = Counter(map(_normalize, small.sql)), Counter(map(_normalize, large.sql))
    grown = [(b[q] - a[q], q) for q in b if b[q] != a[q]] + [(-a[q], q) for q in a if q not in b]
    grown.sort(key=lambda x: -abs(x[0]))
    return "\n".join(f"  {n:+d} × {q[:300]}" for n, q in grown[:5])


@pytest.mark.parametrize("pg", PAGES, ids=[p.title for p in PAGES])
def test_page_runs_a_flat_number_of_queries_within_budget(measured, pg):
    page = pg
    reason = resolvable(page)
    if reason:
        pytest.skip(reason)
    small, large, _added = measured
    a, b = small[page.title], large[page.title]
    if page.known_bug and (a.status != 200 or b.status != 200):
        pytest.xfail(page.known_bug)
    assert a.status == 200, f"{page.title} answered {a.status} on size A {a.error}"
    assert b.status == 200, f"{page.title} answered {b.status} on size B {b.error}"
    assert a.queries == b.queries, (
        f"{page.title}: {a.queries} queries on size A, {b.queries} on size B (an N+1?). Queries whose count "
        f"changed:\n{_diff(a, b)}"
    )
    assert b.queries <= page.budget, f"{page.title}: {b.queries} queries, budget {page.budget}"


def test_the_data_really_grew(measured):
    _small, _large, added = measured
    assert added["second school"]
    for what in ("attendance", "participations", "fund entries", "dues payments"):
        assert added.get(what, 0) > 0, f"size B added no {what}: {added}"


def _named_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "admin":
                continue
            yield from _named_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_is_measured_or_excluded_with_a_reason():
    """A new page must get a row (with a budget) in tests/perf/pages.py, or a reason not to."""
    known = {p.name for p in PAGES} | set(NOT_MEASURED)
    missing = sorted(set(_named_patterns()) - known)
    assert not missing, f"URLs with no query budget in tests/perf/pages.py: {missing}"
