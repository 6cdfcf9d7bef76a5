"""Figures from the activities, finance and members apps, against hand-built records."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from activities.models import Activity, Category, HeadCount, Honor, HonorLevel, Participation, Place, PlaceKind
from branches.periods import calendar_year
from finance.models import AidFund, EntryKind, FundEntry
from members.models import Category as PersonCategory
from members.models.pipeline import EventKind, StatusEvent
from reports.figures import compile_figures, drilldown_queryset, find_figure
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

YEAR = calendar_year(2025)


@pytest.fixture
def records(orgs):
    s1 = PersonFactory(organization=orgs.class1, category=PersonCategory.STUDENT, name="李明")
    s2 = PersonFactory(organization=orgs.class2, category=PersonCategory.STUDENT, name="王芳")
    home = Place.objects.create(organization=orgs.league, name="县敬老院", kind=PlaceKind.ELDERLY_HOME)
    hall = Place.objects.create(organization=orgs.league, name="烈士纪念馆", kind=PlaceKind.MEMORIAL_HALL)
    first = Activity.objects.create(
        title="学雷锋志愿服务",
        category=Category.VOLUNTEER,
        organization=orgs.class1,
        starts_on=date(2025, 1, 1),
        place=home,
        service_hours=Decimal("2.0"),
    )
    Participation.objects.create(activity=first, person=s1)  # 2.0 h from the activity
    Participation.objects.create(activity=first, person=s2, hours=Decimal("3.5"))
    last = Activity.objects.create(
        title="清明祭扫",
        category=Category.SOCIAL_PRACTICE,
        organization=orgs.league,
        starts_on=date(2025, 12, 31),
        place=hall,
        service_hours=Decimal("1.0"),
    )
    HeadCount.objects.create(activity=last, organization=orgs.class2, count=40)  # 40 × 1.0 h
    Activity.objects.all().recount()  # as the services do after writing rows
    Activity.objects.create(
        title="运动会", category=Category.SPORTS, organization=orgs.league, starts_on=date(2025, 10, 1)
    )
    Activity.objects.create(
        title="去年的服务",
        category=Category.VOLUNTEER,
        organization=orgs.class1,
        starts_on=date(2024, 12, 31),
        place=home,
    )
    Honor.objects.create(
        organization=orgs.league,
        title="五四红旗团委",
        level=HonorLevel.PROVINCE,
        awarding_body="团省委",
        awarded_on=date(2025, 5, 4),
    )
    Honor.objects.create(
        organization=orgs.class1,
        person=s1,
        title="优秀团员",
        level=HonorLevel.COUNTY,
        awarding_body="团县委",
        awarded_on=date(2026, 1, 1),
    )
    fund = AidFund.objects.create(organization=orgs.league, started_on=date(2020, 1, 1))
    FundEntry.objects.create(
        fund=fund, kind=EntryKind.DONATION, entry_date=date(2024, 6, 1), amount=Decimal("1000.00"), donor_name="校友会"
    )
    FundEntry.objects.create(
        fund=fund, kind=EntryKind.DONATION, entry_date=date(2025, 1, 1), amount=Decimal("500.50"), donor_name="教职工"
    )
    FundEntry.objects.create(
        fund=fund, kind=EntryKind.GRANT, entry_date=date(2025, 12, 31), amount=Decimal("-300.00"), recipient=s1
    )
    FundEntry.objects.create(
        fund=fund, kind=EntryKind.GRANT, entry_date=date(2025, 3, 1), amount=Decimal("-200.00"), recipient=s1
    )
    StatusEvent.objects.create(person=s1, kind=EventKind.APPLICATION, date=date(2025, 1, 1), status="applicant")
    StatusEvent.objects.create(person=s2, kind=EventKind.APPLICATION, date=date(2026, 1, 1), status="applicant")
    return orgs


def fig(records, key):
    return compile_figures(records.school, YEAR)["figures"][key]


def test_volunteer_service_and_social_practice_are_counted_apart(records):
    """The volunteer service at the home for the elderly is 志愿服务; the visit to the memorial hall is 社会实践,
    not volunteer service; the hours of all activities are a figure of their own."""
    figures = compile_figures(records.school, YEAR)["figures"]
    assert figures["activities.total"]["value"] == 3
    assert figures["activities.person_times"]["value"] == 2 + 40
    assert Decimal(figures["activities.hours"]["value"]) == Decimal("2.0") + Decimal("3.5") + Decimal("40.0")
    assert figures["service.activities"]["value"] == 1
    assert figures["service.places"]["value"] == 1
    assert figures["service.person_times"]["value"] == 2
    assert Decimal(figures["service.hours"]["value"]) == Decimal("2.0") + Decimal("3.5")
    assert figures["practice.activities"]["value"] == 1
    assert figures["practice.places"]["value"] == 1
    assert figures["practice.person_times"]["value"] == 40
    assert Decimal(figures["practice.hours"]["value"]) == Decimal("40.0")
    assert figures["activities.places"]["value"] == 2
    assert figures["activities.category.sports"]["value"] == 1
    assert figures["service.activities"]["previous"] == 1


def test_honors_by_level(records):
    figures = compile_figures(records.school, YEAR)["figures"]
    assert figures["honors.total"]["value"] == 1
    assert figures["honors.level.province"]["value"] == 1
    assert figures["honors.level.county"]["value"] == 0  # awarded on 1 Jan 2026


def test_aid_fund_raised_granted_recipients_balance(records):
    figures = compile_figures(records.school, YEAR)["figures"]
    assert figures["fund.raised"]["value"] == "500.50"
    assert figures["fund.granted"]["value"] == "500.00"
    assert figures["fund.grants"]["value"] == 2
    assert figures["fund.recipients"]["value"] == 1
    assert figures["fund.balance"]["value"] == "1000.50"
    assert figures["fund.raised_total"]["value"] == "1500.50"


def test_pipeline_steps_in_the_period(records):
    assert fig(records, "pipeline.application")["value"] == 1


def test_activity_drilldown_sums_to_the_figure(records):
    source, figure = find_figure("practice.person_times", YEAR)
    qs = drilldown_queryset(source, figure, records.school, YEAR)
    assert [a.title for a in qs] == ["清明祭扫"]
    assert qs.aggregate(s=Sum("person_times"))["s"] == 40


def test_summary_prose_in_chinese_quotes_the_fund(records, party_secretary):
    from django.utils import translation

    from reports.models import SectionKey
    from reports.narrative import render_narrative
    from reports.services import summary_create

    with translation.override("zh-hans"):
        summary = summary_create(organization=records.school, period=YEAR, by=party_secretary)
        text = summary.sections.get(key=SectionKey.ACTIVITIES).narrative
        html = render_narrative(text, compile_figures(records.school, YEAR)["figures"])
    assert '募集善款<span class="fig">500.50</span>元' in html
    assert '<span class="fig">5.5</span>' in html  # volunteer service hours
    assert '<span class="fig">45.5</span>' in html  # hours of all activities
