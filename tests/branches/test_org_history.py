"""Organizations keep their history: founded and dissolved on dates; every period counts an organization
for the part of it that it existed (the organizations figure as of the period's end, the meeting rules over
the units it existed in), and a staff League branch needs no grade and class."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches import periods
from branches.models import Organization, OrgKind
from meetings.frequency import frequency_table
from reports.figures import compile_figures
from tests.factories import SHANGHAI, MeetingFactory, OfficerFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduated(orgs):
    """The class of 2025: entered September 2022, graduated and dissolved on 1 July 2025."""
    branch = Organization.objects.create(
        name="2025届高三（3）班团支部",
        kind=OrgKind.LEAGUE_BRANCH,
        parent=orgs.league,
        grade=2022,
        class_number=3,
        founded_on=date(2022, 9, 1),
    )
    branch.dissolve(date(2025, 7, 1))
    return branch


def test_dissolving_records_the_date_and_makes_the_organization_inactive(graduated):
    graduated.refresh_from_db()
    assert graduated.dissolved_on == date(2025, 7, 1)
    assert graduated.is_active is False
    assert graduated.existed_between(date(2025, 6, 30), date(2025, 6, 30))
    assert not graduated.existed_between(date(2025, 7, 1), date(2025, 12, 31))


def test_a_dissolved_organization_is_never_active(graduated):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.filter(pk=graduated.pk).update(is_active=True)


def test_deactivating_without_a_date_records_today(orgs):
    orgs.class2.is_active = False
    orgs.class2.full_clean()
    assert orgs.class2.dissolved_on == timezone.localdate()


def test_the_tree_form_dissolves_on_a_date_and_keeps_the_organization(client_for, orgs, league_secretary):
    data = {
        "record_version": orgs.class2.version,
        "parent": orgs.league.pk,
        "kind": OrgKind.LEAGUE_BRANCH,
        "name": orgs.class2.name,
        "grade": 2026,
        "class_number": 2,
        "dissolved_on": "2026-07-01",
        "sort_order": 0,
    }
    response = client_for(league_secretary).post(reverse("branches:edit", args=[orgs.class2.pk]), data)
    assert response.status_code == 302
    orgs.class2.refresh_from_db()
    assert (orgs.class2.dissolved_on, orgs.class2.is_active) == (date(2026, 7, 1), False)


def test_organizations_figure_is_taken_at_the_period_end(orgs, graduated):
    # Calendar year 2024: the class of 2025 still existed on 31 December, though inactive today.
    figures = compile_figures(orgs.school, periods.calendar_year(2024))["figures"]
    assert figures["orgs.league_branch"]["value"] == 3
    # Academic year 2024–2025 ends on 31 August 2025: dissolved on 1 July, it is gone by then.
    figures = compile_figures(orgs.school, periods.academic_year(2024))["figures"]
    assert figures["orgs.league_branch"]["value"] == 2


def test_an_organization_founded_after_the_period_is_not_counted(orgs):
    Organization.objects.create(
        name="高一（9）班团支部",
        kind=OrgKind.LEAGUE_BRANCH,
        parent=orgs.league,
        grade=2026,
        class_number=9,
        founded_on=date(2026, 9, 1),
    )
    figures = compile_figures(orgs.school, periods.academic_year(2025))["figures"]
    assert figures["orgs.league_branch"]["value"] == 2


def test_meeting_rules_check_a_dissolved_branch_for_the_units_it_existed_in(graduated):
    checks = frequency_table(orgs=[graduated], period=periods.calendar_year(2025), today=date(2026, 3, 1))[0].checks
    units = {c.unit.key for c in checks if c.rule.code == "l_general"}
    # January 2025 belongs to the autumn semester 2024; not the autumn semester 2025, after it was dissolved.
    assert units == {"semester:2024-autumn", "semester:2025-spring"}


def test_the_summary_of_the_year_includes_the_dissolved_branch(orgs, graduated):
    MeetingFactory(organization=graduated, kind="league_general", starts_at=datetime(2025, 3, 10, 15, tzinfo=SHANGHAI))
    compiled = compile_figures(orgs.league, periods.academic_year(2024))
    rows = [r for r in compiled["frequency"] if r["org"] == graduated.pk]
    general = next(r for r in rows if r["rule"] == "l_general")
    assert (general["units"], general["held"], general["missed"]) == (2, 1, ["semester:2024-autumn"])


def test_the_frequency_page_of_a_past_year_lists_the_dissolved_branch(client_for, graduated, league_secretary):
    response = client_for(league_secretary).get(reverse("meetings:frequency"), {"period": "academic:2024"})
    assert graduated in [row.org for row in response.context["rows"]]
    response = client_for(league_secretary).get(reverse("meetings:frequency"), {"period": "academic:2025"})
    assert graduated not in [row.org for row in response.context["rows"]]


def test_a_staff_league_branch_needs_no_grade_and_class(orgs):
    staff = Organization(name="教工团支部", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league, for_staff=True)
    staff.full_clean(exclude=["path"])
    staff.save()
    with pytest.raises(ValidationError):
        Organization(name="班级", kind=OrgKind.LEAGUE_BRANCH, parent=orgs.league).full_clean(exclude=["path"])


def test_the_league_secretary_creates_a_staff_league_branch(client_for, orgs, league_secretary):
    data = {"parent": orgs.league.pk, "kind": OrgKind.LEAGUE_BRANCH, "name": "教工团支部", "for_staff": "on"}
    response = client_for(league_secretary).post(reverse("branches:create"), {**data, "sort_order": 0})
    created = Organization.objects.get(name="教工团支部")
    assert response.status_code == 302
    assert created.for_staff and created.grade is None and created.class_number is None


def test_officers_of_a_dissolved_branch_are_not_in_post_after_it(orgs, graduated):
    OfficerFactory(organization=graduated, user=None, person=PersonFactory(organization=graduated))
    assert compile_figures(orgs.school, periods.calendar_year(2024))["figures"]["officers.league"]["value"] == 1
    assert compile_figures(orgs.school, periods.calendar_year(2025))["figures"]["officers.league"]["value"] == 0
