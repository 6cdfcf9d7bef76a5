"""Person-times (人次) and hours are computed from named participations and head counts, never typed."""

from datetime import date
from decimal import Decimal

import pytest

from activities import selectors
from activities.models import Activity, Category, HonorLevel
from branches.periods import calendar_year
from reports.figures import compile_figures
from tests.activities.factories import (
    ActivityFactory,
    HeadCountFactory,
    HonorFactory,
    ParticipationFactory,
    PlaceFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

Y2026 = calendar_year(2026)


@pytest.fixture
def mixed(orgs, students):
    """One activity at 2.0 h: three named (one with 3.5 h of their own) + 20 of class2 counted at the
    activity's hours + 5 of class1 counted at 1.5 h each."""
    a = ActivityFactory(organization=orgs.class1, service_hours=Decimal("2.0"))
    ParticipationFactory(activity=a, person=students[0])
    ParticipationFactory(activity=a, person=students[1])
    ParticipationFactory(activity=a, person=students[2], hours=Decimal("3.5"))
    HeadCountFactory(activity=a, organization=orgs.class2, count=20)
    HeadCountFactory(activity=a, organization=orgs.class1, count=5, hours_per_head=Decimal("1.5"))
    return a


# 3 named + 20 + 5 counted; 2.0 + 2.0 + 3.5 + 20 × 2.0 + 5 × 1.5
PERSON_TIMES = 28
HOURS = Decimal("55.0")


def stored(activity) -> tuple[int, Decimal]:
    a = Activity.objects.with_live_totals().get(pk=activity.pk)
    assert (a.person_times, a.total_hours) == (a.live_person_times, a.live_hours)  # stored = computed
    return a.person_times, a.total_hours


def test_person_times_and_hours_mix_named_and_head_counts(mixed):
    assert stored(mixed) == (PERSON_TIMES, HOURS)
    assert isinstance(Activity.objects.get(pk=mixed.pk).total_hours, Decimal)


def test_detail_totals_agree_with_the_annotation(mixed):
    assert selectors.activity_detail(mixed)["totals"].person_times == PERSON_TIMES
    assert selectors.activity_detail(mixed)["totals"].hours == HOURS


def test_participants_without_own_hours_follow_the_activity(mixed):
    mixed.service_hours = Decimal("4.0")
    mixed.save()
    mixed.recount()  # as `services.activity_update` does
    # 4 + 4 + 3.5 + 20 × 4 + 5 × 1.5
    assert stored(mixed) == (PERSON_TIMES, Decimal("99.0"))


def test_activity_without_participants_counts_zero(orgs):
    a = ActivityFactory(organization=orgs.class1)
    assert stored(a) == (0, Decimal("0"))


def test_removing_and_correcting_rows_updates_the_stored_totals(mixed, students, orgs):
    from activities import services

    # the one with 3.5 h of their own
    services.participation_remove(activity=mixed, pk=mixed.participations.get(person=students[2]).pk)
    assert stored(mixed) == (PERSON_TIMES - 1, HOURS - Decimal("3.5"))
    services.head_count_set(activity=mixed, organization=orgs.class2, count=10)
    assert stored(mixed) == (PERSON_TIMES - 11, HOURS - Decimal("3.5") - Decimal("20.0"))
    for head in mixed.head_counts.all():
        services.head_count_remove(activity=mixed, pk=head.pk)
    assert stored(mixed) == (2, Decimal("4.0"))


def test_bulk_adding_participants_updates_the_stored_totals(mixed, students):
    from activities import services

    services.participants_add(activity=mixed, people=students[2:5], hours=Decimal("1.0"))  # [2] already in
    assert stored(mixed) == (PERSON_TIMES + 2, HOURS + Decimal("2.0"))


def test_deleting_an_activity_with_participants_recounts_nothing_else(mixed, orgs, students):
    other = ActivityFactory(organization=orgs.class1, service_hours=Decimal("1.0"))
    ParticipationFactory(activity=other, person=students[0])
    mixed.delete()
    assert not Activity.objects.filter(pk=mixed.pk).exists()
    assert stored(other) == (1, Decimal("1.0"))


def test_recount_repairs_totals_written_around_the_services(mixed):
    Activity.objects.filter(pk=mixed.pk).update(person_times=0, total_hours=0)
    assert Activity.objects.filter(pk=mixed.pk).recount() == 1
    assert stored(mixed) == (PERSON_TIMES, HOURS)


# --- the summary's figures of activities (activities.figures), against counts written here ---------------


def figures(org, period=Y2026) -> dict:
    return {k: f["value"] for k, f in compile_figures(org, period)["figures"].items()}


def test_category_figures_count_every_category(mixed, orgs):
    ActivityFactory(organization=orgs.league, category=Category.SPORTS)
    got = figures(orgs.school)
    assert {f"activities.category.{c}" for c in Category.values} <= set(got)
    assert got["activities.category.volunteer"] == 1
    assert got["service.person_times"] == PERSON_TIMES
    assert Decimal(got["service.hours"]) == HOURS
    assert got["activities.category.sports"] == 1
    assert got["activities.category.ceremony"] == 0


def test_figures_respect_the_period_and_the_subtree(mixed, orgs):
    ActivityFactory(organization=orgs.class2, starts_on=date(2025, 12, 1))
    assert figures(orgs.school)["activities.total"] == 1
    assert figures(orgs.school, calendar_year(2025))["activities.total"] == 1
    assert figures(orgs.class2)["activities.total"] == 0
    assert figures(orgs.league)["activities.person_times"] == PERSON_TIMES


def test_co_organized_activity_counts_for_the_co_organizer_subtree(orgs):
    ActivityFactory(organization=orgs.league, co_organizers=[orgs.class2])
    assert figures(orgs.class2)["activities.total"] == 1
    assert figures(orgs.class1)["activities.total"] == 0


def test_series_table(orgs, students):
    s = SeriesFactory(organization=orgs.league, name="学雷锋志愿服务")
    a = ActivityFactory(organization=orgs.class1, series=s)
    ParticipationFactory(activity=a, person=students[0])
    ActivityFactory(organization=orgs.class1, series=s)
    ActivityFactory(organization=orgs.class1)  # no series
    rows = compile_figures(orgs.school, Y2026)["breakdowns"]["activities.by_series"]
    assert [(r["id"], r["values"]) for r in rows] == [
        (s.pk, {"activities.total": 2, "activities.person_times": 1, "activities.hours": "2.00"})
    ]


def test_service_and_practice_apart_and_every_activity_at_a_place(orgs, students):
    home = PlaceFactory(organization=orgs.school, name="县老年人活动中心")
    a = ActivityFactory(organization=orgs.class1, place=home, starts_on=date(2026, 3, 5))
    HeadCountFactory(activity=a, organization=orgs.class1, count=10)
    b = ActivityFactory(
        organization=orgs.class1, place=home, starts_on=date(2026, 4, 5), category=Category.SOCIAL_PRACTICE
    )
    ParticipationFactory(activity=b, person=students[0])
    ActivityFactory(organization=orgs.class1, place=home, category=Category.SPORTS)  # held there too
    compiled = compile_figures(orgs.school, Y2026)
    got = {k: f["value"] for k, f in compiled["figures"].items()}
    assert (got["service.activities"], got["service.person_times"], Decimal(got["service.hours"])) == (
        1,
        10,
        Decimal("20.0"),
    )
    assert (got["practice.activities"], got["practice.person_times"], Decimal(got["practice.hours"])) == (
        1,
        1,
        Decimal("2.0"),
    )
    (row,) = compiled["breakdowns"]["activities.by_place"]
    assert (row["id"], row["values"]["activities.total"], row["values"]["activities.person_times"]) == (home.pk, 3, 11)
    months = compiled["series"]["volunteer_hours_by_month"]["hours"]
    assert months == {"2026-03": 20.0}  # volunteer service only


def test_honor_figures_by_level(orgs, students):
    HonorFactory(organization=orgs.league, level=HonorLevel.PROVINCE, title="五四红旗团委")
    HonorFactory(organization=orgs.league, level=HonorLevel.CITY, title="五四红旗团委")
    HonorFactory(organization=orgs.class1, person=students[0], level=HonorLevel.CITY, title="优秀共青团员")
    HonorFactory(organization=orgs.class1, level=HonorLevel.CITY, awarded_on=date(2025, 5, 4))
    got = figures(orgs.school)
    assert got["honors.level.city"] == 2
    assert got["honors.people"] == 1
    assert got["honors.level.province"] == 1
    assert got["honors.level.national"] == 0
    assert got["honors.total"] == 3
