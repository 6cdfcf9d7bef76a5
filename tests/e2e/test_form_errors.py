"""Journey 6: bad input shows its error next to the field it concerns, and the form keeps what was typed."""

import pytest
from django.urls import reverse

from branches.models import Organization, OrgKind

pytestmark = pytest.mark.e2e


def _field_error(page, field: str) -> str:
    """The error Bootstrap shows under one field (crispy's `.invalid-feedback` inside the field's div)."""
    feedback = page.locator(f"#div_id_{field} .invalid-feedback")
    assert feedback.count() == 1, f"no error shown next to {field}"
    assert "is-invalid" in (page.locator(f"#id_{field}").get_attribute("class") or "")
    return feedback.inner_text().strip()


def test_bad_grade_is_shown_next_to_the_field_and_input_is_kept(web, orgs, league_secretary):
    """A class League branch with an impossible year of entry and no class number (Chinese UI)."""
    web.set_language("zh-hans")
    page = web.login(league_secretary.username)
    web.goto(reverse("branches:create") + f"?parent={orgs.league.pk}")

    page.select_option("#id_kind", OrgKind.LEAGUE_BRANCH)
    page.fill("#id_name", "高一（3）班团支部")
    page.fill("#id_short_name", "高一3班")
    page.fill("#id_grade", "1800")
    web.submit()
    page.wait_for_load_state()

    assert _field_error(page, "grade") == "请输入入学年份，例如2025。"
    assert _field_error(page, "class_number") == "班级团支部必须填写此项。"
    # Fields without a problem carry no error, and everything typed is still there.
    assert page.locator("#div_id_name .invalid-feedback").count() == 0
    assert page.input_value("#id_name") == "高一（3）班团支部"
    assert page.input_value("#id_short_name") == "高一3班"
    assert page.input_value("#id_grade") == "1800"
    assert page.input_value("#id_kind") == OrgKind.LEAGUE_BRANCH
    assert page.input_value("#id_parent") == str(orgs.league.pk)
    assert not Organization.objects.filter(name="高一（3）班团支部").exists()

    # Correct the two fields: the branch is created under the League committee.
    page.fill("#id_grade", "2026")
    page.fill("#id_class_number", "3")
    web.submit()
    page.wait_for_load_state()
    created = Organization.objects.get(name="高一（3）班团支部")
    assert page.url.endswith(created.get_absolute_url())
    assert created.parent == orgs.league and created.grade == 2026 and created.class_number == 3
    web.assert_no_console_errors()
