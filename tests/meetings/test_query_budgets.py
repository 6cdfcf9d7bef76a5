"""Query budgets: the list, calendar, frequency table, detail and Due items run a fixed number of
queries whatever the data size."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization, OrgKind
from meetings.selectors import due_items
from meetings.services import AttendanceEntry, meeting_record_attendance
from tests.factories import SHANGHAI, MeetingFactory, VoteFactory

from .factories import party_member, student

pytestmark = pytest.mark.django_db

KINDS = ["branch_committee", "theme_party_day", "branch_general", "party_class"]


def build(orgs, n, offset=0):
    people = [party_member(orgs.group1, f"党员{i}") for i in range(3)]
    for i in range(n):
        m = MeetingFactory(
            organization=orgs.branch1,
            kind=KINDS[i % len(KINDS)],
            lecturer=people[0] if KINDS[i % len(KINDS)] == "party_class" else None,
            starts_at=datetime(2026, 1 + i % 10, 1 + i % 27, 15, tzinfo=SHANGHAI),
        )
        if m.kind != "branch_committee":  # committees expect officers
            meeting_record_attendance(meeting=m, entries=[AttendanceEntry(p.pk) for p in people])
    for i in range(offset, offset + n):  # League branches with meetings, for the frequency table
        branch = Organization.objects.create(
            name=f"高二（{i + 1}）班团支部",
            kind=OrgKind.LEAGUE_BRANCH,
            parent=orgs.league,
            grade=2025,
            class_number=i + 1,
        )
        MeetingFactory(organization=branch, kind="league_general", starts_at=datetime(2026, 3, 5, 15, tzinfo=SHANGHAI))
        student(branch, f"学生{i}")


def count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_list_calendar_and_frequency_budgets(client_for, party_secretary, orgs, n, django_assert_max_num_queries):
    build(orgs, n)
    c = client_for(party_secretary)
    with django_assert_max_num_queries(10):
        c.get(reverse("meetings:list"), {"period": "year:2026"})
    with django_assert_max_num_queries(9):
        c.get(reverse("meetings:calendar"), {"month": "2026-3"})
    with django_assert_max_num_queries(9):
        c.get(reverse("meetings:frequency"), {"period": "year:2026"})


def test_counts_are_the_same_at_both_sizes(client_for, party_secretary, orgs):
    c = client_for(party_secretary)
    build(orgs, 3)
    small = [
        count(c, reverse("meetings:list"), {"period": "year:2026"}),
        count(c, reverse("meetings:calendar"), {"month": "2026-3"}),
        count(c, reverse("meetings:frequency"), {"period": "year:2026"}),
    ]
    build(orgs, 30, offset=3)
    large = [
        count(c, reverse("meetings:list"), {"period": "year:2026"}),
        count(c, reverse("meetings:calendar"), {"month": "2026-3"}),
        count(c, reverse("meetings:frequency"), {"period": "year:2026"}),
    ]
    assert small == large


@pytest.mark.parametrize("n", [3, 30])
def test_detail_budget(client_for, branch_secretary, orgs, n, django_assert_max_num_queries):
    people = [party_member(orgs.group1, f"党员{i}") for i in range(n)]
    m = MeetingFactory(organization=orgs.branch1, kind="branch_general")
    meeting_record_attendance(meeting=m, entries=[AttendanceEntry(p.pk) for p in people])
    for p in people[:3]:
        VoteFactory(meeting=m, subject=p)
    c = client_for(branch_secretary)
    c.get(reverse("meetings:feed"))  # the login's own queries happen here, not in the budget
    with django_assert_max_num_queries(14):
        c.get(m.get_absolute_url())


@pytest.mark.parametrize("n", [3, 30])
def test_due_items_budget(party_secretary, orgs, n, django_assert_max_num_queries):
    build(orgs, n)
    with django_assert_max_num_queries(4):
        items = due_items(party_secretary, date(2026, 11, 20))
    assert items
