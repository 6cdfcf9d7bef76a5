"""League membership over time: the stock figures of a summary are taken on the period's last day (people by
their dated status history and League joining and leaving dates), the League's flows (joined, left by
reason, registered), the 推优 target of an academic year, and everything that follows League membership
rather than the political status (dues accounts, the people expected at a League meeting, the member list's
filter)."""

from datetime import date

import pytest

from branches.models import Organization, OrgKind
from branches.periods import academic_year, calendar_year
from finance import selectors as finance_selectors
from finance import services as finance_services
from finance.models import DuesAccount, DuesKind
from meetings.forms import vote_subjects
from meetings.models import MeetingKind
from meetings.selectors import expected_attendees
from members import selectors, services
from members.models import (
    AppraisalRating,
    Category,
    EventKind,
    LeagueLeaving,
    LeagueRegistration,
    Membership,
    MembershipEnd,
    Person,
    PoliticalStatus,
    RecommendationTarget,
    StatusEvent,
    TargetYear,
)
from reports.figures import compile_figures, drilldown_queryset, find_figure
from tests.factories import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

YEAR = calendar_year(2025)


def student(orgs, name, *, joined=None, arrived=date(2024, 9, 1), born=date(2009, 3, 1), **kwargs):
    """A student of class 1 with a membership from `arrived`, in the League from `joined` (if given)."""
    p = PersonFactory(
        organization=orgs.class1,
        category=Category.STUDENT,
        name=name,
        birth_date=born,
        political_status=PoliticalStatus.LEAGUE_MEMBER if joined else PoliticalStatus.MASSES,
        league_joined_on=joined,
        **kwargs,
    )
    Membership.objects.create(person=p, organization=orgs.class1, started_on=arrived)
    return p


def figures(root, period):
    return {k: v["value"] for k, v in compile_figures(root, period)["figures"].items()}


# --- stock figures as of the period's last day ---------------------------------------------------------


def test_league_members_are_counted_on_the_last_day_of_the_period(orgs):
    left_later = student(orgs, "李明", joined=date(2023, 5, 4))
    services.league_leave(
        person=left_later, on=date(2026, 3, 1), organization=orgs.class1, over_age=False, notes="出国留学"
    )
    student(orgs, "王芳", joined=date(2026, 2, 1))  # joined after the period
    student(orgs, "赵敏", joined=date(2024, 5, 4))
    assert figures(orgs.school, YEAR)["people.league_member"] == 2  # 李明 and 赵敏 on 31 December 2025
    assert figures(orgs.school, calendar_year(2026))["people.league_member"] == 2  # 王芳 and 赵敏


def test_people_who_left_the_school_later_count_and_newcomers_do_not(orgs):
    gone = student(orgs, "李明", joined=date(2023, 5, 4))
    services.person_transfer_out(person=gone, on=date(2026, 2, 10), reason=MembershipEnd.TRANSFER_OUT)
    student(orgs, "王芳", joined=date(2023, 5, 4), arrived=date(2026, 3, 1))  # came after the period
    assert figures(orgs.school, YEAR)["people.league_member"] == 1
    source, fig = find_figure("people.league_member", YEAR)
    assert [p.name for p in drilldown_queryset(source, fig, orgs.school, YEAR)] == ["李明"]


def test_political_status_is_the_one_held_on_the_last_day(orgs):
    p = student(orgs, "李明", joined=date(2023, 5, 4), born=date(2006, 3, 1))
    StatusEvent.objects.create(person=p, kind=EventKind.APPLICATION, date=date(2025, 3, 1), status="applicant")
    StatusEvent.objects.create(person=p, kind=EventKind.ACTIVIST, date=date(2026, 4, 1), status="activist")
    Person.objects.filter(pk=p.pk).update(political_status=PoliticalStatus.ACTIVIST)
    got = figures(orgs.school, YEAR)
    assert (got["people.applicant"], got["people.activist"], got["training.total"]) == (1, 0, 0)
    got = figures(orgs.school, calendar_year(2026))
    assert (got["people.applicant"], got["people.activist"]) == (0, 1)


# --- the League's flows -----------------------------------------------------------------------------------


def test_leaving_the_league_records_why(orgs):
    p = student(orgs, "李明", joined=date(2014, 5, 4), born=date(1997, 6, 1))
    event = services.league_leave(person=p, on=date(2025, 6, 1), organization=orgs.class1)
    assert event.leaving_reason == LeagueLeaving.OVER_AGE
    q = student(orgs, "王芳", joined=date(2023, 5, 4))
    event = services.league_leave(person=q, on=date(2025, 6, 1), organization=orgs.class1, over_age=False, notes="x")
    assert event.leaving_reason == LeagueLeaving.OTHER


def test_league_members_who_left_are_counted_by_reason(orgs):
    over_age = student(orgs, "李明", joined=date(2014, 5, 4), born=date(1997, 6, 1))
    services.league_leave(person=over_age, on=date(2025, 6, 1), organization=orgs.class1)
    other = student(orgs, "王芳", joined=date(2023, 5, 4))
    services.league_leave(person=other, on=date(2025, 4, 1), organization=orgs.class1, over_age=False, notes="x")
    moved = student(orgs, "赵敏", joined=date(2023, 5, 4))
    services.person_transfer_out(person=moved, on=date(2025, 3, 1), reason=MembershipEnd.TRANSFER_OUT)
    graduate = student(orgs, "刘洋", joined=date(2023, 5, 4))
    services.person_transfer_out(person=graduate, on=date(2025, 7, 1), reason=MembershipEnd.GRADUATED)
    not_in_league = student(orgs, "陈静")
    services.person_transfer_out(person=not_in_league, on=date(2025, 3, 1), reason=MembershipEnd.TRANSFER_OUT)
    got = figures(orgs.school, YEAR)
    assert got["league.left"] == 4
    assert (
        got["league.left.over_age"],
        got["league.left.other"],
        got["league.left.transfer_out"],
        got["league.left.graduated"],
    ) == (1, 1, 1, 1)
    assert figures(orgs.school, calendar_year(2024))["league.left"] == 0


def test_league_joined_and_registered_in_the_period(orgs):
    joined = student(orgs, "李明", born=date(2009, 3, 1))
    services.league_join(person=joined, on=date(2025, 5, 4), organization=orgs.class1)
    registered = student(orgs, "王芳", joined=date(2023, 5, 4))
    LeagueRegistration.objects.create(
        person=registered, year=2025, rating=AppraisalRating.QUALIFIED, registered=True, organization=orgs.class1
    )
    refused = student(orgs, "赵敏", joined=date(2023, 5, 4))
    LeagueRegistration.objects.create(
        person=refused, year=2025, rating=AppraisalRating.UNQUALIFIED, registered=False, organization=orgs.class1
    )
    got = figures(orgs.school, YEAR)
    assert (got["league.joined"], got["league.registered"]) == (1, 1)
    source, fig = find_figure("league.registered", YEAR)
    assert [p.name for p in drilldown_queryset(source, fig, orgs.school, YEAR)] == ["王芳"]


# --- the 推优 target of an academic year --------------------------------------------------------------------


def test_an_academic_year_finds_its_own_target(orgs):
    RecommendationTarget.objects.create(school=orgs.school, year=2025, target=30)
    RecommendationTarget.objects.create(school=orgs.school, year=2026, target=40)
    services.recommendation_target_set(school=orgs.school, year=2025, target=12, kind=TargetYear.ACADEMIC)
    compiled = compile_figures(orgs.league, academic_year(2025))["figures"]
    assert compiled["recommendations.target"]["value"] == 12
    assert compile_figures(orgs.league, YEAR)["figures"]["recommendations.target"]["value"] == 30
    # An academic year without a target of its own has none (not the sum of two calendar years).
    assert "recommendations.target" not in compile_figures(orgs.league, academic_year(2024))["figures"]
    assert selectors.recommendation_progress(orgs.school, 2025)["target"] == 30


# --- what follows League membership, not the political status ------------------------------------------------


@pytest.fixture
def activist_in_league(orgs):
    p = student(orgs, "李明", joined=date(2022, 5, 4), born=date(2007, 3, 1))
    Person.objects.filter(pk=p.pk).update(political_status=PoliticalStatus.ACTIVIST, status_since=date(2025, 3, 1))
    p.refresh_from_db()
    return p


def test_league_dues_accounts_follow_league_membership(orgs, activist_in_league):
    party_member = student(orgs, "赵敏", joined=date(2018, 5, 4), born=date(2000, 3, 1))
    Person.objects.filter(pk=party_member.pk).update(political_status=PoliticalStatus.FULL_MEMBER)
    finance_services.dues_accounts_ensure(organization=orgs.school, today=date(2026, 11, 1))
    account = DuesAccount.objects.get(person=activist_in_league, kind=DuesKind.LEAGUE)
    assert account.starts_on == date(2022, 5, 1)  # from joining the League, not from becoming an activist
    # …and the dues pages list it (the accounts of those who owe dues now).
    assert DuesAccount.objects.filter(finance_selectors.payer_q(), person=activist_in_league).exists()
    # A Party member who keeps League membership pays Party dues only.
    assert set(DuesAccount.objects.filter(person=party_member).values_list("kind", flat=True)) == {DuesKind.PARTY}


def test_a_league_meeting_expects_its_league_members_whatever_their_status(orgs, activist_in_league):
    outside = student(orgs, "王芳", born=date(2007, 3, 1))
    Person.objects.filter(pk=outside.pk).update(political_status=PoliticalStatus.APPLICANT)
    expected = set(expected_attendees(orgs.class1, MeetingKind.LEAGUE_GENERAL))
    assert activist_in_league in expected and outside not in expected
    meeting = MeetingFactory(organization=orgs.class1, kind=MeetingKind.LEAGUE_GENERAL)
    assert set(vote_subjects(meeting)) == {activist_in_league}


def test_a_staff_league_branch_expects_its_young_teachers(orgs):
    staff = Organization.objects.create(
        name="教工团支部", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league, for_staff=True
    )
    teacher = PersonFactory(
        organization=staff,
        category=Category.TEACHER,
        birth_date=date(2000, 3, 1),
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        league_joined_on=date(2015, 5, 4),
    )
    assert list(expected_attendees(staff, MeetingKind.LEAGUE_CLASS)) == [teacher]
    people, _ratings = selectors.league_sheet_people(staff, 2025)
    assert people == [teacher]


def test_member_list_league_filter_follows_league_membership(orgs, admin_user, activist_in_league):
    outside = student(orgs, "王芳", born=date(2007, 3, 1))
    Person.objects.filter(pk=outside.pk).update(political_status=PoliticalStatus.LEAGUE_MEMBER)  # status only
    found = set(selectors.person_list(admin_user, status=PoliticalStatus.LEAGUE_MEMBER))
    assert activist_in_league in found and outside not in found
