import random
from datetime import date

import pytest

from branches import periods
from branches import seed as branches_seed
from core.seeding import SeedContext
from meetings import seed as meetings_seed
from meetings.frequency import frequency_table
from meetings.models import Attendance, Meeting
from members import seed as members_seed

pytestmark = pytest.mark.django_db


def test_seed_builds_a_mostly_compliant_history(settings):
    ctx = SeedContext(rng=random.Random(2026), size="small", today=date(2026, 11, 20))
    branches_seed.seed(ctx)
    members_seed.seed(ctx)
    meetings_seed.seed(ctx)
    assert Meeting.objects.count() > 300 and Attendance.objects.count() > 1000
    for m in Meeting.objects.filter(expected_count__gt=0)[:50]:
        rows = list(m.attendances.filter(is_visitor=False))
        if rows:  # counts agree with the attendance rows
            assert m.expected_count == len(rows)
            assert m.present_count == sum(1 for a in rows if a.status == "present")
    orgs = [ctx.orgs["branch1"], ctx.orgs["branch2"]]
    rows = frequency_table(orgs=orgs, period=periods.calendar_year(2025), today=ctx.today)
    missed = {r.org.pk: len(r.missed) for r in rows}
    assert missed[ctx.orgs["branch1"].pk] <= 2 < missed[ctx.orgs["branch2"].pk]  # one keeps the rules, one is behind
    assert Meeting.objects.filter(kind="party_class", given_by_secretary=True).exists()
    assert Meeting.objects.filter(kind="joint", phase="summary").exists()


def test_the_demo_staff_league_branch_keeps_its_rules():
    """The demo's 教工团支部 holds its League life, so the Due list and the summary don't report it short of
    every rule (it had no meetings at all)."""
    ctx = SeedContext(rng=random.Random(2026), size="small", today=date(2026, 11, 20))
    branches_seed.seed(ctx)
    members_seed.seed(ctx)
    meetings_seed.seed(ctx)
    staff = ctx.orgs["staff_league"]
    (row,) = frequency_table(orgs=[staff], period=periods.calendar_year(2025), today=ctx.today)
    assert row.checks and not row.missed
