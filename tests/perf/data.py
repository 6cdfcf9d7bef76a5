"""Demo data at two sizes for the flat-query-count tests and the benchmark.

Size A is one demo school (`seed_demo`'s seeders, small). Size B adds, on top of it:
- a second demo school (every list an administrator sees doubles: the county case),
- a second round of the first school's meetings (each organization's meeting history doubles),
- more related rows on the very records the detail pages open (attendance, participations, votes,
  head counts, fund entries, dues payments) — cloned from the record's own rows.
"""

from __future__ import annotations

import random
from contextlib import contextmanager

from django.utils import timezone

from core.seeding import SeedContext
from reports.management.commands.seed_demo import SEEDERS, _seed_module


def seed_school(index: int = 0, size: str = "small", seed: int = 2026, today=None) -> SeedContext:
    ctx = SeedContext(
        rng=random.Random(seed + index), size=size, today=today or timezone.localdate(), school_index=index
    )
    for app in SEEDERS:
        module = _seed_module(app)
        if module is not None:
            module.seed(ctx)
    return ctx


def _clone(rows, field: str, values, **extra) -> int:
    """Copy `rows` (model instances) once per value of `field`, skipping values already used; returns the
    number of rows added. Used to give one record many more related rows without knowing the app."""
    rows = list(rows)
    if not rows:
        return 0
    model = type(rows[0])
    attname = model._meta.get_field(field).attname
    taken = {getattr(r, attname) for r in model.objects.filter(**_parent_filter(rows[0], field))}
    new = []
    values = [v for v in values if v not in taken]
    for i, value in enumerate(values):
        row = rows[i % len(rows)]
        copy = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key})
        setattr(copy, attname, value)
        for k, v in extra.items():
            setattr(copy, k, v(i) if callable(v) else v)
        new.append(copy)
    model.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _parent_filter(row, field):
    """The filter selecting the siblings of `row` that share its parent (every FK except `field`)."""
    model = type(row)
    for f in model._meta.concrete_fields:
        if f.is_relation and f.name != field and f.many_to_one and f.name in {"meeting", "activity", "fund", "account"}:
            return {f.attname: getattr(row, f.attname)}
    return {"pk__in": []}


def grow(ctx: SeedContext, objects, extra_people: int = 60) -> dict:
    """Turn size A into size B (see the module docstring). Returns what was added, for the report."""
    from activities.models import HeadCount, Participation
    from branches.models import Organization, OrgKind
    from finance.models import DuesPayment, FundEntry
    from meetings.models import Attendance, Vote
    from members.models import Person

    added = {}
    second = seed_school(1, size=ctx.size, today=ctx.today)
    added["second school"] = second.school.name
    meetings = _seed_module("meetings")
    if meetings is not None:
        meetings.seed(ctx)
        added["meetings again"] = True
    people = list(
        Person.objects.filter(organization__path__startswith=objects.prefix).order_by("pk").values_list("pk", flat=True)
    )
    rng = random.Random(7)
    rng.shuffle(people)
    some = people[:extra_people]
    if objects.meeting is not None:
        added["attendance"] = _clone(Attendance.objects.filter(meeting=objects.meeting), "person", some)
        votes = list(Vote.objects.filter(meeting=objects.meeting))
        if votes:
            for v in votes[:1]:
                for _ in range(10):
                    v.pk = None
                    v.save()
            added["votes"] = 10
    if objects.activity is not None:
        added["participations"] = _clone(Participation.objects.filter(activity=objects.activity), "person", some)
        classes = Organization.objects.filter(path__startswith=objects.prefix, kind=OrgKind.LEAGUE_BRANCH)
        added["head counts"] = _clone(
            HeadCount.objects.filter(activity=objects.activity),
            "organization",
            list(classes.values_list("pk", flat=True)),
        )
    person = objects.student
    if person is not None:
        from activities.models import Activity

        acts = Activity.objects.filter(organization__path__startswith=objects.prefix).exclude(
            participations__person=person
        )
        template = Participation.objects.filter(person=person)[:1]
        added["participations of the person"] = _clone(
            template, "activity", list(acts.values_list("pk", flat=True)[:40])
        )
    fund = objects.fund
    if fund is not None:
        entries = FundEntry.objects.filter(fund=fund, reverses__isnull=True, amount__gt=0).order_by("pk")[:5]
        added["fund entries"] = _clone_many(entries, 60)
    account = objects.dues_account
    if account is not None:
        payments = DuesPayment.objects.filter(account=account, reverses__isnull=True).order_by("pk")[:3]
        added["dues payments"] = _clone_many(payments, 30)
    return added


def _clone_many(rows, n: int) -> int:
    rows = list(rows)
    if not rows:
        return 0
    model = type(rows[0])
    new = []
    for i in range(n):
        row = rows[i % len(rows)]
        new.append(
            model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key})
        )
    model.objects.bulk_create(new, batch_size=1000)
    return n


@contextmanager
def single_root(school):
    """Hide the other schools' roots for pages that show one block per top organization (the dashboard),
    so that the page's growth with the data, not with the number of schools, is measured."""
    from branches.models import Organization

    others = list(Organization.objects.filter(parent__isnull=True, is_active=True).exclude(pk=school.pk))
    Organization.objects.filter(pk__in=[o.pk for o in others]).update(is_active=False)
    try:
        yield
    finally:
        Organization.objects.filter(pk__in=[o.pk for o in others]).update(is_active=True)
