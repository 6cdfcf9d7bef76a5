"""Stored totals are kept by explicit recounts (`Meeting.recount`, `Activity.recount` and their bulk
queryset forms), called by the services, the Django admin and the seeds — never by signals. The invariant:
for every meeting and activity of the demo school, what is stored equals what its rows count."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity
from meetings.models import ATTENDANCE_COUNTS, Attendance, AttendanceStatus, Meeting
from tests.activities.factories import ActivityFactory, HeadCountFactory, ParticipationFactory
from tests.factories import MeetingFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def meetings_off_count() -> list[tuple]:
    """Meetings whose stored counts differ from their attendance rows: (pk, stored, counted)."""
    rows = Meeting.objects.with_live_counts().values(
        "pk", *ATTENDANCE_COUNTS, *(f"live_{n}" for n in ATTENDANCE_COUNTS)
    )
    return [
        (r["pk"], [r[n] for n in ATTENDANCE_COUNTS], [r[f"live_{n}"] for n in ATTENDANCE_COUNTS])
        for r in rows
        if any(r[n] != r[f"live_{n}"] for n in ATTENDANCE_COUNTS)
    ]


def activities_off_count() -> list[tuple]:
    """Activities whose stored person-times or hours differ from their participations and head counts."""
    rows = Activity.objects.with_live_totals().values(
        "pk", "person_times", "total_hours", "live_person_times", "live_hours"
    )
    return [
        (r["pk"], (r["person_times"], r["total_hours"]), (r["live_person_times"], r["live_hours"]))
        for r in rows
        if (r["person_times"], r["total_hours"]) != (r["live_person_times"], r["live_hours"])
    ]


def test_the_seeded_school_stores_what_its_rows_count():
    call_command("seed_demo", "--seed", "7", stdout=io.StringIO())
    assert Meeting.objects.filter(present_count__gt=0).count() > 100  # the invariant is about real data
    assert Activity.objects.filter(person_times__gt=0).count() > 100
    assert meetings_off_count() == []
    assert activities_off_count() == []


def test_bulk_recount_repairs_every_meeting_and_activity_in_one_update(django_assert_num_queries):
    meeting = MeetingFactory()
    people = [PersonFactory(organization=meeting.organization) for _ in range(3)]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT]
    for person, status in zip(people, statuses, strict=True):
        Attendance.objects.create(meeting=meeting, person=person, status=status, reason="事假")
    Attendance.objects.create(meeting=meeting, person=PersonFactory(), is_visitor=True)  # visitors: not counted
    activity = ActivityFactory(service_hours=Decimal("2.0"))
    ParticipationFactory(activity=activity)
    HeadCountFactory(activity=activity, count=10)
    Activity.objects.filter(pk=activity.pk).update(person_times=0, total_hours=0)  # written around the services
    assert meetings_off_count() and activities_off_count()

    with django_assert_num_queries(1):
        assert Meeting.objects.all().recount() == 1
    with django_assert_num_queries(1):
        assert Activity.objects.all().recount() == 1

    assert meetings_off_count() == [] and activities_off_count() == []
    meeting.refresh_from_db()
    assert [meeting.expected_count, meeting.present_count, meeting.leave_count, meeting.absent_count] == [3, 1, 1, 1]
    activity.refresh_from_db()
    assert (activity.person_times, activity.total_hours) == (11, Decimal("22.0"))


@pytest.fixture
def root_client(client):
    admin = UserFactory(username="root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    return client


def test_the_admin_recounts_the_attendance_its_inline_changes(root_client, orgs):
    meeting = MeetingFactory(organization=orgs.branch1)
    present, leave = (PersonFactory(organization=meeting.organization) for _ in range(2))
    row = Attendance.objects.create(meeting=meeting, person=present)
    meeting.recount()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert root_client.get(url).status_code == 200
    data = {}
    local = timezone.localtime(meeting.starts_at)
    data.update(
        {
            "organization": meeting.organization_id,
            "kind": meeting.kind,
            "topic": meeting.topic,
            "starts_at_0": local.strftime("%Y-%m-%d"),
            "starts_at_1": local.strftime("%H:%M:%S"),
            "version": meeting.version,
            "attendances-TOTAL_FORMS": "2",
            "attendances-INITIAL_FORMS": "1",
            "attendances-0-id": row.pk,
            "attendances-0-meeting": meeting.pk,
            "attendances-0-person": present.pk,
            "attendances-0-status": AttendanceStatus.PRESENT,
            "attendances-1-meeting": meeting.pk,
            "attendances-1-person": leave.pk,
            "attendances-1-status": AttendanceStatus.LEAVE,
            "attendances-1-reason": "出差",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        }
    )
    response = root_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count, meeting.leave_count) == (2, 1, 1)


def test_the_admin_recounts_what_its_inlines_change(root_client):
    """The Django admin edits participants through inlines, and the activity's hours: saving recounts."""
    client = root_client
    activity = ActivityFactory(service_hours=Decimal("1.5"))
    gone, kept = ParticipationFactory(activity=activity), ParticipationFactory(activity=activity)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "title": activity.title,
            "category": activity.category,
            "organization": activity.organization_id,
            "starts_on": "2026-03-05",
            "service_hours": "3.0",
            "participations-TOTAL_FORMS": "2",
            "participations-INITIAL_FORMS": "2",
            "participations-0-id": gone.pk,
            "participations-0-activity": activity.pk,
            "participations-0-person": gone.person_id,
            "participations-0-DELETE": "on",
            "participations-1-id": kept.pk,
            "participations-1-activity": activity.pk,
            "participations-1-person": kept.person_id,
            "head_counts-TOTAL_FORMS": "0",
            "head_counts-INITIAL_FORMS": "0",
        }
    )
    data.pop("co_organizers", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert (activity.person_times, activity.total_hours) == (1, Decimal("3.0"))


def test_removing_a_participant_on_the_page_recounts(client_for, orgs, class_secretary):
    activity = ActivityFactory(organization=orgs.class1, service_hours=Decimal("2.0"))
    one = ParticipationFactory(activity=activity, person=PersonFactory(organization=orgs.class1))
    ParticipationFactory(activity=activity, person=PersonFactory(organization=orgs.class1))
    response = client_for(class_secretary).post(reverse("activities:participation_remove", args=[activity.pk, one.pk]))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.person_times, activity.total_hours) == (1, Decimal("2.0"))


def test_a_head_count_removed_on_the_page_is_no_longer_counted(client_for, orgs, class_secretary):
    activity = ActivityFactory(organization=orgs.class1, service_hours=Decimal("2.0"))
    head = HeadCountFactory(activity=activity, organization=orgs.class1, count=30)
    assert Activity.objects.get(pk=activity.pk).person_times == 30
    client_for(class_secretary).post(reverse("activities:head_count_remove", args=[activity.pk, head.pk]))
    assert Activity.objects.get(pk=activity.pk).person_times == 0


def test_restoring_a_deleted_participant_counts_it_again(client_for, admin_user, orgs):
    activity = ActivityFactory(organization=orgs.class1, service_hours=Decimal("2.0"))
    row = ParticipationFactory(activity=activity, person=PersonFactory(organization=orgs.class1))
    activity_services.participation_remove(activity=activity, pk=row.pk)
    assert Activity.objects.get(pk=activity.pk).person_times == 0
    record = row.history.filter(history_type="-").get()
    url = reverse("core:restore", args=["activities.participation", record.history_id])
    client_for(admin_user).post(url)
    assert Activity.objects.get(pk=activity.pk).person_times == 1
