"""Journey 3: a branch secretary moves an activist to development target — refused before the activist's
first year is over, accepted after — and sees the step on the timeline and on the pipeline board."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.dates import add_years
from members.models import PoliticalStatus
from tests.members.factories import activist, full_member

pytestmark = pytest.mark.e2e


@pytest.fixture
def candidate(orgs):
    today = timezone.localdate()
    contacts = [full_member(orgs.group1, name="王建国"), full_member(orgs.group1, name="李秀英")]
    person = activist(
        orgs.group1,
        contacts,
        name="孙丽",
        birth=date(1994, 4, 12),
        applied=today - timedelta(days=520),
        on=today - timedelta(days=400),
    )
    return person, today - timedelta(days=400)


def test_activist_becomes_development_target_after_one_year(web, orgs, branch_secretary, candidate):
    person, activist_on = candidate
    earliest = add_years(activist_on, 1)
    too_early = activist_on + timedelta(days=300)
    today = timezone.localdate()
    web.set_language("zh-hans")
    page = web.login(branch_secretary.username)

    web.goto(person.get_absolute_url())
    assert page.locator(f"span.badge.status-{PoliticalStatus.ACTIVIST}").inner_text() == "入党积极分子"
    page.get_by_role("button", name="登记步骤").click()
    with page.expect_navigation():
        page.locator(".dropdown-menu").get_by_role("link", name="确定为发展对象").click()
    assert page.locator("h1").inner_text() == "确定为发展对象"
    # The two training contacts are offered as introducers.
    introducers = {
        page.locator("#id_introducers_1 option:checked").inner_text(),
        page.locator("#id_introducers_2 option:checked").inner_text(),
    }
    assert any("王建国" in i for i in introducers) and any("李秀英" in i for i in introducers)

    # Ten months as activist: refused, the reason is under the date, the rest of the form is kept.
    page.fill("#id_date", too_early.isoformat())
    # The branch decides (the form proposes the person's Party group: reported to the members owner).
    page.select_option("#id_organization", str(orgs.branch1.pk))
    page.fill("#id_notes", "支委会研究确定")
    web.submit()
    error = page.locator("#div_id_date .invalid-feedback").inner_text()
    assert error == (
        f"确定为发展对象须经一年以上的培养考察。孙丽自{activist_on.isoformat()}起为入党积极分子，"
        f"最早可在{earliest.isoformat()}确定。"
    )
    assert page.input_value("#id_date") == too_early.isoformat()
    assert page.input_value("#id_notes") == "支委会研究确定"
    assert page.input_value("#id_organization") == str(orgs.branch1.pk)
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.ACTIVIST

    # After the year: accepted.
    page.fill("#id_date", today.isoformat())
    web.submit()
    assert page.url.endswith(person.get_absolute_url())
    assert "已为孙丽登记：确定为发展对象。" in page.locator(".alert-success").inner_text()
    person.refresh_from_db()
    assert person.political_status == PoliticalStatus.DEVELOPMENT_TARGET
    assert page.locator(f"span.badge.status-{PoliticalStatus.DEVELOPMENT_TARGET}").first.inner_text() == "发展对象"

    # The timeline, newest first: the new step on top, the activist decision and application below.
    items = page.locator("ul.timeline > li")
    first = items.first.inner_text()
    assert first.startswith(today.isoformat()) and "确定为发展对象" in first and "支委会研究确定" in first
    texts = items.all_inner_texts()
    assert any(t.startswith(activist_on.isoformat()) and "入党积极分子" in t for t in texts)

    # And on the pipeline board, in the development targets' column.
    web.goto(reverse("members:board"))
    column = page.locator(".pipeline-board section", has=page.locator("h2", has_text="发展对象"))
    assert column.locator(".pipeline-card", has_text="孙丽").count() == 1
    web.assert_no_console_errors()
