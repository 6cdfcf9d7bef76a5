"""One document, one number: a school's year built through the services, and every figure of it — in the
summary, on the dashboard, on the 推优 page, on the pipeline board, in the frequency check — against a count
written here. Meetings planned for later are recorded, but count nowhere."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Category, Place, PlaceKind
from activities.services import participants_add
from branches import periods
from branches.periods import Period
from meetings.models import Meeting, MeetingKind, Vote, VoteKind
from meetings.services import AttendanceEntry, meeting_create, vote_record
from members import services as members_services
from members.models import Person, RecommendationStatus
from members.selectors import recommendation_progress
from reports.figures import compile_figures, drilldown_queryset, find_figure
from reports.narrative import format_value
from reports.selectors import summary_figures
from reports.services import summary_create, summary_finalize
from reports.views import DASHBOARD_TILES
from tests.members import factories as mf

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class Year:
    period: Period
    nominated_on: date
    people: dict
    meetings: list  # every meeting recorded, held or planned
    now: datetime


@pytest.fixture
def school_year(orgs) -> Year:
    """Dates run back from today, so that meetings planned for next week lie in the same period."""
    today = timezone.localdate()
    now = timezone.now()
    T = lambda days: today - timedelta(days=days)  # noqa: E731
    born = date(today.year - 20, 1, 1)
    joined = date(today.year - 5, 5, 4)
    mentors = [mf.full_member(orgs.group1, name="陈明"), mf.full_member(orgs.group1, name="刘强")]

    def league_student(name, **kw):
        return mf.student(orgs.class1, name=name, birth=born, league_joined=joined, **kw)

    passes, fails = league_student("通过生"), league_student("未通过生")
    plain, applicant = league_student("普通团员"), league_student("申请人")
    masses = mf.student(orgs.class1, name="群众学生", birth=born, league_joined=None)
    for person, day in ((passes, T(400)), (fails, T(400)), (applicant, T(100))):
        members_services.application_record(person=person, on=day, organization=orgs.branch1)

    # 推优: both nominated, the League members' meeting passes one and not the other.
    nominated_on = T(150)
    rec_pass = members_services.recommendation_nominate(person=passes, on=nominated_on, league_branch=orgs.class1)
    rec_fail = members_services.recommendation_nominate(person=fails, on=nominated_on, league_branch=orgs.class1)
    league_general = meeting_create(
        meeting=Meeting(
            organization=orgs.class1, kind=MeetingKind.LEAGUE_GENERAL, topic="推优大会", starts_at=_at(T(140))
        ),
        attendance=[
            AttendanceEntry(passes.pk),
            AttendanceEntry(fails.pk),
            AttendanceEntry(plain.pk),
            AttendanceEntry(applicant.pk, "leave", "病假"),
            AttendanceEntry(mentors[0].pk, is_visitor=True),
        ],
    )
    yes = vote_record(
        vote=Vote(meeting=league_general, kind=VoteKind.RECOMMENDATION, subject=passes, entitled=4, present=3, yes=3)
    )
    no = vote_record(
        vote=Vote(
            meeting=league_general, kind=VoteKind.RECOMMENDATION, subject=fails, entitled=4, present=3, yes=1, no=2
        )
    )
    members_services.recommendation_vote(recommendation=rec_pass, vote=yes)
    members_services.recommendation_vote(recommendation=rec_fail, vote=no)
    members_services.recommendation_decide(recommendation=rec_pass, on=T(130), committee=orgs.league, approved=True)
    rec_pass.refresh_from_db()
    members_services.activist_record(
        person=passes, on=T(120), organization=orgs.branch1, contacts=mentors, recommendation=rec_pass
    )

    # 三会一课: held ones with attendance, and planned ones (next week) that must count nowhere.
    party_class = meeting_create(
        meeting=Meeting(organization=orgs.branch1, kind=MeetingKind.PARTY_CLASS, topic="党课", starts_at=_at(T(30))),
        attendance=[AttendanceEntry(m.pk) for m in mentors] + [AttendanceEntry(plain.pk, is_visitor=True)],
    )
    committee = meeting_create(
        meeting=Meeting(
            organization=orgs.branch1, kind=MeetingKind.BRANCH_COMMITTEE, topic="支委会", starts_at=_at(T(60))
        )
    )
    planned = [
        meeting_create(
            meeting=Meeting(
                organization=orgs.branch1,
                kind=MeetingKind.PARTY_CLASS,
                topic="下周党课",
                starts_at=now + timedelta(days=7),
            )
        ),
        meeting_create(
            meeting=Meeting(
                organization=orgs.class1,
                kind=MeetingKind.LEAGUE_CLASS,
                topic="下周团课",
                starts_at=now + timedelta(days=3),
            )
        ),
    ]

    # Activities: volunteer service, social practice, theme education at a place, sports at none.
    home = Place.objects.create(organization=orgs.league, name="县敬老院", kind=PlaceKind.ELDERLY_HOME)
    base = Place.objects.create(organization=orgs.league, name="烈士陵园", kind=PlaceKind.EDUCATION_BASE)

    def activity(title, category, day, place, hours, people):
        a = Activity.objects.create(
            title=title,
            category=category,
            organization=orgs.class1,
            starts_on=day,
            place=place,
            service_hours=Decimal(hours),
        )
        participants_add(activity=a, people=people)
        return a

    activity("敬老院服务", Category.VOLUNTEER, T(100), home, "2.0", [plain, applicant])
    activity("陵园社会实践", Category.SOCIAL_PRACTICE, T(90), base, "3.0", [passes, fails, plain])
    activity("清明主题教育", Category.THEME_EDUCATION, T(80), base, "1.0", [masses])
    activity("运动会", Category.SPORTS, T(70), None, "0", [plain])

    people = {"mentors": mentors, "passes": passes, "fails": fails, "plain": plain, "applicant": applicant}
    people["masses"] = masses
    return Year(
        period=periods.custom(T(180), T(-30)),
        nominated_on=nominated_on,
        people=people,
        meetings=[league_general, party_class, committee, *planned],
        now=now,
    )


def values(org, period) -> dict:
    return {k: f["value"] for k, f in compile_figures(org, period)["figures"].items()}


def test_every_figure_is_the_count_of_what_was_recorded(orgs, school_year):
    y = school_year
    got = values(orgs.school, y.period)
    held = [m for m in y.meetings if m.starts_at <= y.now]
    assert len(held) == 3 and len(y.meetings) == 5  # two meetings are planned for next week
    assert got["meetings.total"] == 3
    assert got["meetings.party"] == 2  # the Party class and the committee
    assert got["meetings.league"] == 1
    assert got["meetings.kind.party_class"] == 1
    assert got["meetings.kind.league_class"] == 0
    # Person-times: members present — 3 at the League members' meeting, 2 at the Party class; visitors out.
    assert got["meetings.person_times"] == 3 + 2
    assert got["meetings.party_class.person_times"] == 2
    # People: a League member who applied to the Party (or became an activist) is still a League member.
    assert got["people.league_member"] == 4  # all but the student of the masses
    assert got["people.applicant"] == 2
    assert got["people.activist"] == 1
    assert got["people.full_member"] == 2
    # 推优: two nominated, one carried by the League members' meeting, approved, now an activist.
    assert got["recommendations.nominated"] == 2
    assert got["votes.recommendation"] == 2
    assert got["recommendations.passed"] == got["votes.recommendation.passed"] == 1
    assert got["recommendations.approved"] == 1
    assert got["recommendations.declined"] == 1
    assert got["pipeline.activist.recommended"] == 1
    assert got["pipeline.activist"] == 1
    # Volunteer service and social practice apart; every activity at a place in the per-place table.
    assert (got["service.activities"], got["service.person_times"], Decimal(got["service.hours"])) == (
        1,
        2,
        Decimal("4.0"),
    )
    assert (got["practice.activities"], got["practice.person_times"], Decimal(got["practice.hours"])) == (
        1,
        3,
        Decimal("9.0"),
    )
    assert got["activities.total"] == 4
    assert got["activities.person_times"] == 2 + 3 + 1 + 1
    assert Decimal(got["activities.hours"]) == Decimal("4.0") + Decimal("9.0") + Decimal("1.0")
    assert got["activities.places"] == 2


def test_planned_meetings_count_nowhere(orgs, school_year):
    y = school_year
    compiled = compile_figures(orgs.school, y.period)
    source, fig = find_figure("meetings.total", y.period)
    listed = set(drilldown_queryset(source, fig, orgs.school, y.period).values_list("topic", flat=True))
    assert listed == {"推优大会", "党课", "支委会"}  # the list behind the number: no planned meeting
    class_rows = [r for r in compiled["frequency"] if r["org"] == orgs.branch1.pk and r["rule"] == "class"]
    assert sum(r["held"] for r in class_rows) == 1  # the frequency check agrees: next week's class is not held
    league_class = [r for r in compiled["frequency"] if r["org"] == orgs.class1.pk and r["rule"] == "l_class"]
    assert sum(r["held"] for r in league_class) == 0
    # Once its day has come (as of a moment after it), the planned Party class counts like any other.
    assert Meeting.objects.held(as_of=y.now + timedelta(days=8)).in_subtree(orgs.branch1).count() == 3


def test_the_dashboard_the_summary_and_the_frozen_summary_show_the_same_numbers(
    orgs, school_year, admin_user, client_for
):
    y = school_year
    summary = summary_create(organization=orgs.school, period=y.period, by=admin_user)
    draft = summary_figures(summary)["figures"]
    page = client_for(admin_user).get(reverse("dashboard"), {"period": y.period.key})
    (block,) = [b for b in page.context["blocks"] if b["org"] == orgs.school]
    tiles = {t["key"]: t["value"] for t in block["tiles"]}
    assert set(tiles) == {key for key, _icon in DASHBOARD_TILES}
    for key, shown in tiles.items():
        assert shown == format_value(draft[key]), key
    assert tiles["meetings.kind.party_class"] == "1" and tiles["meetings.person_times"] == "5"
    summary_finalize(summary=summary, by=admin_user)
    summary.refresh_from_db()
    frozen = summary_figures(summary)["figures"]
    assert {k: frozen[k]["value"] for k in tiles} == {k: draft[k]["value"] for k in tiles}


def test_the_推优_page_and_the_summary_count_推优_by_the_same_date(orgs, school_year, admin_user, client_for):
    y = school_year
    year = y.nominated_on.year
    got = values(orgs.school, periods.calendar_year(year))
    progress = recommendation_progress(orgs.school, year)
    assert (progress["nominated"], progress["voted"], progress["approved"], progress["declined"]) == (2, 1, 1, 1)
    assert progress["became_activists"] == 1
    assert got["recommendations.nominated"] == progress["nominated"]
    assert got["recommendations.passed"] == got["votes.recommendation.passed"] == progress["voted"]
    assert got["recommendations.approved"] == progress["approved"]
    assert got["recommendations.declined"] == progress["declined"]
    assert got["pipeline.activist.recommended"] == progress["became_activists"]
    page = client_for(admin_user).get(reverse("members:recommendations"), {"year": year})
    assert page.context["progress"] == progress
    statuses = sorted(r.status for r in page.context["recommendations"])
    assert statuses == sorted([RecommendationStatus.APPROVED, RecommendationStatus.DECLINED])


def test_the_pipeline_board_counts_people_as_the_summary_does(orgs, school_year, admin_user, client_for):
    y = school_year
    got = values(orgs.school, y.period)
    page = client_for(admin_user).get(reverse("members:board"))
    columns = {c.status: c.count for c in page.context["columns"]}
    for status in ("applicant", "activist", "development_target", "probationary"):
        assert columns[status] == got[f"people.{status}"], status
    assert Person.objects.league_members().count() == got["people.league_member"] == 4
