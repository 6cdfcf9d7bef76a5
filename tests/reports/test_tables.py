"""The summary's tables: meetings against the frequency rules, 推优 against the yearly target, activities
per series, service per place, dues per organization, the fund side by side; number formatting; the
tables in Excel and Word; the no-role dashboard."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, Category, Participation, Place, PlaceKind, Series
from branches.periods import calendar_year
from meetings.models import MeetingKind
from members.models.pipeline import Recommendation, RecommendationStatus, RecommendationTarget
from reports.document import figure_linker
from reports.figures import compile_figures
from reports.narrative import format_number, section_tables
from reports.services import summary_create
from tests.factories import MeetingFactory, PersonFactory
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db

YEAR = calendar_year(2025)


def _rows(compiled, org, code):
    return [r for r in compiled["frequency"] if r["org"] == org.pk and r["rule"] == code]


@pytest.fixture
def theme_days(orgs):
    """First Party branch: a theme Party day every month of 2025 but March (two in May)."""
    for month in range(1, 13):
        if month != 3:
            MeetingFactory(organization=orgs.branch1, kind=MeetingKind.THEME_PARTY_DAY, starts_at=at(2025, month, 10))
    MeetingFactory(organization=orgs.branch1, kind=MeetingKind.THEME_PARTY_DAY, starts_at=at(2025, 5, 20))
    # A theme day of its Party group does not count for the branch (the rule is the branch's own).
    MeetingFactory(organization=orgs.group1, kind=MeetingKind.THEME_PARTY_DAY, starts_at=at(2025, 3, 10))
    return orgs


def test_frequency_required_held_and_the_missed_month(theme_days):
    orgs = theme_days
    compiled = compile_figures(orgs.school, YEAR)
    (row,) = _rows(compiled, orgs.branch1, "theme")
    assert (row["required"], row["held"], row["units"], row["met"]) == (12, 12, 12, 11)
    assert row["missed"] == ["month:2025-03"]
    # Branch 2 held none: every month missed.
    (other,) = _rows(compiled, orgs.branch2, "theme")
    assert (other["required"], other["held"], len(other["missed"])) == (12, 0, 12)
    figures = compiled["figures"]
    assert figures["frequency.missed"]["value"] == sum(len(r["missed"]) for r in compiled["frequency"])
    assert figures["frequency.required"]["value"] == sum(r["required"] for r in compiled["frequency"])


def test_frequency_tables_and_the_held_link_lists_those_meetings(theme_days, branch_secretary, client_for):
    orgs = theme_days
    compiled = compile_figures(orgs.branch1, YEAR)
    link = figure_linker(orgs.branch1, YEAR)
    with translation.override("zh-hans"):
        tables = {t["key"]: t for t in section_tables("systems", compiled, {}, link)}
        gaps = tables["frequency_gaps"]
        row = next(r for r in gaps["rows"] if r["cells"][1]["text"] == "主题党日")
        assert row["cells"][0]["text"] == orgs.branch1.name
        assert row["cells"][-1]["text"] == "2025年3月"
        by_rule = {r["cells"][0]["text"]: r for r in tables["frequency"]["rows"]}
        assert by_rule["主题党日"]["cells"][1]["text"] == "每月不少于1次"
    held = row["cells"][4]
    assert held["text"] == "12"
    response = client_for(branch_secretary).get(held["url"])
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 12  # the group's theme day is not among them
    assert response.context["value"] == "12"
    assert "frequency_all" not in tables  # the per-organization table of every rule is for Excel only


def test_drilldown_by_row_of_another_source_or_bad_value_is_404(theme_days, branch_secretary, client_for):
    url = reverse("reports:drilldown", args=["meetings.total"])
    client = client_for(branch_secretary)
    params = {"org": theme_days.branch1.pk, "period": "year:2025"}
    assert client.get(url, {**params, "by": "activities.by_place", "val": "1"}).status_code == 404
    assert client.get(url, {**params, "by": "meetings.by_organization", "val": "x"}).status_code == 404


@pytest.fixture
def activities(orgs):
    s1 = PersonFactory(organization=orgs.class1, name="李明")
    s2 = PersonFactory(organization=orgs.class1, name="王芳")
    march = Series.objects.create(organization=orgs.league, name="三月文明礼貌月", year=2025)
    home = Place.objects.create(organization=orgs.league, name="县敬老院", kind=PlaceKind.ELDERLY_HOME)
    a = Activity.objects.create(
        title="敬老院服务",
        category=Category.VOLUNTEER,
        organization=orgs.class1,
        starts_on=date(2025, 3, 5),
        place=home,
        series=march,
        service_hours=Decimal("2.0"),
    )
    Participation.objects.create(activity=a, person=s1)
    Participation.objects.create(activity=a, person=s2, hours=Decimal("1.5"))
    b = Activity.objects.create(
        title="文明礼貌黑板报",
        category=Category.THEME_EDUCATION,
        organization=orgs.class1,
        starts_on=date(2025, 3, 20),
        series=march,
    )
    Participation.objects.create(activity=b, person=s1)
    c = Activity.objects.create(
        title="街头宣传",
        category=Category.VOLUNTEER,
        organization=orgs.class1,
        starts_on=date(2025, 6, 1),
        service_hours=Decimal("1000.0"),
    )
    Participation.objects.create(activity=c, person=s1)
    base = Place.objects.create(organization=orgs.league, name="烈士陵园", kind=PlaceKind.EDUCATION_BASE)
    d = Activity.objects.create(
        title="清明祭扫主题教育",
        category=Category.THEME_EDUCATION,
        organization=orgs.class1,
        starts_on=date(2025, 4, 4),
        place=base,
        service_hours=Decimal("2.0"),
    )
    Participation.objects.create(activity=d, person=s2)
    Activity.objects.all().recount()  # as the services do after writing rows
    return orgs, march, home


def test_activities_per_series_and_every_activity_per_place_by_kind(activities, branch_secretary, client_for):
    orgs, march, home = activities
    compiled = compile_figures(orgs.school, YEAR)
    (series,) = compiled["breakdowns"]["activities.by_series"]
    assert series["name"] == "三月文明礼貌月"
    assert series["values"] == {"activities.total": 2, "activities.person_times": 3, "activities.hours": "3.50"}
    rows = compiled["breakdowns"]["activities.by_place"]
    # Every activity held at a place — the theme education at the education base too — places by kind
    # (the home for the elderly before the education base); activities held nowhere in particular are not rows.
    assert [(r["name"], r["group"]) for r in rows] == [("县敬老院", "elderly_home"), ("烈士陵园", "education_base")]
    assert rows[0]["values"] == {"activities.total": 1, "activities.person_times": 2, "activities.hours": "3.50"}
    assert rows[1]["values"] == {"activities.total": 1, "activities.person_times": 1, "activities.hours": "2.00"}
    assert "service.by_place" not in compiled["breakdowns"]
    with translation.override("en"):
        tables = {t["key"]: t for t in section_tables("activities", compiled, {}, figure_linker(orgs.school, YEAR))}
    place_rows = {r["cells"][0]["text"]: r for r in tables["activities.by_place"]["rows"]}
    assert place_rows["Home for the elderly: 县敬老院"]["cells"][3]["text"] == "3.5"
    assert place_rows["Total"]["cells"][3]["text"] == "5.5"
    url = place_rows["Patriotic education base: 烈士陵园"]["cells"][1]["url"]
    assert client_for(branch_secretary).get(url).status_code == 404  # the school's figures: not the branch's


def test_a_place_cell_lists_the_activities_held_there(activities, admin_user, client_for):
    orgs, march, home = activities
    compiled = compile_figures(orgs.school, YEAR)
    with translation.override("en"):
        tables = {t["key"]: t for t in section_tables("activities", compiled, {}, figure_linker(orgs.school, YEAR))}
    place_rows = {r["cells"][0]["text"]: r for r in tables["activities.by_place"]["rows"]}
    response = client_for(admin_user).get(place_rows["Patriotic education base: 烈士陵园"]["cells"][1]["url"])
    assert [a.title for a in response.context["page_obj"]] == ["清明祭扫主题教育"]
    assert response.context["value"] == "1"


def test_breakdown_cell_lists_exactly_its_rows(activities, admin_user, client_for):
    orgs, march, home = activities
    compiled = compile_figures(orgs.school, YEAR)
    tables = {t["key"]: t for t in section_tables("activities", compiled, {}, figure_linker(orgs.school, YEAR))}
    row = tables["activities.by_series"]["rows"][0]
    response = client_for(admin_user).get(row["cells"][2]["url"])
    assert response.context["value"] == "3"  # person-times of the series
    assert response.context["page_obj"].paginator.count == 2


def test_recommendations_against_the_yearly_target(orgs):
    RecommendationTarget.objects.create(school=orgs.school, year=2025, target=3)
    for i, status in enumerate([RecommendationStatus.APPROVED, RecommendationStatus.APPROVED, "nominated"]):
        Recommendation.objects.create(
            person=PersonFactory(organization=orgs.class1),
            league_branch=orgs.class1,
            nominated_on=date(2025, 4, 1 + i),
            status=status,
        )
    compiled = compile_figures(orgs.school, YEAR)
    assert compiled["figures"]["recommendations.target"]["value"] == 3
    tables = {t["key"]: t for t in section_tables("systems", compiled, {})}
    approved = next(r for r in tables["recommendations"]["rows"] if r["key"] == "recommendations.approved")
    assert approved["cells"][1]["text"] == "2" and approved["cells"][-1]["text"] == "≥ 3 ✗"
    # A class's summary has no share of the school's target.
    assert "recommendations.target" not in compile_figures(orgs.class1, YEAR)["figures"]


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        ("84506.30", "money", "84,506.30"),
        ("1240.00", "hours", "1,240"),
        ("12.50", "hours", "12.5"),
        ("12.25", "hours", "12.3"),
        (3512, "int", "3,512"),
        (None, "int", "—"),
    ],
)
def test_number_formatting(value, kind, shown):
    assert format_number(value, kind) == shown


def test_chinese_prose_has_no_english_and_frequency_sentence(theme_days, party_secretary):
    with translation.override("zh-hans"):
        summary = summary_create(organization=theme_days.school, period=YEAR, by=party_secretary)
    text = "".join(s.narrative for s in summary.sections.all())
    assert "按照“三会一课”制度要求" in text and "未按规定频次召开" in text
    assert "None" not in text
    assert "。 " not in text  # no space between Chinese sentences
    assert "本年度各团支部未开展推优工作。" in text and "0名被确定" not in text  # no 推优: said, not zeros
    english = re.findall(r"[A-Za-z]{3,}", re.sub(r"\[\[[^\]]+\]\]", "", text))
    assert english == []


def test_xlsx_tables_keep_numbers_with_formats(activities, admin_user, client_for):
    from openpyxl import load_workbook

    orgs, march, home = activities
    with translation.override("en"):
        summary = summary_create(organization=orgs.school, period=YEAR, by=admin_user)
    response = client_for(admin_user).get(reverse("reports:xlsx", args=[summary.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Activities per place"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    hours = rows["Patriotic education base: 烈士陵园"][3]
    assert hours.value == 2 and hours.number_format == "#,##0"
    elderly = rows["Home for the elderly: 县敬老院"][3]
    assert elderly.value == Decimal("3.5") and elderly.number_format == "#,##0.0"
    assert any(name.startswith("Meetings against the rules") for name in wb.sheetnames)


def test_docx_has_the_series_table(activities, admin_user, client_for):
    from docx import Document

    orgs, march, home = activities
    with translation.override("en"):
        summary = summary_create(organization=orgs.school, period=YEAR, by=admin_user)
    response = client_for(admin_user).get(reverse("reports:docx", args=[summary.pk]))
    doc = Document(io.BytesIO(response.content))
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["三月文明礼貌月", "2", "3", "3.5"] in cells


def test_dashboard_of_an_account_without_a_role(norole_user, client_for):
    client = client_for(norole_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Your account has no role yet; ask the school administrator." in response.content.decode()
    assert "blocks" not in response.context
    client.cookies["django_language"] = "zh-hans"
    assert "您的账号尚未分配角色，请联系学校管理员。" in client.get(reverse("dashboard")).content.decode()
