from datetime import datetime

import pytest

from branches import periods
from meetings import selectors
from meetings.services import AttendanceEntry, meeting_record_attendance
from tests.factories import SHANGHAI, MeetingFactory

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return datetime(y, m, d, 15, tzinfo=SHANGHAI)


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
    held = selectors.held_by_kind(org=orgs.branch1, period=year)
    assert held["party_class"] == 1 and held["party_group"] == 1 and held["joint"] == 0
    assert selectors.attendance_person_times(org=orgs.branch1, period=year) == 3  # visitors count as present
    assert selectors.attendance_summary(org=orgs.branch1, period=year)["absent"] == 1
    assert list(selectors.party_classes(org=orgs.branch1, period=year)) == [pc]
    assert selectors.held_by_kind(org=orgs.general, period=year)["party_class"] == 2


def test_joint_meetings_by_semester(orgs):
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2025, 9, 4))
    MeetingFactory(organization=orgs.general, kind="joint", phase="summary", starts_at=at(2026, 1, 20))
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2026, 2, 25))
    result = selectors.joint_meetings_by_semester(org=orgs.school, period=periods.academic_year(2025))
    assert [(s.semester.key, s.held, s.meets_rule) for s in result] == [
        ("semester:2025-autumn", 2, True),
        ("semester:2026-spring", 1, False),
    ]
