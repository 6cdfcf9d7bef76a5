"""The 推优 page sets the school's target for a calendar year or an academic year (named by the year it
starts in): the kind defaults to the page's (a calendar year), the year to the page's year, a bad kind or year
is refused, each save is audited, and the page shows the target of the year it shows beside the academic
years' ones."""

import pytest
from django.urls import reverse

from branches.periods import academic_year, calendar_year
from members.models import RecommendationTarget, TargetYear
from reports.figures import compile_figures

pytestmark = pytest.mark.django_db


def post(client, data, year=2026):
    url = f"{reverse('members:recommendation_target')}?year={year}"
    return client.post(url, data, follow=True)


def test_an_academic_year_target_is_set_from_the_page(orgs, league_secretary, class_secretary, client_for):
    refused = client_for(class_secretary).post(
        reverse("members:recommendation_target"), {"kind": TargetYear.ACADEMIC, "year": 2025, "target": 9}
    )
    assert refused.status_code == 403 and not RecommendationTarget.objects.exists()
    client = client_for(league_secretary)
    response = post(client, {"kind": TargetYear.ACADEMIC, "year": 2025, "target": 35})
    target = RecommendationTarget.objects.get(school=orgs.school)
    assert (target.kind, target.year, target.target) == (TargetYear.ACADEMIC, 2025, 35)
    assert "Academic year 2025–2026" in response.content.decode()  # the message names the year
    assert target.history.latest().history_user == league_secretary  # audited, with who set it
    # The academic-year summary finds it; the calendar year's does not.
    assert compile_figures(orgs.school, academic_year(2025))["figures"]["recommendations.target"]["value"] == 35
    assert "recommendations.target" not in compile_figures(orgs.school, calendar_year(2026))["figures"]


def test_the_kind_and_year_default_to_the_period_the_page_shows(orgs, party_secretary, client_for):
    response = post(client_for(party_secretary), {"target": 30}, year=2026)
    target = RecommendationTarget.objects.get(school=orgs.school)
    assert (target.kind, target.year, target.target) == (TargetYear.CALENDAR, 2026, 30)
    assert "The 推优 target for Year 2026 is saved: 30." in response.content.decode()


@pytest.mark.parametrize(
    "data", [{"kind": "semester", "year": 2025, "target": 3}, {"kind": "academic", "year": 1800, "target": 3}]
)
def test_a_bad_kind_or_year_is_refused(orgs, party_secretary, client_for, data):
    response = post(client_for(party_secretary), data)
    assert "The target was not saved" in response.content.decode()
    assert not RecommendationTarget.objects.exists()


def test_the_page_shows_its_years_target_and_the_academic_years(orgs, party_secretary, client_for):
    RecommendationTarget.objects.create(school=orgs.school, kind=TargetYear.CALENDAR, year=2026, target=30)
    RecommendationTarget.objects.create(school=orgs.school, kind=TargetYear.ACADEMIC, year=2025, target=35)
    RecommendationTarget.objects.create(school=orgs.school, kind=TargetYear.ACADEMIC, year=2020, target=99)
    response = client_for(party_secretary).get(reverse("members:recommendations") + "?year=2026")
    assert response.context["progress"]["target"] == 30
    assert response.context["academic_targets"] == [("Academic year 2025–2026", 35), ("Academic year 2026–2027", None)]
    html = response.content.decode()
    assert "Academic year 2025–2026: 35" in html and "2020–2021" not in html
    assert '<option value="year" selected>' in html  # the form starts on the page's kind
