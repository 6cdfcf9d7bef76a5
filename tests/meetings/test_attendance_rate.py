"""Each meeting type's attendance rate (出席率 = 实到 ÷ 应到) in the summary's figures: the members expected
and the members present, summed over the meetings held of that type in the subtree and the period, against a
count of the attendance rows written here (visitors are neither expected nor present; a planned meeting and
another branch's meetings count nowhere)."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from branches import periods
from meetings.figures import attendance_rate
from meetings.models import Attendance, Meeting
from meetings.services import AttendanceEntry, meeting_record_attendance
from reports.figures import compile_figures
from tests.factories import SHANGHAI, MeetingFactory

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return datetime(y, m, d, 15, tzinfo=SHANGHAI)


def test_expected_and_present_per_kind_give_the_rate_of_the_meetings_held(orgs, branch1_people):
    p = branch1_people
    first = MeetingFactory(organization=orgs.branch1, kind="party_class", starts_at=at(2026, 3, 5))
    second = MeetingFactory(organization=orgs.group1, kind="party_class", starts_at=at(2026, 5, 5))
    committee = MeetingFactory(organization=orgs.branch1, kind="branch_general", starts_at=at(2026, 4, 1))
    # Counted nowhere: planned (not yet held), or another branch's.
    MeetingFactory(
        organization=orgs.branch1,
        kind="party_class",
        starts_at=timezone.now() + timedelta(days=400),
        expected_count=5,
        absent_count=5,
    )
    MeetingFactory(
        organization=orgs.branch2, kind="party_class", starts_at=at(2026, 3, 6), expected_count=5, absent_count=5
    )
    meeting_record_attendance(
        meeting=first,
        entries=[
            AttendanceEntry(p["zhang"].pk),
            AttendanceEntry(p["wang"].pk),
            AttendanceEntry(p["li"].pk, "absent"),
            AttendanceEntry(p["liu"].pk, "leave", "病假"),
            AttendanceEntry(p["zhao"].pk, is_visitor=True),
        ],
    )
    meeting_record_attendance(
        meeting=second, entries=[AttendanceEntry(p["zhang"].pk), AttendanceEntry(p["wang"].pk, "absent")]
    )
    meeting_record_attendance(meeting=committee, entries=[AttendanceEntry(p["zhang"].pk)])

    # The count written again: attendance rows of the branch's Party classes held in 2026, visitors out.
    rows = Attendance.objects.filter(meeting__in=[first, second], meeting__kind="party_class", is_visitor=False)
    expected, present = rows.count(), rows.filter(status="present").count()
    assert (expected, present) == (6, 3)

    compiled = compile_figures(orgs.branch1, periods.calendar_year(2026))["figures"]
    assert compiled["meetings.kind.party_class.expected"]["value"] == expected
    assert compiled["meetings.party_class.person_times"]["value"] == present
    assert compiled["meetings.kind.branch_general.expected"]["value"] == 1
    assert compiled["meetings.kind.branch_general.person_times"]["value"] == 1
    assert compiled["meetings.expected"]["value"] == expected + 1

    rate = (Decimal(present) * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert attendance_rate(compiled, "party_class") == rate == Decimal("50.0")
    assert attendance_rate(compiled, "branch_general") == Decimal("100.0")
    assert attendance_rate(compiled, "org_life") is None  # nobody expected: no rate
    # The queryset says the same of the same meetings.
    held = Meeting.objects.held().in_subtree(orgs.branch1).in_period(periods.calendar_year(2026))
    assert held.filter(kind="party_class").attendance_rate() == rate
    assert held.filter(kind="party_class").expected_times() == expected


def test_the_rate_rounds_half_up_to_one_decimal():
    assert Meeting.objects.rate(2, 3) == Decimal("66.7")
    assert Meeting.objects.rate(77, 80) == Decimal("96.3")
    assert Meeting.objects.rate(0, 0) is None
