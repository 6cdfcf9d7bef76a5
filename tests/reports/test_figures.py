import json
from decimal import Decimal

import pytest
from django.db.models import Sum

from branches.periods import calendar_year
from meetings.models import MeetingKind, VoteKind
from reports.figures import breakdowns, compile_figures, drilldown_queryset, find_figure, sources
from tests.factories import MeetingFactory, VoteFactory
from tests.reports.conftest import at, build_year

pytestmark = pytest.mark.django_db


def values(compiled):
    return {k: f["value"] for k, f in compiled["figures"].items()}


def test_meeting_figures_count_first_and_last_day_and_nothing_outside(year):
    compiled = compile_figures(year.orgs.school, year.period)
    v = values(compiled)
    assert v["meetings.kind.party_class"] == 2  # 1 Jan 00:30 and 31 Dec 23:30 (Beijing time)
    assert v["meetings.party_class.person_times"] == 22
    assert v["meetings.party_class.by_secretary"] == 1
    assert v["meetings.kind.league_class"] == 1
    assert v["meetings.league_class.person_times"] == 30
    assert v["meetings.kind.joint"] == 3
    assert v["meetings.total"] == 2 + 3 + 2
    assert v["meetings.person_times"] == 22 + 24 + 30 + 15


def test_previous_period_is_compiled_for_comparison(year):
    fig = compile_figures(year.orgs.school, year.period)["figures"]
    assert fig["meetings.kind.party_class"]["previous"] == 1  # 31 Dec 2024
    assert fig["meetings.party_class.person_times"]["previous"] == 5
    assert fig["elections.total"] == {"value": 2, "previous": 1, "money": False, "hours": False, "stock": False}


def test_joint_meetings_counted_per_semester_starting_in_the_year(year):
    v = values(compile_figures(year.orgs.school, year.period))
    assert v["meetings.joint.2025-spring"] == 1
    assert v["meetings.joint.2025-autumn"] == 2
    assert "meetings.joint.2024-autumn" not in v


def test_votes_follow_the_majority_rule(year):
    general = MeetingFactory(organization=year.orgs.branch1, kind=MeetingKind.BRANCH_GENERAL, starts_at=at(2025, 6, 3))
    VoteFactory(meeting=general, kind=VoteKind.ADMISSION, entitled=20, present=15, yes=12, no=3)
    VoteFactory(meeting=general, kind=VoteKind.ADMISSION, entitled=20, present=15, yes=10, no=5)
    v = values(compile_figures(year.orgs.school, year.period))
    assert v["votes.admission"] == 2
    assert v["votes.admission.passed"] == 1  # 10 yes of 20 entitled is not more than half


def test_a_recommendation_vote_not_yet_linked_to_a_nomination_is_no_推优(year):
    """推优 is counted by its nomination (the 推优 page's rule): the two bare votes of the fixture are none."""
    v = values(compile_figures(year.orgs.school, year.period))
    assert v["votes.recommendation"] == v["recommendations.nominated"] == 0


def test_organizations_officers_and_elections(year):
    v = values(compile_figures(year.orgs.school, year.period))
    assert (v["orgs.party_branch"], v["orgs.party_group"], v["orgs.league_branch"]) == (2, 2, 2)
    assert (v["officers.total"], v["officers.party"], v["officers.league"]) == (2, 1, 1)
    assert v["elections.total"] == 2


def test_a_subtree_counts_only_its_own_records(year):
    v = values(compile_figures(year.orgs.branch1, year.period))
    assert v["meetings.kind.party_class"] == 2  # branch1 and its group1
    assert v["meetings.kind.joint"] == 0
    assert v["orgs.party_branch"] == 1


def test_figures_are_json_serializable(year):
    compiled = compile_figures(year.orgs.school, year.period)
    assert json.loads(json.dumps(compiled))["figures"]["meetings.total"]["value"] == 7


def test_every_drilldown_list_matches_its_figure(year):
    """One source of truth: the list behind each figure has exactly as many rows (or sums to the value)."""
    root, period = year.orgs.school, year.period
    compiled = compile_figures(root, period)
    checked = 0
    for key, fig in compiled["figures"].items():
        if fig.get("nolink"):  # the frequency check and the 推优 target: not counts of a list
            continue
        source, figure = find_figure(key, period)
        qs = drilldown_queryset(source, figure, root, period)
        if figure.sum_field:
            total = qs.aggregate(s=Sum(figure.sum_field))["s"] or 0
            total = -total if figure.negate else total
            decimal = figure.money or figure.hours
            assert (Decimal(total) == Decimal(fig["value"])) if decimal else total == fig["value"], key
        elif figure.distinct:
            assert qs.exclude(**{figure.distinct: None}).values(figure.distinct).distinct().count() == fig["value"]
        else:
            assert qs.count() == fig["value"], key
        checked += 1
    assert checked == len([f for f in compiled["figures"].values() if not f.get("nolink")]) > 30


@pytest.mark.parametrize("extra", [3, 30])
def test_compiling_costs_a_flat_number_of_queries(orgs, extra, django_assert_max_num_queries):
    build_year(orgs, extra_meetings=extra)
    # Two aggregates per source, one chart series, one grouped query per table by series/place/organization,
    # two for the frequency check (organizations, meetings), one for the 推优 target.
    budget = 2 * len(sources()) + 1 + len([b for b in breakdowns() if not b.link_only]) + 2 + 1
    with django_assert_max_num_queries(budget):
        compiled = compile_figures(orgs.school, calendar_year(2025))
    assert compiled["figures"]["meetings.kind.party_group"]["value"] == extra


def test_meetings_per_month_series(year):
    MeetingFactory(organization=year.orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 6, 30, 23, 0))
    series = compile_figures(year.orgs.school, year.period)["series"]["meetings_by_month"]
    assert len(series["months"]) == 12
    assert series["counts"]["2025-01"]["party_class"] == 1
    assert series["counts"]["2025-06"] == {"party_class": 1, "league_class": 1}
