from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting, Vote
from tests.factories import SHANGHAI, MeetingFactory, VoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(orgs, branch1_people):
    return MeetingFactory(organization=orgs.branch1, kind="branch_general", topic="支部党员大会：发展党员表决")


# --- Outsider access on every page ------------------------------------------------------------------


MEETING_PAGES = ["meetings:detail", "meetings:edit", "meetings:attendance", "meetings:delete", "meetings:print"]


@pytest.mark.parametrize("name", MEETING_PAGES)
def test_outsider_gets_404_on_another_branchs_meeting(client_for, outsider, meeting, name):
    assert client_for(outsider).get(reverse(name, args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("name", ["meetings:vote_create", "meetings:attachment_upload", "meetings:delete"])
def test_outsider_cannot_post_to_another_branchs_meeting(client_for, outsider, meeting, name):
    assert client_for(outsider).post(reverse(name, args=[meeting.pk])).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("name", ["meetings:edit", "meetings:attendance", "meetings:delete"])
def test_viewer_may_look_but_not_edit(client_for, viewer, meeting, name):
    c = client_for(viewer)
    assert c.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert c.get(reverse(name, args=[meeting.pk])).status_code == 403


def test_outsider_vote_and_file_deletes_are_404(client_for, outsider, meeting):
    from meetings.models import MeetingAttachment

    vote = VoteFactory(meeting=meeting, kind="other", motion="议题")
    att = MeetingAttachment.objects.create(
        meeting=meeting, file="meetings/x.pdf", original_name="x.pdf", content_type="application/pdf"
    )
    c = client_for(outsider)
    assert c.post(reverse("meetings:vote_delete", args=[vote.pk])).status_code == 404
    assert c.get(reverse("meetings:attachment", args=[att.pk])).status_code == 404
    assert c.post(reverse("meetings:attachment_delete", args=[att.pk])).status_code == 404
    assert Vote.objects.filter(pk=vote.pk).exists() and MeetingAttachment.objects.filter(pk=att.pk).exists()


def test_list_and_calendar_hide_other_branches_meetings(client_for, outsider, meeting):
    c = client_for(outsider)
    assert meeting.topic not in c.get(reverse("meetings:list"), {"period": "year:2026"}).content.decode()
    assert meeting.topic not in c.get(reverse("meetings:calendar"), {"month": "2026-3"}).content.decode()


@pytest.mark.parametrize(
    "name", ["meetings:list", "meetings:calendar", "meetings:frequency", "meetings:create", "meetings:feed"]
)
def test_user_without_role_is_refused(client_for, norole_user, name):
    assert client_for(norole_user).get(reverse(name)).status_code == 403


def test_outsider_cannot_create_for_another_branch(client_for, outsider, orgs):
    r = client_for(outsider).get(reverse("meetings:create"), {"org": orgs.branch1.pk, "kind": "branch_general"})
    assert r.status_code == 404


# --- Happy paths ------------------------------------------------------------------------------------


def test_list_filters_by_type_organization_period_and_search(client_for, branch_secretary, orgs, meeting):
    MeetingFactory(organization=orgs.group1, kind="party_group", topic="小组学习")
    c = client_for(branch_secretary)
    page = c.get(reverse("meetings:list"), {"period": "year:2026"}).content.decode()
    assert meeting.topic in page and "小组学习" in page
    page = c.get(reverse("meetings:list"), {"period": "year:2026", "kind": "party_group"}).content.decode()
    assert meeting.topic not in page and "小组学习" in page
    page = c.get(reverse("meetings:list"), {"period": "year:2026", "q": "发展党员"}).content.decode()
    assert meeting.topic in page and "小组学习" not in page
    page = c.get(reverse("meetings:list"), {"period": "year:2025"}).content.decode()
    assert meeting.topic not in page


def test_calendar_shows_the_month(client_for, branch_secretary, meeting):
    page = client_for(branch_secretary).get(reverse("meetings:calendar"), {"month": "2026-3"}).content.decode()
    assert "Branch general meeting" in page and meeting.get_absolute_url() in page


def test_record_a_party_class_with_attendance_in_one_post(client_for, branch_secretary, orgs, branch1_people):
    p = branch1_people
    url = reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=party_class"
    c = client_for(branch_secretary)
    listed = {person.name for person in c.get(url).context["att_form"].people}
    assert listed == {"张伟", "王芳", "李娜", "刘洋"}  # expected attendees listed, non-members not
    r = c.post(
        url,
        {
            "kind": "party_class",
            "topic": "学习二十大精神",
            "starts_at": "2026-04-08T15:30",
            "ends_at": "2026-04-08T16:30",
            "place": "党员活动室",
            "lecturer": p["li"].pk,
            "lecture_title": "踔厉奋发 勇毅前行",
            "given_by_secretary": "on",
            "record_attendance": "on",
            f"status_{p['zhang'].pk}": "present",
            f"status_{p['wang'].pk}": "leave",
            f"reason_{p['wang'].pk}": "外出培训",
            f"status_{p['li'].pk}": "present",
            f"status_{p['liu'].pk}": "absent",
            "visitors": [p["zhao"].pk],
        },
    )
    assert r.status_code == 302, r.context["form"].errors.as_text() + str(r.context["att_form"].errors)
    m = Meeting.objects.get(topic="学习二十大精神")
    assert r.status_code == 302 and r["Location"] == m.get_absolute_url()
    assert (m.expected_count, m.present_count, m.leave_count, m.absent_count) == (4, 2, 1, 1)
    assert m.lecturer == p["li"] and m.given_by_secretary
    assert Attendance.objects.get(meeting=m, person=p["zhao"]).is_visitor


def test_future_meeting_recorded_as_held_is_refused(client_for, branch_secretary, orgs, branch1_people):
    url = reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=branch_committee"
    later = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "branch_committee", "topic": "下月计划", "starts_at": later, "record_attendance": "on"}
    r = client_for(branch_secretary).post(url, data)
    assert r.status_code == 200 and "cannot be recorded as held" in r.content.decode()
    assert not Meeting.objects.exists()
    del data["record_attendance"]  # planning it is fine
    assert client_for(branch_secretary).post(url, data).status_code == 302
    assert Meeting.objects.get().expected_count == 0


def test_end_before_start_is_refused_by_the_form(client_for, branch_secretary, orgs):
    url = reverse("meetings:create") + f"?org={orgs.branch1.pk}&kind=branch_committee"
    data = {"kind": "branch_committee", "topic": "x", "starts_at": "2026-04-08T15:30", "ends_at": "2026-04-08T14:00"}
    r = client_for(branch_secretary).post(url, data)
    assert "cannot end before it starts" in r.content.decode()
    assert not Meeting.objects.exists()


def test_create_starts_with_choosing_the_meeting_type(client_for, class_secretary, orgs):
    page = client_for(class_secretary).get(reverse("meetings:create")).content.decode()
    assert "League members&#x27; meeting" in page and "Party class" not in page


def test_attendance_page_posts_through_the_service(client_for, branch_secretary, meeting, branch1_people):
    p = branch1_people
    data = {f"status_{x.pk}": "present" for x in (p["zhang"], p["wang"], p["li"], p["liu"])}
    data[f"status_{p['liu'].pk}"] = "leave"
    data["record_version"] = meeting.version
    c = client_for(branch_secretary)
    r = c.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert "Give the reason" in r.content.decode()
    data[f"reason_{p['liu'].pk}"] = "病假"
    assert c.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count, meeting.leave_count) == (4, 3, 1)


def test_school_wide_league_meeting_records_the_attendance_of_hundreds(client_for, league_secretary, orgs):
    """A League committee's members' meeting expects every League member of the school: its attendance form
    posts two fields per person, far beyond Django's default limit of 1,000 fields; it must still save."""
    from members.models import Category, Person, PoliticalStatus
    from members.pinyin import initials, sort_key

    people = [
        Person(
            name=f"学生{i:03d}",
            category=Category.STUDENT,
            organization=orgs.class1 if i % 2 else orgs.class2,
            political_status=PoliticalStatus.LEAGUE_MEMBER,
            league_joined_on=date(2024, 5, 4),
        )
        for i in range(700)
    ]
    for p in people:
        p.pinyin, p.pinyin_initials = sort_key(p.name).replace(" ", ""), initials(p.name)
    people = Person.objects.bulk_create(people)
    url = reverse("meetings:create") + f"?org={orgs.league.pk}&kind=league_general"
    data = {
        "kind": "league_general",
        "topic": "全校团员大会：纪念五四运动",
        "starts_at": "2026-05-04T15:30",
        "ends_at": "2026-05-04T16:30",
        "record_attendance": "on",
    }
    for p in people:
        data[f"status_{p.pk}"], data[f"reason_{p.pk}"] = "present", ""
    data[f"status_{people[0].pk}"], data[f"reason_{people[0].pk}"] = "leave", "病假"
    assert len(data) > 1400
    r = client_for(league_secretary).post(url, data)
    assert r.status_code == 302
    m = Meeting.objects.get(topic="全校团员大会：纪念五四运动")
    assert (m.expected_count, m.present_count, m.leave_count) == (700, 699, 1)


def test_edit_uses_optimistic_locking(client_for, branch_secretary, meeting):
    url = reverse("meetings:edit", args=[meeting.pk])
    data = {
        "kind": "branch_general",
        "topic": "新议题",
        "starts_at": "2026-03-10T15:00",
        "record_version": meeting.version,
    }
    c = client_for(branch_secretary)
    assert c.post(url, data).status_code == 302
    r = c.post(url, {**data, "topic": "过期的修改"})  # same (now stale) version
    assert r.status_code == 200 and "Someone else saved" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.topic == "新议题"


def test_delete_is_confirmed_and_audited(client_for, branch_secretary, meeting):
    c = client_for(branch_secretary)
    assert "Confirm deletion" in c.get(reverse("meetings:delete", args=[meeting.pk])).content.decode()
    assert c.post(reverse("meetings:delete", args=[meeting.pk])).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert Meeting.history.filter(id=meeting.pk, history_type="-", history_user=branch_secretary).exists()


def test_record_a_vote_shows_the_outcome_and_links_to_the_person(client_for, branch_secretary, meeting, branch1_people):
    from members.models import Person, PoliticalStatus

    target = branch1_people["chen"]
    Person.objects.filter(pk=target.pk).update(political_status=PoliticalStatus.DEVELOPMENT_TARGET)
    c = client_for(branch_secretary)
    data = {"kind": "admission", "subject": target.pk, "entitled": 10, "present": 6, "yes": 6, "no": 0, "abstain": 0}
    r = c.post(reverse("meetings:vote_create", args=[meeting.pk]), data, follow=True)
    assert "Vote recorded: passed" in r.content.decode()
    assert reverse("members:detail", args=[target.pk]) in r.content.decode()
    bad = {**data, "present": 5, "yes": 6}
    r = c.post(reverse("meetings:vote_create", args=[meeting.pk]), bad)
    assert r.status_code == 400 and Vote.objects.count() == 1


def test_vote_form_prefills_numbers_from_attendance(client_for, branch_secretary, meeting, branch1_people):
    from meetings.services import AttendanceEntry, meeting_record_attendance

    p = branch1_people
    meeting_record_attendance(
        meeting=meeting,
        entries=[AttendanceEntry(p["zhang"].pk), AttendanceEntry(p["wang"].pk, "absent"), AttendanceEntry(p["liu"].pk)],
    )
    form = client_for(branch_secretary).get(meeting.get_absolute_url()).context["vote_form"]
    # probationary 刘洋 has no vote: 2 full members entitled, 1 present
    assert form.initial["entitled"] == 2 and form.initial["present"] == 1


def test_print_page_has_the_record_layout(client_for, viewer, meeting):
    page = client_for(viewer).get(reverse("meetings:print", args=[meeting.pk])).content.decode()
    assert "record-sheet" in page and "Meeting Record" in page and meeting.topic in page


def test_print_page_in_chinese(client_for, viewer, meeting):
    c = client_for(viewer)
    c.cookies["django_language"] = "zh-hans"
    page = c.get(reverse("meetings:print", args=[meeting.pk])).content.decode()
    assert "会议记录" in page and "主持人" in page


def test_frequency_page_colours_cells(client_for, branch_secretary, orgs):
    MeetingFactory(
        organization=orgs.branch1, kind="branch_committee", starts_at=datetime(2026, 3, 3, 15, tzinfo=SHANGHAI)
    )
    page = client_for(branch_secretary).get(reverse("meetings:frequency"), {"period": "year:2026"}).content.decode()
    assert "freq-met" in page and "freq-missed" in page and "第一党支部" in page and "第二党支部" not in page


def test_delete_shows_blockers_when_a_pipeline_step_relies_on_a_vote(
    client_for, branch_secretary, meeting, branch1_people
):
    from members.models import StatusEvent

    vote = VoteFactory(meeting=meeting, subject=branch1_people["chen"])
    StatusEvent.objects.create(
        person=branch1_people["chen"],
        kind="admission",
        status="probationary",
        date=meeting.starts_at.date(),
        vote=vote,
        meeting=meeting,
        organization=meeting.organization,
    )
    c = client_for(branch_secretary)
    page = c.get(reverse("meetings:delete", args=[meeting.pk])).content.decode()
    assert "Records rely on this meeting" in page
    r = c.post(reverse("meetings:delete", args=[meeting.pk]), follow=True)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert "refers to a vote" in r.content.decode()


def test_visitor_search_offers_colleagues_but_not_other_classes_students(
    client_for, class_secretary, orgs, class1_students, branch1_people
):
    c = client_for(class_secretary)
    url = reverse("meetings:person_search")
    page = c.get(url, {"org": orgs.class1.pk, "kind": "league_general", "visitor_q": "黄"}).content.decode()
    assert "黄勇" not in page  # a student of another class
    page = c.get(url, {"org": orgs.class1.pk, "kind": "league_general", "visitor_q": "张"}).content.decode()
    assert "张伟" in page  # a teacher of the school may attend as a visitor
    page = c.get(url, {"org": orgs.class1.pk, "kind": "league_general", "visitor_q": "李"}).content.decode()
    assert "李明" not in page  # already expected at this meeting


def test_visitor_search_needs_a_role(client_for, norole_user):
    assert client_for(norole_user).get(reverse("meetings:person_search"), {"visitor_q": "张"}).status_code == 403


def test_chinese_labels_do_not_collide_with_other_apps(client_for, branch_secretary, orgs, meeting):
    """Short msgids shared with other apps ("Committee", "yes") carry a context, so the Party branch's
    committee reads 支委会 (not 团委) and a vote's yes/no read 赞成/反对 (not 是/否)."""
    c = client_for(branch_secretary)
    c.cookies["django_language"] = "zh-hans"
    page = c.get(reverse("meetings:frequency"), {"period": "year:2026"}).content.decode()
    assert "支委会 0/1" in page and "团委 0/1" not in page
    page = c.get(meeting.get_absolute_url()).content.decode()
    assert "赞成" in page and "反对" in page and "弃权" in page
