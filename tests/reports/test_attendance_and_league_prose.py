"""The summary tells each meeting type's attendance rate (实到 ÷ 应到) — in the meetings table, and in one
sentence of the systems section for the types of its own side — and a League (or school) summary tells the
League's own membership of the period: joined, registered (团籍注册), left by reason. Facts of zero are left
out. (The prose is checked in English: its Chinese awaits the catalogues; the numbers are the same.)"""

import pytest
from django.utils import translation
from django.utils.html import strip_tags

from branches.periods import academic_year
from reports.models import SectionKey
from reports.narrative import draft_section, render_narrative, section_tables

pytestmark = pytest.mark.django_db


def fig(value, previous=0):
    return {"value": value, "previous": previous, "money": False, "hours": False, "stock": False}


MEETINGS = {
    "meetings.total": fig(9),
    "meetings.person_times": fig(258),
    "meetings.expected": fig(270),
    "meetings.kind.party_class": fig(4),
    "meetings.party_class.person_times": fig(77),
    "meetings.kind.party_class.expected": fig(80),
    "meetings.kind.theme_party_day": fig(2),
    "meetings.kind.theme_party_day.person_times": fig(40),
    "meetings.kind.theme_party_day.expected": fig(40),
    "meetings.kind.league_class": fig(3),
    "meetings.league_class.person_times": fig(141),
    "meetings.kind.league_class.expected": fig(150),
    "meetings.kind.org_life": fig(0),
    "meetings.kind.org_life.person_times": fig(0),
    "meetings.kind.org_life.expected": fig(0),
}


def systems(figures, org, period=None) -> str:
    with translation.override("en"):
        html = draft_section(SectionKey.SYSTEMS, figures, org, period or academic_year(2025))
        return strip_tags(str(render_narrative(html, figures)))


def test_the_meetings_table_shows_each_types_attendance_rate(orgs):
    with translation.override("zh-hans"):
        tables = {t["key"]: t for t in section_tables("systems", {"figures": MEETINGS}, {})}
    table = tables["meetings"]
    rates = {row["key"]: row["cells"][-1]["text"] for row in table["rows"]}
    assert rates["meetings.kind.party_class"] == "96.3%"  # 77 ÷ 80
    assert rates["meetings.kind.theme_party_day"] == "100%"
    assert rates["meetings.kind.league_class"] == "94%"  # 141 ÷ 150
    assert rates["meetings.total"] == "95.6%"  # 258 ÷ 270
    assert rates["meetings.person_times"] == "—"
    assert table.get("note")  # the table says what the rate counts


def test_a_party_summary_states_the_rates_of_its_party_meetings(orgs):
    text = systems(MEETINGS, orgs.branch1)
    assert (
        "This academic year, the attendance rate of the meetings held (present ÷ expected): Party class 96.3%, "
        "Theme Party day 100%." in text
    ), text
    assert "League class" not in text  # the League's meetings are not the Party branch's
    assert "Organizational life" not in text  # nobody expected: no rate


def test_a_league_summary_states_the_rates_of_its_league_meetings(orgs):
    text = systems(MEETINGS, orgs.league)
    assert "(present ÷ expected): League class 94%." in text, text
    assert "Party class" not in text


LEAGUE = {
    "league.joined": fig(12),
    "league.left": fig(103),
    "league.left.over_age": fig(5),
    "league.left.other": fig(0),
    "league.left.transfer_out": fig(0),
    "league.left.graduated": fig(98),
    "league.registered": fig(386),
}


@pytest.mark.parametrize("which", ["league", "class1", "school"])
def test_a_league_summary_tells_who_joined_registered_and_left(orgs, which):
    text = systems(LEAGUE, getattr(orgs, which))
    assert (
        "This academic year, 12 new League members joined, 386 League members were registered; of the League "
        "members, 5 left at 28, 98 graduated." in text
    ), text
    assert "transferred" not in text and "another reason" not in text  # facts of zero are left out


def test_a_party_summary_leaves_the_leagues_membership_out(orgs):
    text = systems(LEAGUE, orgs.branch1)
    assert "registered" not in text and "joined" not in text


def test_only_leavings_make_a_sentence_of_their_own(orgs):
    text = systems({"league.left.over_age": fig(5), "league.joined": fig(0)}, orgs.league)
    assert "This academic year, of the League members, 5 left at 28." in text, text
    assert "joined" not in text
