"""`make bench` (issue 8): server time and query counts of the key pages on PostgreSQL, small and large data.

    python -m scripts.bench [--repeat 15] [--schools 1] [--skip-small] [--reuse-large] [--pages NAME ...]

What it does, in order:
1. (Re)creates the benchmark database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/partyleague_bench)
   and migrates it.
2. Seeds the small demo school in a child process (per-app seed time, peak memory of the seed), measures
   every page in `tests/perf/pages.py`.
3. Recreates the database, seeds the large school (`--schools N` multiplies it), measures again, and leaves
   the large data in place for `make load`.

For each page: median and p95 of the server time over repeated requests (Django test client, signed in with
`force_login`, after warm-up requests), its query count, the ratio large/small, and for list pages the ratio to
the Django admin changelist of the same model over the same data. The annual summary's HTML, PDF, docx and
xlsx are pages of the table like any other. Also: peak RSS of this process (which only serves requests: the
seeding runs in child processes), Python peak allocation per page (tracemalloc, one extra request), the
slowest queries of the large set with EXPLAIN ANALYZE. Prints a table and writes `bench-results.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/partyleague_bench"
RESULTS = ROOT / "bench-results.json"

# Targets of issue 8.
TARGET_MEDIAN_MS = 150
TARGET_SUMMARY_MS = 500
TARGET_PDF_MS = 3000
TARGET_LIST_RATIO = 1.5
TARGET_RSS_MB = 300


def _environment(db_url: str) -> None:
    """Production settings, minus HTTPS (the test client speaks plain HTTP)."""
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "False"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# --- the database ------------------------------------------------------------------------------------


def recreate_database(db_url: str) -> None:
    import psycopg

    url = urlparse(db_url)
    name = url.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to recreate a database named {name!r}")
    admin_url = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_child(args: list[str], db_url: str, echo: bool = False) -> dict:
    """Run `python -m scripts.bench <args>` in a child process; it prints one JSON line last (`echo`: and
    the lines before it are shown)."""
    env = dict(os.environ, DATABASE_URL=db_url)
    proc = subprocess.run(
        [sys.executable, "-m", "scripts.bench", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if echo:
        sys.stdout.write("\n".join(proc.stdout.strip().splitlines()[:-1]) + "\n")
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-8000:])
        raise SystemExit(f"child step {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_prepare(size: str, schools: int) -> dict:
    """Child process: migrate and seed. Prints per-app seed times and the peak RSS of the seed."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    timings, workarounds = seed(size, schools)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {
        "migrate_s": round(migrate_s, 1),
        "seed": timings,
        "seed_total_s": round(sum(sum(t.values()) for t in timings), 1),
        "seed_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "workarounds": workarounds,
    }


def seed(size: str, schools: int) -> tuple[list[dict], list[str]]:
    """Seed like `seed_demo --size SIZE --schools N`, timing each app's seeder."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from core.seeding import SeedContext
    from reports.management.commands.seed_demo import SEEDERS, _seed_module

    workarounds: list[str] = []
    timings = []
    for index in range(schools):
        ctx = SeedContext(rng=random.Random(2026 + index), size=size, today=timezone.localdate(), school_index=index)
        per_app = {}
        with transaction.atomic():
            for app in SEEDERS:
                module = _seed_module(app)
                if module is None:
                    continue
                t0 = time.perf_counter()
                module.seed(ctx)
                per_app[app] = round(time.perf_counter() - t0, 1)
        timings.append(per_app)
    return timings, workarounds


def row_counts() -> dict:
    from django.apps import apps

    wanted = [
        "branches.Organization",
        "branches.AcademicYear",
        "members.Person",
        "members.StatusEvent",
        "members.Recommendation",
        "members.Assessment",
        "members.PartyAppraisal",
        "members.LeagueRegistration",
        "meetings.Meeting",
        "meetings.Attendance",
        "meetings.Vote",
        "activities.Activity",
        "activities.Participation",
        "activities.HeadCount",
        "activities.Honor",
        "finance.FundEntry",
        "finance.DuesAccount",
        "finance.DuesPayment",
        "reports.Summary",
    ]
    counts = {}
    for label in wanted:
        try:
            counts[label] = apps.get_model(label).objects.count()
        except LookupError:
            counts[label] = None
    from branches.models import Organization, OrgKind
    from members.models import Category, Person

    # The school as it is now (issue 8's 3,600 students in 60 classes); graduated cohorts are history.
    current = Person.objects.filter(is_active=True)
    counts["students"] = current.filter(category=Category.STUDENT).count()
    counts["staff"] = current.exclude(category=Category.STUDENT).count()
    counts["classes"] = Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, is_active=True).count()
    counts["graduated students"] = Person.objects.filter(category=Category.STUDENT, is_active=False).count()
    return counts


ROW_TARGETS = {  # issue 8, per school
    "students": 3600,
    "classes": 60,
    "staff": 250,
    "branches.AcademicYear": 5,
    "meetings.Meeting": 5000,
    "meetings.Attendance": 100000,
    "activities.Activity": 3000,
    "activities.Participation": 150000,
    "finance (fund entries + dues payments)": 20000,
}


def shortfalls(counts: dict, schools: int) -> list[str]:
    counts = dict(counts)
    counts["finance (fund entries + dues payments)"] = (counts.get("finance.FundEntry") or 0) + (
        counts.get("finance.DuesPayment") or 0
    )
    out = []
    for label, target in ROW_TARGETS.items():
        have = counts.get(label) or 0
        want = target * (schools if label != "branches.AcademicYear" else 1)
        if have < want * 0.95:
            out.append(f"{label}: {have:,} of {want:,} ({have / want:.0%})")
    return out


# --- measuring pages -----------------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure_pages(pages, objects, repeat: int, explain: bool) -> tuple[dict, list]:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from tests.perf.data import single_root
    from tests.perf.pages import resolvable

    clients: dict[str, Client] = {}
    results, slow_queries = {}, []
    for page in pages:
        reason = resolvable(page)
        if reason:
            results[page.title] = {"skipped": reason}
            continue
        if page.user not in clients:
            clients[page.user] = Client(raise_request_exception=False)
            clients[page.user].force_login(User.objects.get(username=page.user))
        client = clients[page.user]
        try:
            url = page.url(objects)
        except Exception as exc:  # noqa: BLE001 - a missing record must not stop the bench
            results[page.title] = {"skipped": f"no URL: {exc}"}
            continue
        heavy = page.kind in ("export", "summary")
        n = max(3, repeat // 3) if heavy else repeat
        ctx = single_root(objects.school) if page.single_root else _nullcontext()
        with ctx:
            row = _time_url(client, url, n)
            if page.name in CACHED_PAGES:
                # The figures and the Due list are cached until a record they read changes (core.datacache):
                # also time the request with an empty cache ("cold"), and the first request after a meeting
                # is recorded in the school through the meetings service ("after a change": only what reads
                # meetings is recomputed).
                cold = _time_url(client, url, n, before=cache.clear)
                row["cold_median_ms"], row["cold_p95_ms"] = cold["median_ms"], cold["p95_ms"]
                changed = _time_url(client, url, n, before=lambda: _record_a_meeting(objects.school))
                row["changed_median_ms"], row["changed_p95_ms"] = changed["median_ms"], changed["p95_ms"]
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            row["queries"] = len(captured)
            if response.get("Content-Type", "").startswith("text/html"):
                row["rows_shown"] = response.content.count(b"<tr")  # table rows on the page, headers included
            for q in captured.captured_queries:
                slow_queries.append((float(q["time"]), page.title, q["sql"]))
            tracemalloc.start()
            client.get(url)
            row["py_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
        row.update(url=url, kind=page.kind, key=page.key)
        if page.admin_model:
            app_label, model = page.admin_model.lower().split(".")
            try:
                admin_url = reverse(f"admin:{app_label}_{model}_changelist")
            except NoReverseMatch:
                row["admin"] = None
            else:
                admin_client = clients.setdefault("admin", Client(raise_request_exception=False))
                if "_auth_user_id" not in admin_client.session:
                    admin_client.force_login(User.objects.get(username="admin"))
                admin_row = _time_url(admin_client, admin_url, n)
                row["admin"] = {"url": admin_url, **admin_row}
                row["admin_ratio"] = (
                    round(row["median_ms"] / admin_row["median_ms"], 2) if admin_row["median_ms"] else None
                )
        results[page.title] = row
        reset_queries()
        print(f"  {page.title:<36} {row['median_ms']:>8.1f} ms  {row['queries']:>3} q", flush=True)
    slow_queries.sort(reverse=True)
    top = []
    seen = set()
    for t, title, sql in slow_queries:
        shape = sql[:120]
        if shape in seen:
            continue
        seen.add(shape)
        entry = {"ms": round(t * 1000, 1), "page": title, "sql": sql}
        if explain and connection.vendor == "postgresql" and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                entry["plan"] = "\n".join(r[0] for r in cur.fetchall())
        top.append(entry)
        if len(top) == 10:
            break
    return results, top


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _record_a_meeting(school) -> None:
    """A Party group meeting of yesterday in `school`, recorded as the meetings form records it."""
    from datetime import timedelta

    from django.utils import timezone

    from branches.models import Organization, OrgKind
    from meetings.models import Meeting, MeetingKind
    from meetings.services import meeting_create

    group = Organization.objects.filter(path__startswith=school.path, kind=OrgKind.PARTY_GROUP).order_by("path")[0]
    starts = timezone.now() - timedelta(days=1)
    meeting = Meeting(
        organization=group,
        kind=MeetingKind.PARTY_GROUP,
        topic="bench: 学习党章",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="会议室",
    )
    meeting_create(meeting=meeting)


def _edit_an_activity(school) -> None:
    """An activity of this year in `school` changes its title, as its edit form saves it."""
    from activities.models import Activity

    activity = Activity.objects.filter(organization__path__startswith=school.path).order_by("-starts_on")[0]
    activity.title = f"{activity.title.split(' #')[0]} #{time.perf_counter_ns() % 1000}"
    activity.save()


def child_changes(repeat: int) -> dict:
    """Child process: the dashboard and the draft summary of the school's Party secretary, warm and on the
    first request after a change — a meeting recorded in the school, an activity edited in the school, a
    meeting recorded in another school (a second school made for this step, in a transaction rolled back at
    the end so the data stays one school)."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from branches.models import Organization, OrgKind
    from tests.perf.pages import Objects

    school = Organization.objects.filter(kind=OrgKind.SCHOOL).order_by("path").first()
    objects = Objects(school, timezone.localdate())
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="party"))
    urls = {
        "dashboard": reverse("dashboard"),
        "summary (draft)": reverse("reports:detail", args=[objects.draft_summary.pk]),
    }
    out: dict = {}

    def measure(label, before=None):
        for name, url in urls.items():
            row = _time_url(client, url, repeat, before=before)
            out.setdefault(name, {})[label] = {"median_ms": row["median_ms"], "p95_ms": row["p95_ms"]}
            print(f"  {name:<18} {label:<32} {row['median_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f}", flush=True)

    measure("warm")
    measure("after a meeting in the school", lambda: _record_a_meeting(school))
    measure("after an activity in the school", lambda: _edit_an_activity(school))
    with transaction.atomic():
        other = Organization.objects.create(name="bench: 另一所学校", kind=OrgKind.SCHOOL)
        Organization.objects.create(name="bench: 党支部", kind=OrgKind.PARTY_BRANCH, parent=other)
        Organization.objects.create(name="bench: 党小组", kind=OrgKind.PARTY_GROUP, parent=other.children.get())
        measure("warm (two schools)")
        measure("after a meeting in another school", lambda: _record_a_meeting(other))
        transaction.set_rollback(True)
    return out


CACHED_PAGES = {"dashboard", "reports:detail", "reports:due", "reports:pdf", "reports:docx", "reports:xlsx"}


def _time_url(client, url: str, n: int, before=None) -> dict:
    status = None
    for _ in range(2):  # warm-up
        status = client.get(url).status_code
    times = []
    for _ in range(n):
        if before:
            before()
        t0 = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - t0) * 1000)
        status = response.status_code
    return {
        "status": status,
        "n": n,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_quantile(times, 0.95), 1),
        "bytes": len(response.content) if not hasattr(response, "streaming_content") else None,
    }


def child_measure(repeat: int, names: list[str], explain: bool) -> dict:
    """Child process: measure the pages on the data in place (one process per size: fresh caches)."""
    import django

    django.setup()
    from django.utils import timezone

    from branches.models import Organization, OrgKind
    from tests.perf.pages import PAGES, Objects

    school = Organization.objects.filter(kind=OrgKind.SCHOOL).order_by("path").first()
    objects = Objects(school, timezone.localdate())
    pages = [p for p in PAGES if not names or p.name in names or p.title in names]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    results, top = measure_pages(pages, objects, repeat, explain)
    return {
        "pages": results,
        "slowest_queries": top,
        "rows": row_counts(),
        "measure_s": round(time.perf_counter() - started, 1),
        "rss_after_import_mb": round(rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# --- the report --------------------------------------------------------------------------------------


def compare(small: dict | None, large: dict) -> list[dict]:
    rows = []
    for title, big in large["pages"].items():
        if "skipped" in big:
            rows.append({"page": title, "skipped": big["skipped"]})
            continue
        little = (small or {}).get("pages", {}).get(title, {})
        ratio = round(big["median_ms"] / little["median_ms"], 2) if little.get("median_ms") else None
        rows.append(
            {
                "page": title,
                "kind": big["kind"],
                "status": big["status"],
                "small_median_ms": little.get("median_ms"),
                "median_ms": big["median_ms"],
                "p95_ms": big["p95_ms"],
                "queries_small": little.get("queries"),
                "queries": big["queries"],
                "large_small_ratio": ratio,
                "admin_ratio": big.get("admin_ratio"),
                "py_peak_mb": big.get("py_peak_mb"),
                "cold_median_ms": big.get("cold_median_ms"),
                "cold_p95_ms": big.get("cold_p95_ms"),
                "changed_median_ms": big.get("changed_median_ms"),
                "changed_p95_ms": big.get("changed_p95_ms"),
                "rows_shown_small": little.get("rows_shown"),
                "rows_shown": big.get("rows_shown"),
            }
        )
    return rows


def verdicts(rows: list[dict], large: dict) -> list[str]:
    misses = []
    for r in rows:
        if "skipped" in r:
            continue
        if r["status"] != 200:
            misses.append(f"{r['page']}: HTTP {r['status']}")
        if r["queries_small"] is not None and r["queries_small"] != r["queries"]:
            misses.append(f"{r['page']}: {r['queries_small']} queries small, {r['queries']} large")
        limit = TARGET_PDF_MS if r["page"].startswith("reports:pdf") else None
        if r["kind"] == "summary":
            limit = TARGET_SUMMARY_MS
        elif r["kind"] != "export":
            limit = TARGET_MEDIAN_MS
        if limit and r["median_ms"] > limit:
            misses.append(f"{r['page']}: median {r['median_ms']:.0f} ms > {limit} ms ({r['median_ms'] / limit:.1f}×)")
        cold = r.get("cold_median_ms")
        if limit and cold and cold > limit:
            misses.append(f"{r['page']}: first request after a change {cold:.0f} ms > {limit} ms ({cold / limit:.1f}×)")
        changed = r.get("changed_median_ms")
        if changed and r["median_ms"] and changed > 2 * r["median_ms"]:
            misses.append(
                f"{r['page']}: after a meeting is recorded {changed:.0f} ms > 2 × warm {r['median_ms']:.0f} ms"
            )
        if r["kind"] == "list" and r["large_small_ratio"] and r["large_small_ratio"] > TARGET_LIST_RATIO:
            shown = ""
            if r["rows_shown_small"] and r["rows_shown"] and r["rows_shown"] != r["rows_shown_small"]:
                # The small school's page is not full (or its organization is smaller): say what grew.
                shown = f" (shows {r['rows_shown_small']} → {r['rows_shown']} table rows)"
            misses.append(f"{r['page']}: large/small {r['large_small_ratio']}× > {TARGET_LIST_RATIO}×{shown}")
        if r["admin_ratio"] and r["admin_ratio"] > 1.0:
            misses.append(f"{r['page']}: {r['admin_ratio']}× the admin changelist's time")
    if large["peak_rss_mb"] > TARGET_RSS_MB:
        misses.append(f"peak RSS {large['peak_rss_mb']} MB > {TARGET_RSS_MB} MB")
    return misses


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'page':<36} {'small':>7} {'median':>7} {'p95':>7} {'q(s)':>5} {'q(L)':>5} {'L/S':>5} {'/admin':>6}"
        f" {'cold':>7} {'changed':>7} {'rows s/L':>9}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        if "skipped" in r:
            print(f"{r['page']:<36} skipped: {r['skipped']}")
            continue

        def f(v, fmt="{:.1f}"):
            return fmt.format(v) if v is not None else "—"

        print(
            f"{r['page']:<36} {f(r['small_median_ms']):>7} {f(r['median_ms']):>7} {f(r['p95_ms']):>7} "
            f"{f(r['queries_small'], '{}'):>5} {f(r['queries'], '{}'):>5} {f(r['large_small_ratio'], '{:.2f}'):>5} "
            f"{f(r['admin_ratio'], '{:.2f}'):>6} {f(r.get('cold_median_ms')):>7} {f(r.get('changed_median_ms')):>7}"
            f" {f(r.get('rows_shown_small'), '{}') + '/' + f(r.get('rows_shown'), '{}'):>9}"
            + ("" if r["status"] == 200 else f"  HTTP {r['status']}")
        )


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
        info["load_before"] = os.getloadavg()
    except OSError:
        pass
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page (exports: a third)")
    parser.add_argument("--schools", type=int, default=1, help="schools in the large data set (county scale)")
    parser.add_argument("--skip-small", action="store_true", help="measure the large set only")
    parser.add_argument("--reuse-large", action="store_true", help="measure the large data already in place")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE of the slowest queries")
    parser.add_argument("--pages", nargs="*", default=[], help="URL names (or labels) to measure; default all")
    parser.add_argument(
        "--changes", action="store_true", help="only the dashboard and summary after a change, on the data in place"
    )
    parser.add_argument("--prepare-only", action="store_true", help="only (re)create and seed the large set")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not db_url.startswith(("postgres://", "postgresql://")):
        db_url = DEFAULT_DB  # the bench is about PostgreSQL; a SQLite DATABASE_URL in .env is ignored
    _environment(db_url)

    if args.child:
        step = args.child[0]
        if step == "prepare":
            out = child_prepare(args.child[1], int(args.child[2]))
        elif step == "changes":
            out = child_changes(args.repeat)
        else:
            out = child_measure(args.repeat, args.pages, not args.no_explain)
        print(json.dumps(out, default=str))
        return 0

    if args.changes:
        print("== the first request after a change (the large data in place)", flush=True)
        report = run_child(["--child", "changes", "--repeat", str(args.repeat)], db_url, echo=True)
        Path(args.output).write_text(json.dumps(report, indent=1, ensure_ascii=False))
        print(f"wrote {args.output}")
        return 0
    if args.prepare_only:
        recreate_database(db_url)
        prep = run_child(["--child", "prepare", "large", str(args.schools)], db_url)
        print(json.dumps(prep, ensure_ascii=False))
        return 0
    started = time.perf_counter()
    report = {
        "machine": machine(),
        "database": db_url.rsplit("@", 1)[-1],
        "targets": {
            "median_ms": TARGET_MEDIAN_MS,
            "summary_html_ms": TARGET_SUMMARY_MS,
            "pdf_ms": TARGET_PDF_MS,
            "list_large_small_ratio": TARGET_LIST_RATIO,
            "peak_rss_mb": TARGET_RSS_MB,
        },
    }
    passthrough = ["--repeat", str(args.repeat)] + (["--no-explain"] if args.no_explain else [])
    if args.pages:
        passthrough += ["--pages", *args.pages]
    small = None
    if not args.skip_small and not args.reuse_large:
        print("== small data set: create database, migrate, seed", flush=True)
        recreate_database(db_url)
        report["small_prepare"] = run_child(["--child", "prepare", "small", "1"], db_url)
        print(f"   seeded in {report['small_prepare']['seed_total_s']} s; measuring", flush=True)
        small = run_child(["--child", "measure", *passthrough, "--no-explain"], db_url)
        report["small"] = small
    if not args.reuse_large:
        print(f"== large data set ({args.schools} school(s)): create database, migrate, seed", flush=True)
        recreate_database(db_url)
        report["large_prepare"] = prep = run_child(["--child", "prepare", "large", str(args.schools)], db_url)
        print(f"   seeded in {prep['seed_total_s']} s: {prep['seed']}", flush=True)
    print("== measuring the large data set", flush=True)
    large = run_child(["--child", "measure", *passthrough], db_url)
    report["large"] = large
    report["rows"] = large["rows"]
    report["row_shortfalls"] = shortfalls(large["rows"], args.schools)
    rows = compare(small, large)
    report["table"] = rows
    report["misses"] = verdicts(rows, large)
    report["total_s"] = round(time.perf_counter() - started, 1)

    print()
    print_table(rows)
    print()
    print(f"rows: {json.dumps(large['rows'], ensure_ascii=False)}")
    for s in report["row_shortfalls"]:
        print(f"  row shortfall: {s}")
    print(f"peak RSS of the measuring process: {large['peak_rss_mb']} MB (target < {TARGET_RSS_MB} MB)")
    print("slowest queries (large):")
    for q in large["slowest_queries"][:5]:
        print(f"  {q['ms']:>7.1f} ms  {q['page']}: {q['sql'][:160]}")
    print("targets missed:" if report["misses"] else "all targets met")
    for m in report["misses"]:
        print(f"  - {m}")
    Path(args.output).write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print(f"wrote {args.output} in {report['total_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
