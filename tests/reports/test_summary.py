import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from meetings.models import MeetingKind
from reports.models import SectionKey, SummaryStatus
from reports.narrative import render_narrative, sanitize
from reports.selectors import live_differences, summary_figures
from reports.services import summary_create, summary_finalize, summary_reopen
from tests.factories import MeetingFactory
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db


def test_create_drafts_every_section_with_figure_tokens(year, party_secretary):
    summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    sections = {s.key: s.narrative for s in summary.sections.all()}
    assert set(sections) == set(SectionKey.values)
    assert "[[meetings.kind.party_class]]" in sections[SectionKey.SYSTEMS]
    assert summary.status == SummaryStatus.DRAFT
    assert summary.title.endswith("2025")


def test_drafted_prose_reads_in_chinese(year, party_secretary):
    with translation.override("zh-hans"):
        summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
        systems = summary.sections.get(key=SectionKey.SYSTEMS).narrative
        html = render_narrative(systems, summary_figures(summary)["figures"])
    assert "共上党课" in html
    assert '<span class="fig">2</span>次' in html
    assert '<span class="fig">22</span>人次' in html


def test_finalize_freezes_the_figures(year, party_secretary):
    summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    summary_finalize(summary=summary, by=party_secretary)
    MeetingFactory(organization=year.orgs.branch1, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 7, 1))
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.FINALIZED and summary.finalized_by == party_secretary
    assert summary_figures(summary)["figures"]["meetings.kind.party_class"]["value"] == 2
    diffs = {d["key"]: d for d in live_differences(summary)}
    assert diffs["meetings.kind.party_class"] == {"key": "meetings.kind.party_class", "frozen": 2, "live": 3}


def test_finalize_twice_is_refused(year, party_secretary):
    summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    summary_finalize(summary=summary, by=party_secretary)
    with pytest.raises(ValidationError):
        summary_finalize(summary=summary, by=party_secretary)


def test_only_an_administrator_reopens_and_it_is_audited(year, party_secretary, admin_user):
    summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    summary_finalize(summary=summary, by=party_secretary)
    with pytest.raises(PermissionDenied):
        summary_reopen(summary=summary, by=party_secretary, reason="改错字")
    summary_reopen(summary=summary, by=admin_user, reason="补充荣誉")
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT and summary.snapshot == {}
    assert (summary.reopened_by, summary.reopen_reason) == (admin_user, "补充荣誉")
    last = summary.history.first()
    assert last.status == SummaryStatus.DRAFT and last.history_change_reason == "补充荣誉"


def test_narrative_is_sanitized():
    dirty = '<p onclick="x()">好<script>alert(1)</script><a href="http://e.vil">链接</a><strong>强</strong></p>'
    assert sanitize(dirty) == "<p>好链接<strong>强</strong></p>"
    assert sanitize("第一段\n\n第二段 <3") == "<p>第一段</p><p>第二段 &lt;3</p>"


def test_unknown_tokens_show_a_dash_not_a_number():
    assert '<span class="fig">—</span>' in render_narrative("<p>[[activities.nothing]]</p>", {})
