"""The section editor in a real browser: the secretary types a paragraph, makes a word bold, inserts a
figure from the list and saves; the summary shows the paragraph with the bold word and the figure's value,
linked to its records, and the section keeps the figure as a token (so finalizing, PDF and Word read it)."""

import pytest
from django.urls import reverse

from reports.models import SectionKey
from reports.services import summary_create
from tests.reports.conftest import build_year

pytestmark = pytest.mark.e2e

PARTY_CLASSES = "meetings.kind.party_class"


def test_secretary_writes_a_paragraph_with_bold_and_a_figure(web, orgs, branch_secretary):
    year = build_year(orgs)
    summary = summary_create(organization=orgs.branch1, period=year.period, by=branch_secretary)
    web.set_language("zh-hans")
    page = web.login(branch_secretary.username)
    web.goto(reverse("reports:edit_section", args=[summary.pk, SectionKey.SYSTEMS]))

    # No tokens and no markup instructions: the drafted figures are chips showing their values.
    assert "[[" not in page.content()
    assert page.locator("#id_narrative").is_hidden()
    chip = page.locator(f'[data-narrative-editor] [data-figure="{PARTY_CLASSES}"]').first
    assert chip.inner_text() == "2"
    assert chip.get_attribute("title") == "党课"
    web.screenshot("narrative-editor")

    # A new paragraph at the end: "全年重点抓好党课，共 <figure> 次。" with 重点 in bold.
    page.locator("[data-narrative-editor]").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("全年")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("重点")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("抓好党课，共")
    page.select_option("#figure-picker", PARTY_CLASSES)
    page.get_by_role("button", name="插入数字").click()
    page.keyboard.type("次。")
    web.submit("main form[data-narrative-form]")

    section = summary.sections.get(key=SectionKey.SYSTEMS)
    assert f"<p>全年<strong>重点</strong>抓好党课，共[[{PARTY_CLASSES}]]次。</p>" in section.narrative
    shown = page.locator("#section-systems .narrative p").last
    assert shown.inner_text() == "全年重点抓好党课，共2次。"
    assert shown.locator("strong").inner_text() == "重点"
    link = shown.locator("a.fig")
    assert link.inner_text() == "2"
    assert reverse("reports:drilldown", args=[PARTY_CLASSES]) in link.get_attribute("href")
    web.assert_no_console_errors()
