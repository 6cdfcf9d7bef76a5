"""Journey 4: at year end the Party secretary creates the annual work summary, edits a section, finalizes
it and downloads the PDF — whose text carries the figures recorded during the year."""

import io
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from activities.models import Category, PlaceKind
from branches.periods import calendar_year
from meetings.models import AttendanceStatus, Meeting, MeetingKind
from meetings.services import AttendanceEntry, meeting_create
from members.models import Category as PersonCategory
from members.models import PoliticalStatus
from reports.models import Summary, SummaryStatus
from reports.services import summary_create
from tests.activities.factories import ActivityFactory, ParticipationFactory, PlaceFactory, SeriesFactory
from tests.factories import PersonFactory

from .conftest import pdf_first_page_png

pytestmark = pytest.mark.e2e

OWN_SENTENCE = "本年度新建党员活动室一间，全年组织学习二十余次。"
# The drafted sentences that carry the recorded figures: one Party class given by the secretary, with
# 4 present of 6 (two on leave); 9 students × 2.5 hours at one place.
PARTY_CLASS_SENTENCE = "本年度共上党课 1 次，参加 4 人次，其中书记讲党课 1 次。"
SERVICE_SENTENCE = "开展活动 1 项，参与 9 人次，服务时长 22.5 小时"


@pytest.fixture
def year_of_records(orgs):
    """What the other journeys recorded: a Party class with attendance (two on leave) and a Lei Feng
    volunteer service of two classes at the old people's home (9 students × 2.5 hours)."""
    today = timezone.localdate()
    now = timezone.localtime()
    # Three hours ago, but never in last year (a run just after midnight on 1 January).
    held = max(now - timedelta(hours=3), now.replace(hour=0, minute=0, second=0, microsecond=0))
    members = [
        PersonFactory(name=n, organization=orgs.group1, political_status=PoliticalStatus.FULL_MEMBER)
        for n in ["王建国", "李秀英", "张海燕", "刘志强", "陈丽华", "杨明"]
    ]
    meeting_create(
        meeting=Meeting(
            organization=orgs.branch1,
            kind=MeetingKind.PARTY_CLASS,
            topic="学习贯彻党的二十届四中全会精神",
            starts_at=held,
            ends_at=held + timedelta(hours=1),
            given_by_secretary=True,
        ),
        attendance=[
            AttendanceEntry(p.pk, AttendanceStatus.LEAVE, "病假") if i in (1, 4) else AttendanceEntry(p.pk)
            for i, p in enumerate(members)
        ],
    )
    home = PlaceFactory(organization=orgs.league, name="城南敬老院", kind=PlaceKind.ELDERLY_HOME)
    series = SeriesFactory(organization=orgs.league, name=f"{today.year}年学雷锋志愿服务月", year=today.year)
    service = ActivityFactory(
        organization=orgs.league,
        title="学雷锋·走进敬老院",
        category=Category.VOLUNTEER,
        series=series,
        place=home,
        starts_on=today,
        service_hours=Decimal("2.5"),
    )
    for org, n in ((orgs.class1, 5), (orgs.class2, 4)):
        for i in range(n):
            student = PersonFactory(
                name=f"学生{org.class_number}{i}",
                organization=org,
                category=PersonCategory.STUDENT,
                political_status=PoliticalStatus.LEAGUE_MEMBER,
                birth_date=date(2010, 3, 1),
            )
            ParticipationFactory(activity=service, person=student)
    return today


def test_year_end_summary_finalized_and_downloaded_as_pdf(web, orgs, party_secretary, year_of_records, tmp_path):
    today = year_of_records
    web.set_language("zh-hans")
    page = web.login(party_secretary.username)

    # Create the summary of the school for this calendar year: the sections come drafted.
    web.goto(reverse("reports:index"))
    page.select_option("#id_organization", str(orgs.school.pk))
    page.select_option("#id_period", f"year:{today.year}")
    web.submit("main form[method=post]:has(#id_period)")
    summary = Summary.objects.get()
    assert page.url.endswith(summary.get_absolute_url())
    assert summary.status == SummaryStatus.DRAFT
    # The drafted text already quotes the year's figures, on screen.
    # (Chinese prose sets numbers without spaces: compare without whitespace, as the PDF check below does.)
    document = "".join(page.locator("article.summary-doc").inner_text().split())
    assert "".join(PARTY_CLASS_SENTENCE.split()) in document
    assert "".join(SERVICE_SENTENCE.split()) in document

    # Edit one section: the secretary's own sentence is added to the drafted text.
    section = page.locator("#section-organization")
    with page.expect_navigation():
        section.get_by_role("link", name="编辑").click()
    editor = page.locator("[data-narrative-editor]")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(OWN_SENTENCE)
    web.submit("main form[data-narrative-form]")
    assert OWN_SENTENCE in page.locator("#section-organization").inner_text()

    # Finalize (after the confirmation page): the figures are frozen.
    with page.expect_navigation():
        page.get_by_role("link", name="定稿").click()
    web.submit()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.FINALIZED
    assert page.locator(".badge", has_text="已定稿").count() == 1
    web.screenshot("summary")

    # Download the PDF and read it.
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    download = info.value
    pdf_path = tmp_path / "summary.pdf"
    download.save_as(pdf_path)
    assert download.suggested_filename == f"{summary.title}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    compact = "".join(text.split())  # the PDF breaks lines where the page does
    for sentence in (OWN_SENTENCE, PARTY_CLASS_SENTENCE, SERVICE_SENTENCE):
        assert "".join(sentence.split()) in compact, sentence
    assert "城南敬老院" in compact and summary.title in compact
    # The text layer alone would not show boxes for missing glyphs: a Chinese font must be embedded.
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()[2:]), fonts
    pdf_first_page_png(pdf_path, "summary-pdf-first-page")
    web.assert_no_console_errors()


def test_chinese_summary_has_no_english_left(web, orgs, party_secretary, year_of_records):
    with translation.override("zh-hans"):
        summary = summary_create(
            organization=orgs.school, period=calendar_year(year_of_records.year), by=party_secretary
        )
    web.set_language("zh-hans")
    page = web.login(party_secretary.username)
    web.goto(summary.get_absolute_url())
    text = page.locator("article.summary-doc").inner_text()
    assert re.findall(r"[A-Za-z][A-Za-z ()]{3,}", text) == []
