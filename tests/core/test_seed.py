"""The demo seed: several schools side by side, and the five-year history with the graduated classes
(the large set's shape, built here on a small school with `SeedContext.with_history`)."""

import random
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from branches.models import Organization, OrgKind
from core.seeding import SeedContext
from meetings.models import Attendance, Meeting, MeetingKind
from members.models import Category, Membership, MembershipEnd, Person
from reports.management.commands.seed_demo import _seed_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def test_two_schools_seed_side_by_side_and_the_small_demo_has_no_graduated_classes():
    call_command("seed_demo", "--schools", "2", "--today", TODAY.isoformat(), verbosity=0)
    assert Organization.objects.filter(kind=OrgKind.SCHOOL).count() == 2
    ids = list(Person.objects.exclude(id_number="").values_list("id_number", flat=True))
    assert len(ids) == len(set(ids)) > 100
    # The small demo (make run) is as before: current classes only, everybody active.
    assert not Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, is_active=False).exists()
    assert Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, for_staff=False).count() == 2 * 12
    # Each school's young teachers who are League members have their staff League branch (教工团支部).
    staff_branches = Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, for_staff=True)
    assert staff_branches.count() == 2
    assert Person.objects.league_members().filter(organization__in=staff_branches, category=Category.TEACHER).exists()


@pytest.fixture
def history():
    ctx = SeedContext(rng=random.Random(2026), size="small", today=TODAY, with_history=True)
    for app in ("branches", "members", "meetings"):
        _seed_module(app).seed(ctx)
    return ctx


def test_graduated_cohorts_are_dissolved_class_branches_with_their_graduates(history):
    graduated = Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, is_active=False)
    # Dissolved on the day their cohort graduated.
    assert {(o.grade, o.dissolved_on) for o in graduated} == {(g, date(g + 3, 7, 1)) for g in range(2020, 2024)}
    # Four cohorts sat in school during the five academic years 2022-2023 … 2026-2027 (entries 2020–2023).
    assert sorted({o.grade for o in graduated}) == [2020, 2021, 2022, 2023]
    assert graduated.count() == 4 * 4
    branch = graduated.get(grade=2023, class_number=2)
    assert branch.name == "2026届高三（2）班团支部" and branch.founded_on == date(2023, 9, 1)
    # Current classes are untouched: three grades, active.
    assert sorted(
        set(
            Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, is_active=True, for_staff=False).values_list(
                "grade", flat=True
            )
        )
    ) == [2024, 2025, 2026]
    graduates = Person.objects.filter(organization__in=graduated)
    assert graduates.count() == 16 * 12
    assert not graduates.filter(is_active=True).exists()
    assert set(graduates.values_list("category", flat=True)) == {Category.STUDENT}
    assert graduates.filter(league_joined_on__isnull=False).exists()
    ended = Membership.objects.filter(person__organization=branch)
    assert set(ended.values_list("ended_on", "end_reason")) == {(date(2026, 7, 1), MembershipEnd.GRADUATED)}
    # The current students stay the active ones.
    assert not Person.objects.filter(
        organization__kind=OrgKind.LEAGUE_BRANCH, organization__is_active=True, is_active=False
    ).exists()


def test_graduated_classes_hold_league_meetings_in_term_time_with_their_own_members(history):
    graduated = Organization.objects.filter(kind=OrgKind.LEAGUE_BRANCH, is_active=False)
    meetings = Meeting.objects.filter(organization__in=graduated)
    kinds = set(meetings.values_list("kind", flat=True))
    assert kinds == {MeetingKind.LEAGUE_GENERAL, MeetingKind.LEAGUE_CLASS, MeetingKind.LEAGUE_COMMITTEE}
    assert meetings.filter(topic__startswith="主题团日").exists()
    for org in graduated:
        days = [m.starts_at.date() for m in meetings.filter(organization=org)]
        assert days, org
        # Within the five seeded years, after the class entered and before the gaokao of its last year.
        assert min(days) >= max(date(2022, 9, 1), date(org.grade, 9, 1))
        assert max(days) <= date(org.grade + 3, 5, 31)
        assert not {d.month for d in days} & {2, 7, 8}
    # Monthly-ish: a class that sat three full years in the window holds well over a dozen a year.
    assert meetings.filter(organization__grade=2022).count() / 4 / 3 >= 15
    # Every attendee is a League member of that very class who had joined by the meeting's day.
    rows = Attendance.objects.filter(meeting__organization__in=graduated)
    assert rows.count() > 5000
    assert not rows.exclude(person__organization=F("meeting__organization")).exists()
    assert not rows.filter(person__league_joined_on__isnull=True).exists()
    assert not rows.filter(person__league_joined_on__gt=F("meeting__starts_at__date")).exists()
    expected = {m.pk: m.expected_count for m in meetings}
    for meeting_id, n in (
        Attendance.objects.filter(meeting__in=meetings).values_list("meeting_id").annotate(n=Count("pk"))
    ):
        assert expected[meeting_id] == n


def test_party_meetings_cover_the_five_academic_years(history):
    party = Meeting.objects.filter(organization__kind__in=[OrgKind.PARTY_BRANCH, OrgKind.PARTY_GROUP])
    first = min(m.starts_at.date() for m in party)
    assert date(2022, 9, 1) <= first < date(2022, 10, 1)
    for year in range(2023, 2027):
        assert party.filter(kind=MeetingKind.BRANCH_COMMITTEE, starts_at__year=year).count() >= 18
        assert party.filter(kind=MeetingKind.PARTY_GROUP, starts_at__year=year).count() >= 40


def test_pages_of_current_classes_leave_the_graduated_out(history, client):
    from django.urls import reverse

    admin = history.users["admin"]
    client.force_login(admin)
    response = client.get(reverse("meetings:frequency"), {"period": "academic:2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "高一（1）班" in html and "2026届" not in html
    # The calendar year 2026 checks the class of 2026 for the months it existed (until it graduated in July).
    html = client.get(reverse("meetings:frequency"), {"period": "year:2026"}).content.decode()
    assert "2026届" in html and "2025届" not in html
    response = client.get(reverse("members:list"), {"category": "student"})
    assert (
        response.context["page_obj"].paginator.count
        == Person.objects.filter(category=Category.STUDENT, is_active=True).count()
    )
