from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Attendance, AttendanceStatus, Meeting
from meetings.selectors import expected_attendees
from meetings.services import AttendanceEntry, meeting_record_attendance
from tests.factories import SHANGHAI, MeetingFactory

pytestmark = pytest.mark.django_db


def test_party_meeting_expects_party_members_of_the_subtree(orgs, branch1_people):
    people = set(expected_attendees(orgs.branch1, "branch_general").values_list("name", flat=True))
    assert people == {"张伟", "王芳", "李娜", "刘洋"}  # probationary included, the non-member and branch 2 not


def test_committee_expects_current_officers(orgs, branch1_people, committee_officers):
    assert set(expected_attendees(orgs.branch1, "branch_committee").values_list("name", flat=True)) == {"张伟", "王芳"}


def test_league_meeting_expects_league_members_and_above_of_the_class(orgs, class1_students):
    assert set(expected_attendees(orgs.class1, "league_general").values_list("name", flat=True)) == {"李明", "周杰"}


def test_counts_follow_the_recorded_attendance(general_meeting, branch1_people):
    p = branch1_people
    meeting_record_attendance(
        meeting=general_meeting,
        entries=[
            AttendanceEntry(p["zhang"].pk),
            AttendanceEntry(p["wang"].pk, AttendanceStatus.LEAVE, "出差"),
            AttendanceEntry(p["li"].pk, AttendanceStatus.ABSENT),
            AttendanceEntry(p["liu"].pk),
            AttendanceEntry(p["zhao"].pk, is_visitor=True),
        ],
    )
    m = Meeting.objects.get(pk=general_meeting.pk)
    assert (m.expected_count, m.present_count, m.leave_count, m.absent_count) == (4, 2, 1, 1)
    assert Attendance.objects.filter(meeting=m).count() == 5
    assert Attendance.objects.get(meeting=m, person=p["wang"]).reason == "出差"


def test_re_recording_updates_and_removes_rows_and_counts(general_meeting, branch1_people):
    p = branch1_people
    meeting_record_attendance(
        meeting=general_meeting, entries=[AttendanceEntry(p["zhang"].pk), AttendanceEntry(p["wang"].pk)]
    )
    meeting_record_attendance(
        meeting=general_meeting, entries=[AttendanceEntry(p["zhang"].pk, AttendanceStatus.ABSENT)]
    )
    m = Meeting.objects.get(pk=general_meeting.pk)
    assert (m.expected_count, m.present_count, m.absent_count) == (1, 0, 1)
    assert list(m.attendances.values_list("person__name", flat=True)) == ["张伟"]
    # the audit trail keeps the removal
    assert Attendance.history.filter(person_id=p["wang"].pk, history_type="-").exists()


def test_person_outside_the_organization_is_refused_and_nothing_saved(general_meeting, branch1_people):
    p = branch1_people
    with pytest.raises(ValidationError) as exc:
        meeting_record_attendance(
            meeting=general_meeting, entries=[AttendanceEntry(p["zhang"].pk), AttendanceEntry(p["zhao"].pk)]
        )
    assert exc.value.code == "not_member"
    assert "赵敏" in exc.value.messages[0]
    assert not Attendance.objects.exists()
    assert Meeting.objects.get(pk=general_meeting.pk).expected_count == 0


def test_leave_needs_a_reason(general_meeting, branch1_people):
    with pytest.raises(ValidationError) as exc:
        meeting_record_attendance(
            meeting=general_meeting, entries=[AttendanceEntry(branch1_people["zhang"].pk, AttendanceStatus.LEAVE)]
        )
    assert exc.value.code == "reason_missing"


def test_future_meeting_cannot_have_attendance(orgs, branch1_people):
    future = MeetingFactory(
        organization=orgs.branch1, kind="branch_general", starts_at=timezone.now() + timedelta(days=2)
    )
    with pytest.raises(ValidationError) as exc:
        meeting_record_attendance(meeting=future, entries=[AttendanceEntry(branch1_people["zhang"].pk)])
    assert exc.value.code == "future"


def test_end_before_start_is_refused(orgs):
    m = Meeting(
        organization=orgs.branch1,
        kind="branch_committee",
        topic="x",
        starts_at=datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI),
        ends_at=datetime(2026, 3, 10, 14, 0, tzinfo=SHANGHAI),
    )
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "ends_at" in exc.value.message_dict


def test_party_type_refused_for_a_league_branch_and_joint_needs_phase(orgs):
    m = Meeting(organization=orgs.class1, kind="party_class", topic="x", starts_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "kind" in exc.value.message_dict
    joint = Meeting(organization=orgs.general, kind="joint", topic="x", starts_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        joint.full_clean()
    assert "phase" in exc.value.message_dict
