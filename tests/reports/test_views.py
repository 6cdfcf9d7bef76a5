import pytest
from django.urls import reverse

from reports.models import SectionKey, Summary, SummaryStatus
from reports.services import summary_create, summary_finalize
from tests.factories import PersonFactory
from tests.reports.conftest import build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_summary(year, branch_secretary):
    return summary_create(organization=year.orgs.branch1, period=year.period, by=branch_secretary)


def test_branch_secretary_creates_a_summary_for_own_branch(year, branch_secretary, client_for):
    client = client_for(branch_secretary)
    response = client.post(
        reverse("reports:index"), {"organization": year.orgs.branch1.pk, "period": "year:2025", "title": ""}
    )
    summary = Summary.objects.get()
    assert response.status_code == 302 and response.url == summary.get_absolute_url()
    assert summary.organization == year.orgs.branch1 and summary.period_key == "year:2025"


def test_cannot_create_for_an_organization_one_cannot_edit(year, outsider, client_for):
    response = client_for(outsider).post(
        reverse("reports:index"), {"organization": year.orgs.branch1.pk, "period": "year:2025"}
    )
    assert response.status_code == 200 and not Summary.objects.exists()


def test_custom_range_needs_both_dates(year, branch_secretary, client_for):
    response = client_for(branch_secretary).post(
        reverse("reports:index"), {"organization": year.orgs.branch1.pk, "period": "custom", "start": "2025-03-01"}
    )
    assert "Give both dates" in response.content.decode()


def test_index_lists_only_viewable_summaries(branch_summary, outsider, branch_secretary, client_for):
    assert branch_summary.title in client_for(branch_secretary).get(reverse("reports:index")).content.decode()
    assert branch_summary.title not in client_for(outsider).get(reverse("reports:index")).content.decode()


def test_detail_shows_linked_figures(branch_summary, branch_secretary, client_for):
    html = client_for(branch_secretary).get(branch_summary.get_absolute_url()).content.decode()
    url = reverse("reports:drilldown", args=["meetings.kind.party_class"])
    assert f'href="{url}?period=year%3A2025&amp;org={branch_summary.organization_id}' in html
    assert "Finalize" in html


def test_outsider_gets_404_everywhere(branch_summary, outsider, client_for):
    client = client_for(outsider)
    pk = branch_summary.pk
    for name, args in [
        ("reports:detail", [pk]),
        ("reports:edit_section", [pk, SectionKey.SYSTEMS]),
        ("reports:finalize", [pk]),
        ("reports:pdf", [pk]),
        ("reports:docx", [pk]),
        ("reports:xlsx", [pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    url = reverse("reports:drilldown", args=["meetings.total"])
    assert client.get(url, {"org": branch_summary.organization_id, "period": "year:2025"}).status_code == 404


def test_viewer_reads_but_cannot_edit_or_finalize(branch_summary, viewer, client_for, year):
    # The hand-built year holds a second school: a role reaches the schools the account belongs to.
    PersonFactory(name="周校长", organization=year.orgs.school, user=viewer)
    client = client_for(viewer)
    page = client.get(branch_summary.get_absolute_url())
    assert page.status_code == 200 and "Finalize" not in page.content.decode()
    edit = reverse("reports:edit_section", args=[branch_summary.pk, SectionKey.SYSTEMS])
    assert client.post(edit, {"narrative": "x"}).status_code == 403
    assert client.post(reverse("reports:finalize", args=[branch_summary.pk])).status_code == 403
    branch_summary.refresh_from_db()
    assert branch_summary.status == SummaryStatus.DRAFT


def test_edit_section_saves_sanitized_text(branch_summary, branch_secretary, client_for):
    section = branch_summary.sections.get(key=SectionKey.PLANS)
    url = reverse("reports:edit_section", args=[branch_summary.pk, SectionKey.PLANS])
    response = client_for(branch_secretary).post(
        url, {"narrative": "<p>明年计划<script>x</script></p>", "record_version": section.version}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.narrative == "<p>明年计划</p>"


def test_stale_section_edit_is_refused(branch_summary, branch_secretary, client_for):
    section = branch_summary.sections.get(key=SectionKey.PLANS)
    url = reverse("reports:edit_section", args=[branch_summary.pk, SectionKey.PLANS])
    response = client_for(branch_secretary).post(url, {"narrative": "新", "record_version": section.version - 1})
    assert response.status_code == 200
    section.refresh_from_db()
    assert section.narrative != "<p>新</p>"


def test_finalize_then_edit_is_refused(branch_summary, branch_secretary, client_for):
    client = client_for(branch_secretary)
    assert client.post(reverse("reports:finalize", args=[branch_summary.pk])).status_code == 302
    branch_summary.refresh_from_db()
    assert branch_summary.is_finalized
    url = reverse("reports:edit_section", args=[branch_summary.pk, SectionKey.PLANS])
    assert client.post(url, {"narrative": "x", "record_version": 1}).status_code == 302
    assert branch_summary.sections.get(key=SectionKey.PLANS).narrative != "<p>x</p>"


def test_only_admin_reopens(branch_summary, branch_secretary, party_secretary, admin_user, client_for):
    summary_finalize(summary=branch_summary, by=branch_secretary)
    url = reverse("reports:reopen", args=[branch_summary.pk])
    assert client_for(branch_secretary).post(url, {"reason": "x"}).status_code == 403
    assert client_for(party_secretary).post(url, {"reason": "x"}).status_code == 403
    assert client_for(admin_user).post(url, {"reason": "数据录入有误"}).status_code == 302
    branch_summary.refresh_from_db()
    assert branch_summary.status == SummaryStatus.DRAFT


def test_finalized_page_warns_when_live_figures_differ(branch_summary, branch_secretary, client_for):
    from meetings.models import MeetingKind
    from tests.factories import MeetingFactory
    from tests.reports.conftest import at

    summary_finalize(summary=branch_summary, by=branch_secretary)
    client = client_for(branch_secretary)
    assert "still match" in client.get(branch_summary.get_absolute_url()).content.decode()
    MeetingFactory(organization=branch_summary.organization, kind=MeetingKind.PARTY_CLASS, starts_at=at(2025, 4, 1))
    assert "Records have changed" in client.get(branch_summary.get_absolute_url()).content.decode()


def test_drilldown_lists_the_records_behind_a_figure(year, branch_secretary, client_for):
    url = reverse("reports:drilldown", args=["meetings.kind.party_class"])
    response = client_for(branch_secretary).get(url, {"org": year.orgs.branch1.pk, "period": "year:2025"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2
    assert response.context["value"] == "2"
    assert year.first_class.topic in response.content.decode()


def test_drilldown_of_unknown_figure_is_404(year, branch_secretary, client_for):
    url = reverse("reports:drilldown", args=["no.such"])
    assert client_for(branch_secretary).get(url, {"org": year.orgs.branch1.pk}).status_code == 404


def test_due_page_and_dashboard(year, party_secretary, client_for):
    client = client_for(party_secretary)
    assert client.get(reverse("reports:due")).status_code == 200
    response = client.get(reverse("dashboard"), {"period": "year:2025"})
    assert response.status_code == 200
    tiles = {t["key"]: t for t in response.context["blocks"][0]["tiles"]}
    assert tiles["meetings.kind.party_class"]["value"] == "2"
    assert tiles["meetings.kind.party_class"]["url"].startswith(
        reverse("reports:drilldown", args=["meetings.kind.party_class"])
    )


def test_dashboard_scopes_to_own_organizations(year, outsider, client_for):
    response = client_for(outsider).get(reverse("dashboard"), {"period": "year:2025"})
    assert [b["org"] for b in response.context["blocks"]] == [year.orgs.branch2]


@pytest.mark.parametrize("extra", [3, 30])
def test_summary_page_query_budget(orgs, party_secretary, client_for, extra, django_assert_max_num_queries):
    year = build_year(orgs, extra_meetings=extra)
    summary = summary_create(organization=orgs.school, period=year.period, by=party_secretary)
    client = client_for(party_secretary)
    client.get(summary.get_absolute_url())  # warm caches (content types, sessions)
    with django_assert_max_num_queries(46):  # measured: 46 at both sizes (frequency check, tables, target)
        response = client.get(summary.get_absolute_url())
    assert response.status_code == 200


def test_charts_are_fetched_by_the_page_once_shown(year, party_secretary, outsider, client_for):
    """The dashboard and the summary answer at once; each asks for its charts (SVG drawn on the server)."""
    client = client_for(party_secretary)
    dashboard = client.get(reverse("dashboard"), {"period": "year:2025"}).content.decode()
    url = reverse("reports:dashboard_charts") + f"?org={year.orgs.school.pk}&amp;period=year%3A2025"
    assert f'hx-get="{url}"' in dashboard
    assert "<svg" not in dashboard
    charts = client.get(reverse("reports:dashboard_charts"), {"org": year.orgs.school.pk, "period": "year:2025"})
    assert charts.status_code == 200
    assert charts.content.decode().count("<svg") >= 1
    # Another branch's secretary sees neither this school's charts nor the summary's.
    assert (
        client_for(outsider)
        .get(reverse("reports:dashboard_charts"), {"org": year.orgs.school.pk, "period": "year:2025"})
        .status_code
        == 404
    )
    summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    client = client_for(party_secretary)
    page = client.get(summary.get_absolute_url()).content.decode()
    assert reverse("reports:summary_charts", args=[summary.pk]) in page
    appendix = client.get(reverse("reports:summary_charts", args=[summary.pk])).content.decode()
    assert "Appendix: charts" in appendix and "<svg" in appendix
    assert client_for(outsider).get(reverse("reports:summary_charts", args=[summary.pk])).status_code == 404
