"""Two secretaries recording the attendance of the same meeting: the later save of a form opened before the
earlier one was saved is refused with the "someone else saved" message, its marks stay on the page, and
saving again from that page (after looking at the other save) goes through."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meetings.models import Attendance, AttendanceStatus, Meeting
from meetings.services import AttendanceEntry, meeting_record_attendance
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

STALE = "Someone else saved this record"


@pytest.fixture
def meeting(orgs, branch1_people):
    return MeetingFactory(organization=orgs.branch1, kind="branch_general", topic="支部党员大会")


@pytest.fixture
def members(branch1_people):
    """The four Party members expected at the First branch's general meeting."""
    return [branch1_people[k] for k in ("zhang", "wang", "li", "liu")]


def _client(user, language=None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _open(client, meeting) -> str:
    """Open the attendance page; the version it carries."""
    response = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert response.status_code == 200
    return response.context["att_form"].version


def _marks(members, version, *, leave=None, reason=""):
    data = {f"status_{p.pk}": AttendanceStatus.PRESENT for p in members}
    if leave is not None:
        data[f"status_{leave.pk}"], data[f"reason_{leave.pk}"] = AttendanceStatus.LEAVE, reason
    if version is not None:
        data["record_version"] = version
    return data


def _saved(meeting) -> dict:
    return {a.person.name: (a.status, a.reason) for a in Attendance.objects.filter(meeting=meeting)}


def test_the_later_of_two_parallel_saves_is_refused_and_keeps_its_marks(
    meeting, members, branch_secretary, party_secretary
):
    first, second = _client(branch_secretary), _client(party_secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])
    v_first, v_second = _open(first, meeting), _open(second, meeting)

    assert first.post(url, _marks(members, v_first, leave=members[0], reason="病假")).status_code == 302
    response = second.post(url, _marks(members, v_second, leave=members[3], reason="外出培训"))

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert 'value="外出培训"' in page  # the second secretary's marks are still on the page
    shown = {row["person"]: row["status"] for row in response.context["att_form"].display_rows}
    assert shown[members[3]] == AttendanceStatus.LEAVE and shown[members[0]] == AttendanceStatus.PRESENT
    assert _saved(meeting)["张伟"] == (AttendanceStatus.LEAVE, "病假")  # the first save stands
    assert _saved(meeting)["刘洋"] == (AttendanceStatus.PRESENT, "")


def test_the_refusal_is_translated(meeting, members, branch_secretary, party_secretary):
    first, second = _client(branch_secretary), _client(party_secretary, language="zh-hans")
    url = reverse("meetings:attendance", args=[meeting.pk])
    v_first, v_second = _open(first, meeting), _open(second, meeting)
    assert first.post(url, _marks(members, v_first)).status_code == 302
    page = second.post(url, _marks(members, v_second, leave=members[1], reason="出差")).content.decode()
    assert "其他人已保存了这条记录" in page and 'value="出差"' in page


def test_saving_again_after_the_refusal_goes_through(meeting, members, branch_secretary, party_secretary):
    first, second = _client(branch_secretary), _client(party_secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])
    v_first, v_second = _open(first, meeting), _open(second, meeting)
    assert first.post(url, _marks(members, v_first, leave=members[0], reason="病假")).status_code == 302
    refused = second.post(url, _marks(members, v_second, leave=members[3], reason="外出培训"))
    version = refused.context["att_form"].version
    assert f'name="record_version" value="{version}"' in refused.content.decode()

    assert second.post(url, _marks(members, version, leave=members[3], reason="外出培训")).status_code == 302
    assert _saved(meeting)["刘洋"] == (AttendanceStatus.LEAVE, "外出培训")
    assert _saved(meeting)["张伟"] == (AttendanceStatus.PRESENT, "")


def test_a_save_without_the_version_is_refused(client_for, meeting, members, branch_secretary):
    url = reverse("meetings:attendance", args=[meeting.pk])
    response = client_for(branch_secretary).post(url, _marks(members, None))
    assert response.status_code == 200 and STALE in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_an_attendance_form_opened_before_the_meeting_was_edited_is_refused(
    client_for, meeting, members, branch_secretary
):
    """The meeting's record decides who is expected (its type): the attendance form shares its version."""
    client = client_for(branch_secretary)
    version = _open(client, meeting)
    edit = {"kind": "branch_general", "topic": "改过的议题", "starts_at": "2026-03-10T15:00", "record_version": version}
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), edit).status_code == 302
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), _marks(members, version))
    assert response.status_code == 200 and STALE in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_the_service_bumps_the_version_and_refuses_a_stale_one(meeting, members):
    version = meeting.version
    meeting_record_attendance(meeting=meeting, entries=[AttendanceEntry(p.pk) for p in members], version=version)
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1

    late = [AttendanceEntry(p.pk, AttendanceStatus.ABSENT) for p in members]
    with pytest.raises(ValidationError) as refused:
        meeting_record_attendance(meeting=meeting, entries=late, version=version)
    assert refused.value.code == "stale"
    assert set(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True)) == {"present"}
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1
