"""The summary's figures of meetings (meetings.figures), against counts written in each test: a meeting
counts once it has taken place; person-times are the members marked present, visitors left out."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from branches import periods
from meetings.models import Meeting
from meetings.services import AttendanceEntry, meeting_record_attendance
from reports.figures import compile_figures
from tests.factories import SHANGHAI, MeetingFactory

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return datetime(y, m, d, 15, tzinfo=SHANGHAI)


def figures(org, period) -> dict:
    return {k: f["value"] for k, f in compile_figures(org, period)["figures"].items()}


def test_held_by_kind_and_person_times_cover_the_subtree_and_period(orgs, branch1_people):
    p = branch1_people
    pc = MeetingFactory(
        organization=orgs.branch1, kind="party_class", starts_at=at(2026, 3, 5), given_by_secretary=True
    )
    MeetingFactory(organization=orgs.group1, kind="party_group", starts_at=at(2026, 4, 5))
    MeetingFactory(organization=orgs.branch2, kind="party_class", starts_at=at(2026, 3, 6))  # other subtree
    MeetingFactory(organization=orgs.branch1, kind="party_class", starts_at=at(2025, 12, 31))  # other period
    meeting_record_attendance(
        meeting=pc,
        entries=[
            AttendanceEntry(p["zhang"].pk),
            AttendanceEntry(p["wang"].pk),
            AttendanceEntry(p["li"].pk, "absent"),
            AttendanceEntry(p["zhao"].pk, is_visitor=True),
        ],
    )
    year = periods.calendar_year(2026)
    got = figures(orgs.branch1, year)
    assert (got["meetings.kind.party_class"], got["meetings.kind.party_group"], got["meetings.kind.joint"]) == (1, 1, 0)
    assert got["meetings.party_class.by_secretary"] == 1
    assert got["meetings.person_times"] == 2  # the two members present; the visitor is not counted
    assert got["meetings.party_class.person_times"] == 2
    assert figures(orgs.general, year)["meetings.kind.party_class"] == 2


def test_a_planned_meeting_counts_nowhere_until_it_has_taken_place(orgs):
    now = timezone.now()
    MeetingFactory(organization=orgs.branch1, kind="party_class", starts_at=now - timedelta(hours=1), present_count=4)
    MeetingFactory(organization=orgs.branch1, kind="party_class", starts_at=now + timedelta(hours=1), present_count=9)
    today = timezone.localdate()
    got = figures(orgs.school, periods.custom(today - timedelta(days=1), today + timedelta(days=1)))
    assert got["meetings.total"] == got["meetings.kind.party_class"] == got["meetings.party"] == 1
    assert got["meetings.person_times"] == 4
    assert Meeting.objects.held().count() == 1
    assert Meeting.objects.held(as_of=now + timedelta(hours=2)).count() == 2


def test_joint_meetings_per_semester(orgs):
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2025, 9, 4))
    MeetingFactory(organization=orgs.general, kind="joint", phase="summary", starts_at=at(2026, 1, 20))
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2026, 2, 25))
    got = figures(orgs.school, periods.academic_year(2025))
    assert got["meetings.joint.2025-autumn"] == 2
    assert got["meetings.joint.2026-spring"] == 1
