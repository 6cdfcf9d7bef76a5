"""Journey 2: the League committee records a Learn-from-Lei-Feng (学雷锋) volunteer activity for two whole
classes with service hours, and the place's page shows the new person-times."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Category, PlaceKind
from members.models import Category as PersonCategory
from members.models import PoliticalStatus
from tests.activities.factories import ActivityFactory, HeadCountFactory, PlaceFactory, SeriesFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e

CLASS1 = ["赵子涵", "钱雨桐", "孙浩然", "周欣怡", "吴俊杰"]
CLASS2 = ["郑思远", "王梓萱", "冯嘉怡", "陈宇航"]


@pytest.fixture
def lei_feng(orgs):
    today = timezone.localdate()
    for org, names in ((orgs.class1, CLASS1), (orgs.class2, CLASS2)):
        for name in names:
            PersonFactory(
                name=name,
                organization=org,
                category=PersonCategory.STUDENT,
                political_status=PoliticalStatus.LEAGUE_MEMBER,
                birth_date=date(2010, 3, 1),
            )
    home = PlaceFactory(organization=orgs.league, name="城南敬老院", kind=PlaceKind.ELDERLY_HOME, address="城南路18号")
    # The school has served there before: last year, one class as a head count.
    earlier = ActivityFactory(
        organization=orgs.league, place=home, title="重阳节敬老", starts_on=date(today.year - 1, 10, 11)
    )
    HeadCountFactory(activity=earlier, organization=orgs.class1, count=30)
    series = SeriesFactory(organization=orgs.league, name=f"{today.year}年学雷锋志愿服务月", year=today.year)
    return home, series


def _year_row(page, year: int) -> list[str]:
    row = page.locator("table tbody tr", has=page.locator(f'td:text-is("{year}")'))
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_league_committee_records_lei_feng_service_for_two_classes(web, orgs, league_secretary, lei_feng):
    home, series = lei_feng
    today = timezone.localdate()
    web.set_language("zh-hans")
    page = web.login(league_secretary.username)

    # The place before: only last year's head count.
    web.goto(home.get_absolute_url())
    assert _year_row(page, today.year - 1) == [str(today.year - 1), "1", "30", "60.0"]
    assert page.locator(f'table tbody td:text-is("{today.year}")').count() == 0

    # The activity.
    web.goto(reverse("activities:create"))
    page.fill("#id_title", "学雷锋·走进敬老院")
    page.select_option("#id_category", Category.VOLUNTEER)
    page.select_option("#id_series", str(series.pk))
    page.select_option("#id_organization", str(orgs.league.pk))
    page.fill("#id_starts_on", today.isoformat())
    page.select_option("#id_place", str(home.pk))
    page.fill("#id_service_hours", "2.5")
    page.fill("#id_description", "为老人打扫房间、表演节目、陪老人聊天。")
    web.submit()
    activity = Activity.objects.get(title="学雷锋·走进敬老院")
    assert page.url.endswith(activity.get_absolute_url())
    assert "活动“学雷锋·走进敬老院”已创建。" in page.locator(".alert-success").inner_text()

    # Two whole classes: choose them, their members appear ticked, save.
    page.get_by_role("link", name="添加参与人员").click()
    page.wait_for_load_state()
    page.select_option("#id_organizations", [str(orgs.class1.pk), str(orgs.class2.pk)])
    with page.expect_navigation():
        page.get_by_role("button", name="列出成员").click()
    boxes = page.locator("input[name=people]")
    assert boxes.count() == len(CLASS1) + len(CLASS2)
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    with page.expect_navigation():
        page.get_by_role("button", name="添加已勾选人员").click()
    assert "已添加9名参与人员。" in page.locator(".alert-success").inner_text()
    assert activity.participations.count() == 9

    # The activity's own totals: 9 person-times, 9 × 2.5 hours.
    assert page.locator("dd.fw-bold").nth(0).inner_text() == "9"
    assert Decimal(page.locator("dd.fw-bold").nth(1).inner_text()) == Decimal("22.5")

    # The place's page: this year's row and the total grew by the new person-times and hours.
    page.get_by_role("link", name="城南敬老院").click()
    page.wait_for_load_state()
    assert _year_row(page, today.year) == [str(today.year), "1", "9", "22.5"]
    total = [c.strip() for c in page.locator("table tfoot tr td").all_inner_texts()]
    assert total == ["合计", "2", "39", "82.5"]
    assert page.locator("a", has_text="学雷锋·走进敬老院").count() == 1
    web.assert_no_console_errors()
