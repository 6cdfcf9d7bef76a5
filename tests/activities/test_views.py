"""Pages: happy paths, outsiders (404), viewers and non-editors (403), uploads, audited deletes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity, Honor, HonorLevel, Photo, Place, Series
from tests.activities.conftest import PNG_BYTES
from tests.activities.factories import ActivityFactory, HonorFactory, PlaceFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(orgs):
    """An activity of 高一（1）班 at the school's elderly home, in a League committee series."""
    place = PlaceFactory(organization=orgs.school, name="县老年人活动中心")
    series = SeriesFactory(organization=orgs.league, name="学雷锋志愿服务")
    return ActivityFactory(organization=orgs.class1, place=place, series=series, title="敬老院志愿服务")


@pytest.fixture
def photo(activity):
    return Photo.objects.create(activity=activity, image=SimpleUploadedFile("a.png", PNG_BYTES), caption="合影")


def _view_urls(activity, photo):
    return [
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:photo", args=[photo.pk]),
    ]


def _edit_urls(activity):
    return [
        reverse("activities:edit", args=[activity.pk]),
        reverse("activities:delete", args=[activity.pk]),
        reverse("activities:participants", args=[activity.pk]),
        reverse("activities:participants_import", args=[activity.pk]),
        reverse("activities:photo_add", args=[activity.pk]),
    ]


def test_list_shows_only_visible_activities(client_for, class_secretary, other_class_secretary, activity, orgs):
    ActivityFactory(organization=orgs.class2, title="二班的活动")
    page = client_for(class_secretary).get(reverse("activities:list")).content.decode()
    assert "敬老院志愿服务" in page and "二班的活动" not in page
    page = client_for(other_class_secretary).get(reverse("activities:list")).content.decode()
    assert "敬老院志愿服务" not in page and "二班的活动" in page


def test_list_filters_and_search(client_for, league_secretary, activity, orgs):
    ActivityFactory(organization=orgs.class2, title="篮球赛", category="sports", starts_on=date(2025, 10, 1))
    client = client_for(league_secretary)

    def titles(**params):
        return {a.title for a in client.get(reverse("activities:list"), params).context["page_obj"]}

    assert titles() == {"敬老院志愿服务", "篮球赛"}
    assert titles(category="sports") == {"篮球赛"}
    assert titles(q="敬老") == {"敬老院志愿服务"}
    assert titles(series=activity.series_id) == {"敬老院志愿服务"}
    assert titles(place=activity.place_id) == {"敬老院志愿服务"}
    assert titles(organizer=orgs.class2.pk) == {"篮球赛"}
    assert titles(organizer=orgs.league.pk) == {"敬老院志愿服务", "篮球赛"}
    assert titles(period="year:2025") == {"篮球赛"}
    assert titles(period="junk", page="x") == {"敬老院志愿服务", "篮球赛"}
    assert titles(category="sports", organizer="999999") == {"篮球赛"}


def test_no_role_user_is_refused(client_for, norole_user, activity):
    client = client_for(norole_user)
    for name in ("list", "place_list", "series_list", "honor_list", "create"):
        assert client.get(reverse(f"activities:{name}")).status_code == 403


def test_outsider_gets_404_everywhere(client_for, outsider, other_class_secretary, activity, photo):
    for user in (outsider, other_class_secretary):
        client = client_for(user)
        for url in _view_urls(activity, photo) + _edit_urls(activity):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("activities:delete", args=[activity.pk])).status_code == 404
        assert client.post(reverse("activities:photo_delete", args=[photo.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_viewer_sees_but_cannot_edit(client_for, viewer, activity, photo):
    client = client_for(viewer)
    for url in _view_urls(activity, photo):
        assert client.get(url).status_code == 200, url
    for url in _edit_urls(activity):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("activities:delete", args=[activity.pk])).status_code == 403
    assert client.get(reverse("activities:create")).status_code == 403
    assert b"bi-pencil" not in client.get(reverse("activities:detail", args=[activity.pk])).content


def test_party_secretary_sees_league_activity_but_may_not_edit(client_for, party_secretary, activity):
    client = client_for(party_secretary)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403


def test_co_organizer_may_view_but_not_edit(client_for, other_class_secretary, activity, orgs):
    activity.co_organizers.add(orgs.class2)
    client = client_for(other_class_secretary)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    assert activity.title in client.get(reverse("activities:list")).content.decode()


def test_create_edit_delete(client_for, class_secretary, orgs, activity):
    client = client_for(class_secretary)
    data = {
        "title": "清明祭扫革命烈士纪念碑",
        "category": "theme_education",
        "organization": orgs.class1.pk,
        "starts_on": "2026-04-03",
        "place": activity.place_id,
        "service_hours": "3",
    }
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 302
    created = Activity.objects.get(title="清明祭扫革命烈士纪念碑")
    assert created.service_hours == Decimal("3.0") and created.place == activity.place
    edit = client.get(reverse("activities:edit", args=[created.pk]))
    data.update(title="清明祭扫", record_version=edit.context["form"]["record_version"].value())
    assert client.post(reverse("activities:edit", args=[created.pk]), data).status_code == 302
    created.refresh_from_db()
    assert created.title == "清明祭扫" and created.version == 2
    # A stale form is refused and the input kept.
    stale = client.post(reverse("activities:edit", args=[created.pk]), {**data, "title": "旧的"})
    assert stale.status_code == 200 and "Someone else saved" in stale.content.decode()
    # Delete: GET asks, POST deletes, the audit trail keeps it.
    assert client.get(reverse("activities:delete", args=[created.pk])).status_code == 200
    assert Activity.objects.filter(pk=created.pk).exists()
    assert client.post(reverse("activities:delete", args=[created.pk])).status_code == 302
    assert not Activity.objects.filter(pk=created.pk).exists()
    assert Activity.history.filter(id=created.pk, history_type="-").exists()


def test_create_refuses_organizer_outside_ones_rights(client_for, class_secretary, orgs):
    data = {"title": "x", "category": "other", "organization": orgs.class2.pk, "starts_on": "2026-04-03"}
    response = client_for(class_secretary).post(reverse("activities:create"), data)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors


def test_create_refuses_end_before_start_and_wrong_series_year(client_for, league_secretary, orgs, activity):
    data = {
        "title": "x",
        "category": "other",
        "organization": orgs.league.pk,
        "starts_on": "2025-04-03",
        "ends_on": "2025-04-01",
        "series": activity.series_id,
        "service_hours": "0",
    }
    form = client_for(league_secretary).post(reverse("activities:create"), data).context["form"]
    assert form.has_error("ends_on", "order")
    assert form.has_error("series", "series_year")


# --- photos -------------------------------------------------------------------------------------


def test_photo_upload_and_serving(client_for, class_secretary, viewer, activity):
    client = client_for(class_secretary)
    response = client.post(
        reverse("activities:photo_add", args=[activity.pk]),
        {"image": SimpleUploadedFile("合影.png", PNG_BYTES, content_type="image/png"), "caption": "合影"},
    )
    assert response.status_code == 302
    photo = activity.photos.get()
    served = client_for(viewer).get(reverse("activities:photo", args=[photo.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PNG_BYTES
    assert client_for(class_secretary).post(reverse("activities:photo_delete", args=[photo.pk])).status_code == 302
    assert not activity.photos.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("evil.png", b"<script>alert(1)</script>", "bad_type"),
        ("doc.pdf", b"%PDF-1.4 fake pdf", "bad_type"),
        ("photo.jpg", PNG_BYTES, "disguised"),
    ],
)
def test_photo_upload_is_validated_by_content(client_for, class_secretary, activity, name, content, code):
    response = client_for(class_secretary).post(
        reverse("activities:photo_add", args=[activity.pk]), {"image": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("image", code)
    assert not activity.photos.exists()


def test_photo_too_large(client_for, class_secretary, activity, settings):
    settings.UPLOAD_MAX_BYTES = 10
    response = client_for(class_secretary).post(
        reverse("activities:photo_add", args=[activity.pk]), {"image": SimpleUploadedFile("a.png", PNG_BYTES)}
    )
    assert response.context["form"].has_error("image", "too_large")


# --- places -------------------------------------------------------------------------------------


def test_place_pages(client_for, league_secretary, admin_user, activity):
    client = client_for(league_secretary)
    assert "县老年人活动中心" in client.get(reverse("activities:place_list")).content.decode()
    page = client.get(reverse("activities:place_detail", args=[activity.place_id]))
    assert page.status_code == 200
    assert page.context["years"][0]["year"] == 2026 and page.context["years"][0]["activities"] == 1
    # The school keeps the place: the League secretary may not edit it; the administrator may.
    assert client.get(reverse("activities:place_edit", args=[activity.place_id])).status_code == 403
    client = client_for(admin_user)
    response = client.post(
        reverse("activities:place_create"),
        {"organization": activity.place.organization_id, "name": "丰顺县儿童福利院", "kind": "children_welfare"},
    )
    assert response.status_code == 302
    assert Place.objects.filter(name="丰顺县儿童福利院").exists()


def test_place_delete_blocked_while_used(client_for, admin_user, activity):
    client = client_for(admin_user)
    page = client.get(reverse("activities:place_delete", args=[activity.place_id]))
    assert page.context["blockers"]
    client.post(reverse("activities:place_delete", args=[activity.place_id]))
    assert Place.objects.filter(pk=activity.place_id).exists()
    unused = PlaceFactory(organization=activity.place.organization)
    assert client.post(reverse("activities:place_delete", args=[unused.pk])).status_code == 302
    assert not Place.objects.filter(pk=unused.pk).exists()


def test_place_outsider_404(client_for, class_secretary, outsider, activity, orgs):
    own = PlaceFactory(organization=orgs.branch1, name="第一支部的基地")
    for client in (client_for(outsider),):
        assert client.get(reverse("activities:place_detail", args=[own.pk])).status_code == 404
        assert client.get(reverse("activities:place_edit", args=[own.pk])).status_code == 404
        assert client.get(reverse("activities:place_delete", args=[own.pk])).status_code == 404


def test_place_page_shows_only_visible_activities(client_for, class_secretary, other_class_secretary, orgs):
    """The League committee's place serves every class; each class secretary sees only their activities."""
    place = PlaceFactory(organization=orgs.league)
    ActivityFactory(organization=orgs.class1, place=place, title="一班去")
    ActivityFactory(organization=orgs.class2, place=place, title="二班去")
    client = client_for(class_secretary)
    page = client.get(reverse("activities:place_detail", args=[place.pk]))
    assert page.status_code == 200
    assert [a.title for a in page.context["page_obj"]] == ["一班去"]
    assert page.context["grand"].activities == 1
    assert client.get(reverse("activities:place_edit", args=[place.pk])).status_code == 403
    assert place.name in client.get(reverse("activities:place_list")).content.decode()


# --- series -------------------------------------------------------------------------------------


def test_series_pages(client_for, league_secretary, class_secretary, activity):
    client = client_for(league_secretary)
    page = client.get(reverse("activities:series_list"), {"year": 2026})
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row["series"] == activity.series and row["totals"].activities == 1
    detail = client.get(reverse("activities:series_detail", args=[activity.series_id]))
    assert detail.status_code == 200 and "敬老院志愿服务" in detail.content.decode()
    response = client.post(
        reverse("activities:series_create"),
        {"organization": activity.series.organization_id, "name": "三月文明礼貌月", "year": 2026},
    )
    assert response.status_code == 302
    assert Series.objects.filter(name="三月文明礼貌月").exists()
    # A class secretary sees the League committee's series (their class takes part) but may not edit it.
    client = client_for(class_secretary)
    assert client.get(reverse("activities:series_detail", args=[activity.series_id])).status_code == 200
    assert client.get(reverse("activities:series_edit", args=[activity.series_id])).status_code == 403


def test_series_list_shows_each_series_latest_activities_and_links_to_all(client_for, league_secretary, orgs):
    """A busy series shows its latest activities on the year's list (one screen per series) and a link to the
    series page with all of them; its totals still count every activity."""
    busy = SeriesFactory(organization=orgs.league, name="学雷锋月")
    quiet = SeriesFactory(organization=orgs.league, name="文明礼貌月")
    for day in range(1, 11):
        ActivityFactory(organization=orgs.league, series=busy, title=f"学雷锋第{day}次", starts_on=date(2026, 3, day))
    ActivityFactory(organization=orgs.league, series=quiet, title="文明礼貌宣讲", starts_on=date(2026, 4, 1))
    page = client_for(league_secretary).get(reverse("activities:series_list"), {"year": 2026})
    rows = {row["series"].name: row for row in page.context["rows"]}
    shown = [a.title for a in rows["学雷锋月"]["activities"]]
    assert shown == [f"学雷锋第{day}次" for day in range(3, 11)]  # the latest eight, in date order
    assert rows["学雷锋月"]["totals"].activities == 10 and rows["学雷锋月"]["more"] == 2
    assert [a.title for a in rows["文明礼貌月"]["activities"]] == ["文明礼貌宣讲"] and rows["文明礼貌月"]["more"] == 0
    html = page.content.decode()
    assert "all 10 activities of the series" in html and busy.get_absolute_url() in html
    assert "1 activity · " in html and "10 activities · " in html  # singular and plural of the totals line
    assert "学雷锋第2次" not in html


def test_series_outsider_404(client_for, outsider, orgs):
    series = SeriesFactory(organization=orgs.league)
    client = client_for(outsider)
    assert client.get(reverse("activities:series_detail", args=[series.pk])).status_code == 404
    assert client.get(reverse("activities:series_edit", args=[series.pk])).status_code == 404
    assert client.post(reverse("activities:series_delete", args=[series.pk])).status_code == 404
    assert series.name not in client.get(reverse("activities:series_list"), {"year": 2026}).content.decode()


def test_series_viewer_cannot_edit(client_for, viewer, activity):
    client = client_for(viewer)
    assert client.get(reverse("activities:series_detail", args=[activity.series_id])).status_code == 200
    assert client.get(reverse("activities:series_edit", args=[activity.series_id])).status_code == 403
    assert client.post(reverse("activities:series_delete", args=[activity.series_id])).status_code == 403


# --- honors -------------------------------------------------------------------------------------


def test_honor_for_a_person_is_kept_with_their_class(client_for, class_secretary, students, orgs):
    client = client_for(class_secretary)
    response = client.post(
        reverse("activities:honor_create"),
        {
            "person": students[0].pk,
            "title": "优秀共青团员",
            "level": HonorLevel.COUNTY,
            "awarding_body": "共青团丰顺县委员会",
            "awarded_on": "2026-05-04",
            "certificate": SimpleUploadedFile("证书.png", PNG_BYTES),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    honor = Honor.objects.get()
    assert honor.organization == orgs.class1 and honor.person == students[0]
    timeline = client.get(reverse("activities:honors_for_person", args=[students[0].pk]))
    assert timeline.context["timeline"][0]["year"] == 2026
    cert = client.get(reverse("activities:honor_certificate", args=[honor.pk]))
    assert cert.status_code == 200 and "attachment" in cert["Content-Disposition"]


def test_honor_needs_organization_or_person(client_for, league_secretary):
    form = (
        client_for(league_secretary)
        .post(
            reverse("activities:honor_create"),
            {"title": "x", "level": "city", "awarding_body": "y", "awarded_on": "2026-05-04"},
        )
        .context["form"]
    )
    assert form.has_error("organization", "who")


def test_honor_certificate_upload_is_validated(client_for, league_secretary, orgs):
    form = (
        client_for(league_secretary)
        .post(
            reverse("activities:honor_create"),
            {
                "organization": orgs.league.pk,
                "title": "五四红旗团委",
                "level": "province",
                "awarding_body": "共青团广东省委",
                "awarded_on": "2026-05-04",
                "certificate": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf"),
            },
        )
        .context["form"]
    )
    assert form.has_error("certificate", "bad_type")
    assert not Honor.objects.exists()


def test_honor_pages_access(client_for, outsider, viewer, league_secretary, orgs, students):
    org_honor = HonorFactory(
        organization=orgs.league,
        level=HonorLevel.PROVINCE,
        title="五四红旗团委",
        certificate=SimpleUploadedFile("c.png", PNG_BYTES),
    )
    person_honor = HonorFactory(organization=orgs.class1, person=students[0], title="优秀共青团员")
    client = client_for(outsider)
    assert client.get(reverse("activities:honors_for_org", args=[orgs.league.pk])).status_code == 404
    assert client.get(reverse("activities:honors_for_person", args=[students[0].pk])).status_code == 404
    assert client.get(reverse("activities:honor_certificate", args=[org_honor.pk])).status_code == 404
    assert client.get(reverse("activities:honor_edit", args=[person_honor.pk])).status_code == 404
    assert "五四红旗团委" not in client.get(reverse("activities:honor_list")).content.decode()
    client = client_for(viewer)
    assert client.get(reverse("activities:honors_for_org", args=[orgs.league.pk])).status_code == 200
    assert client.get(reverse("activities:honor_certificate", args=[org_honor.pk])).status_code == 200
    assert client.get(reverse("activities:honor_edit", args=[org_honor.pk])).status_code == 403
    assert client.post(reverse("activities:honor_delete", args=[org_honor.pk])).status_code == 403
    client = client_for(league_secretary)
    page = client.get(reverse("activities:honors_for_org", args=[orgs.league.pk]))
    assert [h.title for y in page.context["timeline"] for h in y["honors"]] == ["五四红旗团委"]
    assert client.post(reverse("activities:honor_delete", args=[person_honor.pk])).status_code == 302
    assert Honor.history.filter(id=person_honor.pk, history_type="-").exists()


def test_pages_render_in_chinese(client_for, league_secretary, activity):
    client = client_for(league_secretary)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "人次" in page and "牵头组织" in page


def test_list_totals_cover_the_whole_filtered_set(client_for, league_secretary, orgs, students):
    """The figure above the list is the sum over every matching activity, not only the page shown."""
    from activities import services

    for i in range(30):
        a = ActivityFactory(organization=orgs.class1, service_hours=Decimal("1.5"), starts_on=date(2026, 3, 1 + i % 28))
        services.participants_add(activity=a, people=students[:2])
    ActivityFactory(organization=orgs.class1, category="sports")
    page = client_for(league_secretary).get(reverse("activities:list"), {"category": "volunteer"})
    totals = page.context["totals"]
    assert (totals.activities, totals.person_times, totals.hours) == (30, 60, Decimal("90.0"))
    assert len(page.context["page_obj"]) == 25
    assert "30 activities · 60 person-times · 90.0 hours" in page.content.decode()


def test_participant_writes_refused_to_outsiders_and_viewers(client_for, outsider, viewer, activity, orgs, students):
    from activities import services

    p = services.participants_add(activity=activity, people=[students[0]])[0]
    h = services.head_count_set(activity=activity, organization=orgs.class1, count=5)
    posts = [
        (reverse("activities:head_count_add", args=[activity.pk]), {"organization": orgs.class1.pk, "count": 50}),
        (reverse("activities:participation_remove", args=[activity.pk, p.pk]), {}),
        (reverse("activities:head_count_remove", args=[activity.pk, h.pk]), {}),
        (reverse("activities:participants", args=[activity.pk]), {"organizations": [orgs.class1.pk]}),
    ]
    for user, status in ((outsider, 404), (viewer, 403)):
        client = client_for(user)
        for url, data in posts:
            assert client.post(url, data).status_code == status, (user, url)
    assert activity.participations.count() == 1
    assert activity.head_counts.get().count == 5


def test_outsider_lists_show_nothing_of_others(client_for, outsider, activity, orgs):
    HonorFactory(organization=orgs.class1, title="五四红旗团支部")
    client = client_for(outsider)
    assert "敬老院志愿服务" not in client.get(reverse("activities:list")).content.decode()
    assert "五四红旗团支部" not in client.get(reverse("activities:honor_list")).content.decode()
    assert (
        client.get(reverse("activities:list"), {"organizer": orgs.class1.pk}).context["page_obj"].paginator.count == 0
    )


def test_export_follows_the_filters(client_for, league_secretary, outsider, norole_user, activity, orgs):
    import io

    from openpyxl import load_workbook

    ActivityFactory(organization=orgs.class2, title="篮球赛", category="sports")
    # The factory's activities are of 2026: name the year (without a period the export covers this year).
    response = client_for(league_secretary).get(
        reverse("activities:export"), {"category": "volunteer", "period": "year:2026"}
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["敬老院志愿服务", "Total"]
    response = client_for(outsider).get(reverse("activities:export"), {"period": "year:2026"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["Total"]
    assert client_for(norole_user).get(reverse("activities:export")).status_code == 403
