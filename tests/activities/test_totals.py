"""Person-times (人次) and hours are computed from named participations and head counts, never typed."""

from datetime import date
from decimal import Decimal

import pytest

from activities import selectors
from activities.models import Activity, Category, HonorLevel
from branches.periods import calendar_year, month
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
    # 4 + 4 + 3.5 + 20 × 4 + 5 × 1.5
    assert stored(mixed) == (PERSON_TIMES, Decimal("99.0"))


def test_activity_without_participants_counts_zero(orgs):
    a = ActivityFactory(organization=orgs.class1)
    assert stored(a) == (0, Decimal("0"))


def test_removing_and_correcting_rows_updates_the_stored_totals(mixed, students):
    mixed.participations.get(person=students[2]).delete()  # the one with 3.5 h of their own
    assert stored(mixed) == (PERSON_TIMES - 1, HOURS - Decimal("3.5"))
    head = mixed.head_counts.get(count=20)
    head.count = 10
    head.save()
    assert stored(mixed) == (PERSON_TIMES - 11, HOURS - Decimal("3.5") - Decimal("20.0"))
    mixed.head_counts.all().delete()
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
    from activities import services

    Activity.objects.filter(pk=mixed.pk).update(person_times=0, total_hours=0)
    assert services.activities_recount(Activity.objects.filter(pk=mixed.pk)) == 1
    assert stored(mixed) == (PERSON_TIMES, HOURS)


def test_totals_by_category_lists_every_category(mixed, orgs):
    ActivityFactory(organization=orgs.league, category=Category.SPORTS)
    rows = {r["category"]: r for r in selectors.totals_by_category(period=Y2026)}
    assert len(rows) == len(Category)
    assert rows[Category.VOLUNTEER]["person_times"] == PERSON_TIMES
    assert rows[Category.VOLUNTEER]["hours"] == HOURS
    assert rows[Category.SPORTS]["activities"] == 1
    assert rows[Category.CEREMONY]["activities"] == 0


def test_totals_respect_the_period_and_the_subtree(mixed, orgs):
    ActivityFactory(organization=orgs.class2, starts_on=date(2025, 12, 1))
    assert selectors.totals(period=Y2026).activities == 1
    assert selectors.totals(period=calendar_year(2025)).activities == 1
    assert selectors.totals(period=Y2026, organization=orgs.class2).activities == 0
    assert selectors.totals(period=Y2026, organization=orgs.league).person_times == PERSON_TIMES


def test_co_organized_activity_counts_for_the_co_organizer_subtree(orgs):
    ActivityFactory(organization=orgs.league, co_organizers=[orgs.class2])
    assert selectors.totals(period=Y2026, organization=orgs.class2).activities == 1
    assert selectors.totals(period=Y2026, organization=orgs.class1).activities == 0


def test_totals_by_series(orgs, students):
    s = SeriesFactory(organization=orgs.league, name="学雷锋志愿服务")
    a = ActivityFactory(organization=orgs.class1, series=s)
    ParticipationFactory(activity=a, person=students[0])
    ActivityFactory(organization=orgs.class1, series=s)
    ActivityFactory(organization=orgs.class1)  # no series
    rows = selectors.totals_by_series(period=Y2026)
    assert [(r["series"], r["activities"], r["person_times"], r["hours"]) for r in rows] == [(s, 2, 1, Decimal("2.0"))]


def test_service_by_place_and_month(orgs, students):
    home = PlaceFactory(organization=orgs.school, name="县老年人活动中心")
    a = ActivityFactory(organization=orgs.class1, place=home, starts_on=date(2026, 3, 5))
    HeadCountFactory(activity=a, organization=orgs.class1, count=10)
    b = ActivityFactory(
        organization=orgs.class1, place=home, starts_on=date(2026, 4, 5), category=Category.SOCIAL_PRACTICE
    )
    ParticipationFactory(activity=b, person=students[0])
    ActivityFactory(organization=orgs.class1, place=home, category=Category.SPORTS)  # not service
    places = selectors.service_by_place(period=Y2026)
    assert [(r["place"], r["activities"], r["person_times"], r["hours"]) for r in places] == [
        (home, 2, 11, Decimal("22.0"))
    ]
    months = selectors.service_by_month(period=Y2026)
    assert len(months) == 12
    assert (months[2]["person_times"], months[3]["person_times"], months[4]["person_times"]) == (10, 1, 0)
    assert selectors.service_by_month(period=month(2026, 4))[0]["hours"] == Decimal("2.0")


def test_honors_by_level(orgs, students):
    HonorFactory(organization=orgs.league, level=HonorLevel.PROVINCE, title="五四红旗团委")
    HonorFactory(organization=orgs.league, level=HonorLevel.CITY, title="五四红旗团委")
    HonorFactory(organization=orgs.class1, person=students[0], level=HonorLevel.CITY, title="优秀共青团员")
    HonorFactory(organization=orgs.class1, level=HonorLevel.CITY, awarded_on=date(2025, 5, 4))
    rows = {r["level"]: r for r in selectors.honors_by_level(period=Y2026)}
    assert rows[HonorLevel.CITY]["count"] == 2
    assert rows[HonorLevel.CITY]["people"] == 1
    assert rows[HonorLevel.PROVINCE]["organizations"] == 1
    assert rows[HonorLevel.NATIONAL]["count"] == 0
    assert selectors.honors_by_level(period=Y2026)[0]["level"] == HonorLevel.NATIONAL


def test_report_selectors_run_a_fixed_number_of_queries(orgs, students, django_assert_max_num_queries):
    home = PlaceFactory(organization=orgs.school)
    s = SeriesFactory(organization=orgs.league)
    for i in range(5):
        a = ActivityFactory(organization=orgs.class1, place=home, series=s, starts_on=date(2026, 1 + i, 3))
        ParticipationFactory(activity=a, person=students[i])
        HeadCountFactory(activity=a, organization=orgs.class2, count=3)
    with django_assert_max_num_queries(3):
        selectors.totals_by_category(period=Y2026, organization=orgs.school)
    with django_assert_max_num_queries(4):
        selectors.totals_by_series(period=Y2026, organization=orgs.school)
    with django_assert_max_num_queries(4):
        assert selectors.service_by_place(period=Y2026)[0]["person_times"] == 20
    with django_assert_max_num_queries(3):
        selectors.service_by_month(period=Y2026)
    with django_assert_max_num_queries(1):
        selectors.honors_by_level(period=Y2026)
