"""The frequency check across month, quarter, semester and year boundaries."""

from datetime import date, datetime

import pytest

from branches import periods
from meetings.frequency import frequency_table
from tests.factories import SHANGHAI, MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 9, 15)


def at(y, m, d, hour=15):
    return datetime(y, m, d, hour, 0, tzinfo=SHANGHAI)


def checks(org, period, rule_code, today=TODAY):
    (row,) = frequency_table(orgs=[org], period=period, today=today)
    return {c.unit.key: c for c in row.checks if c.rule.code == rule_code}


def test_committee_meeting_on_31_january_counts_for_january_not_february(orgs):
    MeetingFactory(organization=orgs.branch1, kind="branch_committee", starts_at=at(2027, 1, 31, 23))
    result = checks(orgs.branch1, periods.custom(date(2027, 1, 1), date(2027, 2, 28)), "committee")
    assert result["month:2027-01"].state == "met"
    assert result["month:2027-02"].state == "missed"


def test_general_meeting_on_31_december_counts_for_q4_and_1_january_for_q1(orgs):
    MeetingFactory(organization=orgs.branch1, kind="branch_general", starts_at=at(2026, 12, 31, 20))
    result = checks(orgs.branch1, periods.calendar_year(2026), "general")
    assert result["quarter:2026-4"].state == "met"
    assert result["quarter:2026-3"].state == "missed"
    MeetingFactory(organization=orgs.branch1, kind="branch_general", starts_at=at(2027, 1, 1, 9))
    result = checks(orgs.branch1, periods.calendar_year(2027), "general")
    assert result["quarter:2027-1"].state == "met"
    assert result["quarter:2027-2"].state == "missed"


def test_organizational_life_meeting_belongs_to_its_calendar_year(orgs):
    MeetingFactory(organization=orgs.branch1, kind="org_life", starts_at=at(2026, 12, 31))
    assert checks(orgs.branch1, periods.calendar_year(2026), "org_life")["year:2026"].state == "met"
    assert checks(orgs.branch1, periods.calendar_year(2027), "org_life")["year:2027"].state == "open"


def test_secretary_party_class_yearly_counts_only_the_secretarys(orgs):
    MeetingFactory(organization=orgs.branch1, kind="party_class", starts_at=at(2026, 5, 1))
    assert checks(orgs.branch1, periods.calendar_year(2026), "sec_class")["year:2026"].state == "missed"
    MeetingFactory(organization=orgs.branch1, kind="party_class", given_by_secretary=True, starts_at=at(2026, 6, 1))
    assert checks(orgs.branch1, periods.calendar_year(2026), "sec_class")["year:2026"].state == "met"


def test_joint_meetings_per_semester_need_two_with_plan_and_summary(orgs):
    sem = periods.semester(2026, "autumn")  # 1 Sep 2026 – 31 Jan 2027
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2026, 9, 3))
    MeetingFactory(organization=orgs.general, kind="joint", phase="progress", starts_at=at(2026, 11, 3))
    check = checks(orgs.general, sem, "joint")[sem.key]
    assert check.held == 2 and check.state == "missed" and check.missing_phases == ("summary",)
    # 31 January still belongs to the autumn semester; 1 February would not.
    MeetingFactory(organization=orgs.general, kind="joint", phase="summary", starts_at=at(2027, 1, 31))
    assert checks(orgs.general, sem, "joint")[sem.key].state == "met"


def test_joint_summary_on_1_february_belongs_to_the_spring_semester(orgs):
    MeetingFactory(organization=orgs.general, kind="joint", phase="plan", starts_at=at(2026, 9, 3))
    MeetingFactory(organization=orgs.general, kind="joint", phase="summary", starts_at=at(2027, 2, 1))
    result = checks(orgs.general, periods.custom(date(2026, 9, 1), date(2027, 7, 31)), "joint")
    assert result["semester:2026-autumn"].state == "missed"
    assert result["semester:2027-spring"].held == 1


def test_joint_rule_only_for_the_top_party_organization(orgs):
    (row,) = frequency_table(orgs=[orgs.branch1], period=periods.calendar_year(2026), today=TODAY)
    assert "joint" not in {r.code for r in row.rules}
    (row,) = frequency_table(orgs=[orgs.general], period=periods.calendar_year(2026), today=TODAY)
    assert "joint" in {r.code for r in row.rules}


def test_current_unit_is_open_and_future_units_are_not_due(orgs):
    result = checks(orgs.branch1, periods.calendar_year(2027), "committee", today=date(2027, 9, 15))
    assert result["month:2027-08"].state == "missed"
    assert result["month:2027-09"].state == "open"
    assert result["month:2027-10"].state == "future"


def test_future_planned_meeting_does_not_count_as_held(orgs):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.localdate()
    MeetingFactory(organization=orgs.branch1, kind="branch_committee", starts_at=timezone.now() + timedelta(hours=1))
    result = checks(orgs.branch1, periods.month(now.year, now.month), "committee", today=now)
    assert result[periods.month(now.year, now.month).key].held == 0


def test_league_branch_semester_rules(orgs):
    MeetingFactory(organization=orgs.class1, kind="league_general", starts_at=at(2027, 3, 1))
    result = checks(orgs.class1, periods.semester(2027, "spring"), "l_general")
    assert result["semester:2027-spring"].state == "met"


def test_cells_put_quarterly_checks_in_the_quarters_last_month(orgs):
    (row,) = frequency_table(orgs=[orgs.branch1], period=periods.calendar_year(2026), today=TODAY)
    march = row.cells[2]
    assert {c.rule.code for c in march.checks} == {"committee", "theme", "general", "class"}
    december = row.cells[11]
    assert {"org_life", "sec_class"} <= {c.rule.code for c in december.checks}
    assert all(c.state == "missed" for c in december.checks)
    assert december.state == "missed"


def test_due_items_list_gaps_for_the_users_organizations(orgs, branch_secretary, outsider):
    from meetings.selectors import due_items

    items = due_items(branch_secretary, date(2027, 3, 15))
    titles = " ".join(i.title for i in items)
    assert "第一党支部" in titles and "第二党支部" not in titles
    assert any(i.severity == "danger" for i in items)  # February's committee meeting was missed
    MeetingFactory(organization=orgs.branch1, kind="branch_committee", starts_at=at(2027, 3, 2))
    items = due_items(branch_secretary, date(2027, 3, 15))
    assert not any("Committee" in i.title and i.organization == orgs.branch1.name for i in items)


def test_a_class_is_not_checked_before_it_entered(orgs):
    # class1 is grade 2026: it exists from September 2026
    result = checks(orgs.class1, periods.custom(date(2026, 2, 1), date(2027, 1, 31)), "l_general", today=TODAY)
    assert "semester:2026-spring" not in result
    assert result["semester:2026-autumn"].state == "missed"
