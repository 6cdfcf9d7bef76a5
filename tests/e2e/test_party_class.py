"""Journey 1: the First Party branch's secretary, in the Chinese UI, records a Party class with its
attendance (two members on leave, with reasons) and finds it on the calendar and in the frequency table."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AttendanceStatus, Meeting, MeetingKind
from members.models import PoliticalStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e

MEMBERS = ["王建国", "李秀英", "张海燕", "刘志强", "陈丽华", "杨明"]
ON_LEAVE = {"李秀英": "外出培训", "陈丽华": "病假"}


@pytest.fixture
def branch_members(orgs):
    return {
        name: PersonFactory(name=name, organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
        for name in MEMBERS
    }


def _frequency_check(page, org_name: str, year: int, month: int, label: str):
    """One rule's check ("党课 1/1") in the organization's row, in the column of the month it falls due."""
    headers = page.locator("table.frequency-table thead th").all_inner_texts()
    column = headers.index(f"{year}-{month:02d}")
    row = page.locator("table.frequency-table tbody tr", has=page.locator("th", has_text=org_name))
    cell = row.locator("td").nth(column - 1)
    return cell.locator(".freq-check").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def test_secretary_records_party_class_with_attendance(web, orgs, branch_secretary, branch_members):
    held_at = timezone.localtime() - timedelta(hours=3)
    held_at = held_at.replace(minute=0, second=0, microsecond=0)
    quarter_end = (held_at.month + 2) // 3 * 3
    frequency_url = reverse("meetings:frequency") + f"?period=year:{held_at.year}"
    web.set_language("zh-hans")
    page = web.login(branch_secretary.username)

    # Before: the quarter's Party class is still missing in the frequency table.
    web.goto(frequency_url)
    assert page.locator("h1").first.inner_text().startswith("会议频次检查")
    assert _frequency_check(page, "第一党支部", held_at.year, quarter_end, "党课 0/1").count() == 1
    assert _frequency_check(page, "第一党支部", held_at.year, 12, "书记讲党课 0/1").count() == 1
    # The branch's committee rule is named 支委会 (a League committee, 团委, is another body).
    branch_row = page.locator("table.frequency-table tbody tr", has=page.locator("th", has_text="第一党支部"))
    assert branch_row.locator(".freq-check", has_text="支委会").count() > 0
    assert branch_row.locator(".freq-check", has_text="团委").count() == 0

    # Choose the branch, then the kind of meeting.
    web.goto(reverse("meetings:create"))
    with page.expect_navigation():
        page.select_option("#org", str(orgs.branch1.pk))
    with page.expect_navigation():
        page.get_by_role("link", name="党课", exact=True).click()
    assert page.locator("h1").first.inner_text().startswith("登记会议")

    page.fill("#id_topic", "学习贯彻党的二十届四中全会精神")
    page.fill("#id_starts_at", held_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (held_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "党员活动室")
    page.fill("#id_lecture_title", "坚定理想信念，争做新时代好老师")
    page.check("#id_given_by_secretary")

    # People are picked by searching (a school has thousands): the recorder with the keyboard (pinyin
    # initials, Down, Enter), the lecturer with the mouse. The page never lists the other members.
    assert page.locator("#id_recorder option").count() == 1  # only the empty choice
    page.fill("#id_recorder-q", "zhy")
    page.locator("#id_recorder-results button", has_text="张海燕").wait_for()
    page.press("#id_recorder-q", "ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_recorder option:checked").inner_text().startswith("张海燕")
    page.fill("#id_lecturer-q", "王")
    page.locator("#id_lecturer-results button", has_text="王建国").click()
    assert page.locator("#id_lecturer option:checked").inner_text().startswith("王建国")
    assert page.locator("#id_lecturer-results button").count() == 0

    # Attendance: everyone expected is listed; mark two on leave. The counts follow each click.
    rows = page.locator("tr.js-att-row")
    assert rows.count() == len(MEMBERS)
    for name in ON_LEAVE:
        rows.filter(has_text=name).locator("label", has_text="请假").click()
    counts = page.locator(".attendance-counts")
    assert counts.locator('[data-count="expected"]').inner_text() == "6"
    assert counts.locator('[data-count="present"]').inner_text() == "4"
    assert counts.locator('[data-count="leave"]').inner_text() == "2"

    reasons = {name: rows.filter(has_text=name).locator("input.js-att-reason") for name in ON_LEAVE}
    for name, reason in ON_LEAVE.items():
        reasons[name].fill(reason)
    page.locator("h1").first.scroll_into_view_if_needed()
    web.screenshot("meeting-form")

    # A leave without its reason is refused, naming the person, and nothing typed is lost.
    reasons["陈丽华"].fill("")
    web.submit()
    assert "请填写以下人员的请假事由：陈丽华。" in page.locator("#attendance-block .alert-danger").inner_text()
    assert page.input_value("#id_topic") == "学习贯彻党的二十届四中全会精神"
    assert page.input_value("#id_lecture_title") == "坚定理想信念，争做新时代好老师"
    assert reasons["李秀英"].input_value() == "外出培训"
    assert rows.filter(has_text="陈丽华").locator("input.js-att-status[value=leave]").is_checked()
    assert page.locator("#id_recorder option:checked").inner_text().startswith("张海燕")
    assert not Meeting.objects.exists()

    reasons["陈丽华"].fill(ON_LEAVE["陈丽华"])
    web.submit()

    meeting = Meeting.objects.get()
    assert meeting.kind == MeetingKind.PARTY_CLASS and meeting.organization == orgs.branch1
    assert (meeting.recorder.name, meeting.lecturer.name) == ("张海燕", "王建国")
    assert page.url.endswith(meeting.get_absolute_url())
    assert "会议“学习贯彻党的二十届四中全会精神”已保存。" in page.locator(".alert-success").inner_text()
    leave = {a.person.name: a.reason for a in meeting.attendances.filter(status=AttendanceStatus.LEAVE)}
    assert leave == ON_LEAVE
    assert meeting.attendances.filter(status=AttendanceStatus.PRESENT).count() == 4
    attendance_card = page.locator(".card", has=page.locator("h2", has_text="出席情况"))
    assert "应到6人 · 实到4人 · 请假2人 · 缺席0人" in attendance_card.inner_text()
    assert "李秀英 (请假: 外出培训)" in attendance_card.inner_text()

    # On the calendar, on the day it was held.
    web.goto(reverse("meetings:calendar") + f"?month={held_at.year}-{held_at.month}")
    day = page.locator("table.meeting-calendar td:not(.other-month)").filter(
        has=page.locator(f'.day-number:text-is("{held_at.day}")')
    )
    item = day.locator("a.cal-item.kind-party_class")
    assert item.count() == 1
    assert "党课" in item.inner_text()

    # In the frequency table: the quarter's Party class and the secretary's yearly class are now met.
    web.goto(frequency_url)
    party_class = _frequency_check(page, "第一党支部", held_at.year, quarter_end, "党课 1/1")
    assert "freq-met" in party_class.get_attribute("class").split()
    by_secretary = _frequency_check(page, "第一党支部", held_at.year, 12, "书记讲党课 1/1")
    assert "freq-met" in by_secretary.get_attribute("class").split()
    web.assert_no_console_errors()
