"""Journey 5: the demo school in a real browser — Chinese by default, a switch to English and back through
the navbar's language select, and the same pages on a phone (390×844) without sideways scrolling.

This journey also takes the README's pictures of the dashboard, the pipeline board and a member's
timeline on realistic demo data."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from branches.models import Organization, OrgKind
from meetings.models import MeetingKind
from members.forms import STEPS_BY_STATUS
from members.models import Person, PoliticalStatus

from .conftest import PHONE

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "partyleague2026"

# The pages a secretary opens most, checked on a phone.
PHONE_PAGES = [
    "dashboard",
    "branches:tree",
    "members:list",
    "members:board",
    "meetings:list",
    "meetings:calendar",
    "meetings:frequency",
    "activities:list",
    # "activities:place_list" overflows: see test_place_list_fits_a_phone below.
    "reports:index",
    "reports:due",
]


@pytest.fixture
def demo_school(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def _switch_language(web, code: str):
    page = web.page
    with page.expect_navigation():
        page.select_option("#language-select", code)
    return page


def test_language_switch_and_phone_view(web, demo_school):
    web.set_language("zh-hans")
    page = web.login("party", DEMO_PASSWORD)

    # Chinese first: the dashboard as the Party secretary sees it every morning.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").first.inner_text() == "工作台"
    web.screenshot("dashboard")

    # Switch to English on the members list: the same page comes back, in English.
    web.goto(reverse("members:list"))
    _switch_language(web, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(reverse("members:list"))
    assert page.locator("#mainnav").get_by_role("link", name="Members").is_visible()
    assert page.locator("#language-select").input_value() == "en"

    # …and back to Chinese.
    _switch_language(web, "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#mainnav").get_by_role("link", name="Members").count() == 0
    assert page.locator("#language-select").input_value() == "zh-hans"

    # The pipeline board and one member's timeline, for the README.
    web.goto(reverse("members:board"))
    assert page.locator(".pipeline-board .pipeline-card").count() > 0
    web.screenshot("pipeline-board")
    member = (
        Person.objects.filter(political_status=PoliticalStatus.PROBATIONARY).order_by("pk").first()
        or Person.objects.filter(political_status=PoliticalStatus.ACTIVIST).order_by("pk").first()
    )
    web.goto(member.get_absolute_url())
    assert member.name in page.locator("h1").first.inner_text()
    web.screenshot("member-timeline")
    web.goto(reverse("meetings:frequency"))
    assert page.locator("table.frequency-table .freq-check.freq-met").count() > 0
    web.screenshot("frequency-table")
    web.assert_no_console_errors()

    # The same pages on a phone: nothing may push the page wider than the screen.
    page = web.open_context(PHONE)
    branch = Organization.objects.filter(kind=OrgKind.PARTY_BRANCH).order_by("path").first()
    forms = [
        reverse("meetings:create") + f"?org={branch.pk}&kind={MeetingKind.PARTY_CLASS}",  # with attendance
        reverse("activities:create"),
        reverse("members:step", args=[member.pk, STEPS_BY_STATUS[member.political_status][0]]),
        reverse("reports:index"),
    ]
    overflows = []
    for url in [reverse(name) for name in PHONE_PAGES] + [member.get_absolute_url(), *forms]:
        web.goto(url)
        overflows.append(web.horizontal_overflow())
    assert not any(overflows), "pages scroll sideways on a phone:\n" + "\n".join(filter(None, overflows))
    web.goto(reverse("dashboard"))
    web.screenshot("phone-dashboard")
    # The menu folds behind the toggler and opens on a tap, still within the screen.
    assert not page.locator("#mainnav").is_visible()
    page.locator(".navbar-toggler").click()
    page.locator("#mainnav.show").wait_for()
    assert page.locator("#mainnav").get_by_role("link", name="工作台").is_visible()
    web.assert_no_horizontal_scroll()
    web.assert_no_console_errors()


def test_place_list_fits_a_phone(web, league_secretary):
    web.open_context(PHONE)
    web.login(league_secretary.username)
    web.goto(reverse("activities:place_list"))
    web.assert_no_horizontal_scroll()
