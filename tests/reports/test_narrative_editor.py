"""The section editor: figures shown as chips (their value, their name), written back as `[[key]]` tokens;
no tokens or HTML instructions on the page; forged chips neutralized; the plain text box without JavaScript."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.models import SectionKey
from reports.narrative import editable_text, plain_narrative, sanitize
from reports.services import summary_create

pytestmark = pytest.mark.django_db

PARTY_CLASSES = "meetings.kind.party_class"


@pytest.fixture
def branch_summary(year, branch_secretary):
    return summary_create(organization=year.orgs.branch1, period=year.period, by=branch_secretary)


def edit_url(summary, key=SectionKey.PLANS):
    return reverse("reports:edit_section", args=[summary.pk, key])


def post(client, summary, text, key=SectionKey.PLANS):
    section = summary.sections.get(key=key)
    response = client.post(edit_url(summary, key), {"narrative": text, "record_version": section.version})
    section.refresh_from_db()
    return response, section


def test_edit_page_shows_figures_as_chips_without_tokens_or_html(branch_summary, branch_secretary, client_for):
    section = branch_summary.sections.get(key=SectionKey.SYSTEMS)
    assert f"[[{PARTY_CLASSES}]]" in section.narrative  # the draft quotes the figure
    html = client_for(branch_secretary).get(edit_url(branch_summary, SectionKey.SYSTEMS)).content.decode()
    assert "[[" not in html
    assert "HTML" not in html
    # The chip: the current value (two Party classes in 2025), its name as the tooltip, its key to save.
    assert f'data-figure="{PARTY_CLASSES}" title="Party class">2</span>' in html
    # The figure picker lists the section's figures with their values.
    assert f'<option value="{PARTY_CLASSES}" data-label="Party class" data-value="2">Party class: 2</option>' in html
    assert "Insert figure" in html
    # Every figure offered has a name, never its key.
    assert ">frequency." not in html and 'title="frequency.' not in html


def test_posted_chips_are_stored_as_tokens_and_rendered_as_values(branch_summary, branch_secretary, client_for):
    client = client_for(branch_secretary)
    response, section = post(
        client,
        branch_summary,
        f'<p>全年上<strong>党课</strong> <span data-figure="{PARTY_CLASSES}">99</span> 次。</p>'
        "<ul><li>一</li></ul><ol><li>二</li></ol>",
    )
    assert response.status_code == 302
    assert section.narrative == (
        f"<p>全年上<strong>党课</strong> [[{PARTY_CLASSES}]] 次。</p><ul><li>一</li></ul><ol><li>二</li></ol>"
    )
    page = client.get(branch_summary.get_absolute_url()).content.decode()
    drill = reverse("reports:drilldown", args=[PARTY_CLASSES])
    assert '全年上<strong>党课</strong> <a class="fig" href="' + drill in page
    assert ">2</a> 次。" in page  # the live value, not the 99 the chip carried


def test_forged_chips_are_neutralized(branch_summary, branch_secretary, client_for):
    client = client_for(branch_secretary)
    response, section = post(
        client,
        branch_summary,
        '<p>甲<span data-figure="no.such_figure" onclick="x()">7</span>'
        '乙<span data-figure="x&quot;]] [[meetings.total">8<script>alert(1)</script></span>'
        '丙<span data-figure="' + PARTY_CLASSES + '"><img src=x onerror=alert(1)></span></p>',
    )
    assert response.status_code == 302
    # Unknown keys keep their words as plain text; nothing forged becomes a figure, no script survives.
    assert section.narrative == f"<p>甲7乙8丙[[{PARTY_CLASSES}]]</p>"
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("kept as plain text: 7、8" in m for m in shown), shown


def test_plain_text_box_round_trips_paragraphs_lists_bold_and_figures(branch_summary, branch_secretary, client_for):
    """Without JavaScript the secretary edits plain text: figures by name in braces, lists, **bold**."""
    client = client_for(branch_secretary)
    text = "第一段 {Party class} 次，**重点**。\n- 甲\n- 乙\n1. 一\n2. 二\n{不存在}"
    response, section = post(client, branch_summary, text)
    assert response.status_code == 302
    assert section.narrative == (
        f"<p>第一段 [[{PARTY_CLASSES}]] 次，<strong>重点</strong>。</p><ul><li>甲</li><li>乙</li></ul>"
        "<ol><li>一</li><li>二</li></ol><p>{不存在}</p>"
    )
    html = client.get(edit_url(branch_summary)).content.decode()
    assert "第一段 {Party class} 次，**重点**。\n- 甲\n- 乙\n1. 一\n2. 二\n{不存在}</textarea>" in html


def test_plain_and_rich_forms_agree():
    labels = {"a.b": "党课", "c": "会议"}
    html = "<p>一 [[a.b]] <strong>粗</strong></p><ul><li>x</li></ul><ol><li>m [[c]]</li></ol><p>z &lt;3</p>"
    assert plain_narrative(editable_text(html, labels), labels) == (html, [])
    assert sanitize('<p><span data-figure="a.b">1</span></p>') == "<p>[[a.b]]</p>"


def test_figures_sharing_a_name_read_back_as_themselves():
    """Two figures named alike (appraisal grades of the Party and of the League) never swap on a plain save."""
    labels = {"appraisal.party.excellent": "优秀", "appraisal.league.excellent": "优秀", "c": "会议"}
    html = "<p>[[appraisal.league.excellent]] [[appraisal.party.excellent]] [[c]]</p>"
    text = editable_text(html, labels)
    assert text == "{appraisal.league.excellent} {appraisal.party.excellent} {会议}"
    assert plain_narrative(text, labels) == (html, [])
    assert plain_narrative("{优秀}", labels) == ("<p>{优秀}</p>", ["优秀"])


@pytest.mark.parametrize("extra", [3, 30])
def test_edit_page_query_budget(orgs, party_secretary, client_for, extra, django_assert_num_queries):
    from tests.reports.conftest import build_year

    year = build_year(orgs, extra_meetings=extra)
    summary = summary_create(organization=orgs.school, period=year.period, by=party_secretary)
    client = client_for(party_secretary)
    url = edit_url(summary, SectionKey.SYSTEMS)
    client.get(url)  # warm caches (content types, sessions, the compiled figures)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


QUERIES = 46  # measured: 46 at both sizes (the same as before chips: the figures, cached, and access)
