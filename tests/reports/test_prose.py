"""The drafted prose reads as a secretary writes it: no zero clauses, no ASCII spaces between Chinese and
numbers, the period named by its type, (一)(二) inside a section, only the organization's own side of the
work, and one value for one fact."""

import re

import pytest
from django.utils import translation
from django.utils.html import strip_tags

from branches.periods import academic_year
from reports.document import document_context
from reports.figures import compile_figures
from reports.models import SectionKey
from reports.narrative import TOKEN_RE, render_narrative
from reports.selectors import summary_with_sections
from reports.services import summary_create

pytestmark = pytest.mark.django_db

CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
ZERO_CLAUSE = re.compile(r"(?<![0-9,.])0(?:\.00)?(?:名|项|元|次|个|人|份|小时)")


def drafts(org, period, user, lang="zh-hans") -> dict[str, str]:
    """Each section's drafted narrative as the reader sees it (figures in, tags out)."""
    with translation.override(lang):
        summary = summary_create(organization=org, period=period, by=user)
        figures = compile_figures(org, period)["figures"]
        return {
            s.key: strip_tags(str(render_narrative(s.narrative, figures)).replace("</p>", "\n"))
            for s in summary.sections.all()
        }


def tokens(org, period, user) -> list[str]:
    with translation.override("zh-hans"):
        summary = summary_create(organization=org, period=period, by=user)
    return [m.group(1) for s in summary.sections.all() for m in TOKEN_RE.finditer(s.narrative)]


def test_a_party_branch_draft_has_no_zero_clauses(year, admin_user):
    text = "".join(drafts(year.orgs.branch2, year.period, admin_user).values())
    assert not ZERO_CLAUSE.findall(text), text
    assert "团课" not in text and "募集善款" not in text and "国家级" not in text


@pytest.mark.parametrize("which", ["school", "league", "class1", "branch1", "general"])
def test_no_ascii_space_between_chinese_and_a_number(year, admin_user, which):
    org = getattr(year.orgs, which)
    for period in (year.period, academic_year(2025)):
        text = "".join(drafts(org, period, admin_user).values())
        assert not re.search(rf"{CJK} +[0-9]|[0-9] +{CJK}|{CJK} +{CJK}", text), text
        assert "%(" not in text and "[[" not in text, text
        assert not re.search(r"[,;:](?=\S)|[。，；：] ", text.replace("，", "，")), text  # full-width punctuation


def test_period_wording_follows_the_period_type(year, admin_user):
    academic = drafts(year.orgs.school, academic_year(2025), admin_user)
    text = "".join(academic.values())
    assert "本学年" in text and "本期" not in text and "明年" not in text and "本年度" not in text
    assert "下一学年工作计划" in academic[SectionKey.PLANS]
    calendar = "".join(drafts(year.orgs.school, year.period, admin_user).values())
    assert "本年度" in calendar and "本学年" not in calendar and "本期" not in calendar
    assert "下一年度工作计划" in calendar


def test_the_plans_section_is_titled_by_the_period(year, admin_user):
    with translation.override("zh-hans"):
        summary = summary_create(organization=year.orgs.school, period=academic_year(2025), by=admin_user)
        context = document_context(summary_with_sections(summary), {}, links=False, with_charts=False)
        titles = [str(s["number"]) + str(s["title"]) for s in context["sections"]]
    assert titles[-1] == "六、下一学年工作计划"
    assert "明年工作计划" not in "".join(titles)


def test_items_inside_a_section_are_numbered_one_level_down(year, admin_user):
    from reports.seed import PROSE

    for key, text in drafts(year.orgs.school, year.period, admin_user).items():
        for line in text.splitlines():
            assert not re.match(r"[一二三四五六七八九十]、", line), (key, line)  # 一、 is the section's own level
    plans = PROSE[SectionKey.PLANS]
    assert all(p.startswith(f"（{n}）") for p, n in zip(plans, "一二三四", strict=False))


def test_the_demo_plans_state_the_target_not_boilerplate():
    from reports.seed import PROSE

    plans = "".join(PROSE[SectionKey.PLANS])
    assert "三十名" not in plans and "[[recommendations.target]]" in plans


def test_a_league_branch_summary_tells_no_party_work(year, admin_user):
    text = "".join(drafts(year.orgs.class1, year.period, admin_user).values())
    assert "%(" not in text and "三会一课" not in text
    for party in ("党课", "民主评议", "党团联席", "入党申请", "预备党员", "党支部"):
        assert party not in text, party
    assert "团课" in text
    with translation.override("zh-hans"):
        summary = summary_create(organization=year.orgs.class1, period=year.period, by=admin_user)
        compiled = compile_figures(year.orgs.class1, year.period)
        context = document_context(summary_with_sections(summary), compiled, links=False, with_charts=False)
    keys = {t["key"] for s in context["sections"] for t in s["tables"]}
    assert not keys & {"joint", "appraisal", "training", "pipeline"}
    rows = [r.get("key", "") for s in context["sections"] for t in s["tables"] for r in t["rows"]]
    assert not [k for k in rows if k.startswith(("meetings.kind.party", "orgs.party", "people.activist"))]


def test_a_party_branch_summary_tells_no_league_work(year, admin_user):
    text = "".join(drafts(year.orgs.branch1, year.period, admin_user).values())
    for league in ("团课", "推优", "团支部", "团员大会", "团委"):
        assert league not in text, league
    assert "党课" in text
    assert "第一党支部现有党支部" not in text  # a branch does not count itself


def test_one_value_for_one_fact(year, admin_user):
    keys = tokens(year.orgs.school, year.period, admin_user)
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    systems = drafts(year.orgs.school, year.period, admin_user)[SectionKey.SYSTEMS]
    assert systems.count("团员大会") <= 1  # 推优 votes are told once, with the other 推优 figures
    assert "training.total" not in keys  # the activists in training are those the status sentence counts


def test_english_drafts_keep_their_spaces(year, admin_user):
    text = "".join(drafts(year.orgs.school, year.period, admin_user, lang="en").values())
    assert "This year, 2 Party classes were held" in text


def test_rule_tables_count_periods_still_running_apart():
    from reports.narrative import section_tables

    row = {
        "org": 1,
        "org_name": "第一党支部",
        "org_kind": "party_branch",
        "rule": "org_life",
        "kind": "org_life",
        "figure": "meetings.kind.org_life",
        "units": 1,
        "required": 1,
        "held": 0,
        "met": 0,
        "missed": [],
        "open": 1,
        "span": ["2026-01-01", "2026-12-31"],
    }
    with translation.override("zh-hans"):
        tables = {t["key"]: t for t in section_tables("systems", {"figures": {}, "frequency": [row]}, {})}
    by_rule = tables["frequency"]
    assert "进行中周期" in [str(h) for h in by_rule["headers"]] and "应开" not in [str(h) for h in by_rule["headers"]]
    cells = {str(h): c["text"] for h, c in zip(by_rule["headers"], by_rule["rows"][0]["cells"], strict=True)}
    assert cells["进行中周期"] == "1" and cells["未达标周期"] == "0" and cells["达标周期"] == "0"
    assert by_rule.get("note")  # the table says what a period still running means


def test_a_league_summary_checks_its_meetings_by_the_leagues_rules(orgs):
    from reports.narrative import draft_section

    figures = {"frequency.orgs": {"value": 2}, "frequency.missed": {"value": 0}}
    with translation.override("zh-hans"):
        league = draft_section(SectionKey.SYSTEMS, figures, orgs.class1, academic_year(2025))
        party = draft_section(SectionKey.SYSTEMS, figures, orgs.branch1, academic_year(2025))
    assert "按照团的组织生活制度要求，对[[frequency.orgs]]个团组织" in league and "三会一课" not in league
    assert "按照“三会一课”制度要求，对[[frequency.orgs]]个组织" in party


def test_the_status_sentence_is_dated_at_the_end_of_the_period():
    """The people-by-status figures are taken on the period's last day, and the sentence says so (it said
    "on the date compiled")."""
    from reports.narrative.drafting import _draft_people

    figures = {
        "people.activist": {"value": 2, "previous": None, "money": False, "hours": False, "stock": True},
        "people.full_member": {"value": 21, "previous": None, "money": False, "hours": False, "stock": True},
    }
    with translation.override("zh-hans"):
        html = _draft_people(figures, academic_year(2025))
        text = strip_tags(str(render_narrative(html, figures)))
    assert text == "截至本学年末，共有入党积极分子2名、正式党员21名。"
