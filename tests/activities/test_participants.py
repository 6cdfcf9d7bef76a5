"""Picking participants: whole classes with exceptions, head counts, the Excel import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services
from activities.models import Activity, HeadCount, Participation
from members.models import Category
from tests.activities.conftest import xlsx_file
from tests.activities.factories import ActivityFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(orgs):
    return ActivityFactory(organization=orgs.league, service_hours=Decimal("2.0"))


def test_whole_classes_with_exceptions(activity, orgs, students):
    """高一（1）班 and 高一（2）班 chosen, two names unticked: the other three take part."""
    created = services.participants_add_from_organizations(
        activity=activity, organizations=[orgs.class1, orgs.class2], exclude=[students[1], students[3]]
    )
    assert len(created) == 3
    names = set(activity.participations.values_list("person__name", flat=True))
    assert names == {"张伟", "李娜", "陈静"}


def test_adding_again_skips_people_already_taking_part(activity, orgs, students):
    services.participants_add(activity=activity, people=[students[0]], hours=Decimal("5"))
    created = services.participants_add_from_organizations(activity=activity, organizations=[orgs.class1])
    assert len(created) == 2
    assert Participation.objects.get(activity=activity, person=students[0]).hours == Decimal("5")


def test_inactive_people_and_other_schools_are_not_picked(activity, orgs, students):
    students[0].is_active = False
    students[0].save()
    services.participants_add_from_organizations(activity=activity, organizations=[orgs.league])
    assert activity.participations.count() == 4


def test_picking_by_view_unticks_exceptions(client_for, league_secretary, activity, orgs, students):
    client = client_for(league_secretary)
    url = reverse("activities:participants", args=[activity.pk])
    page = client.get(url, {"organizations": [orgs.class1.pk, orgs.class2.pk]})
    assert page.status_code == 200
    assert "刘洋" in page.content.decode()
    ticked = [s.pk for s in students if s.name not in ("王芳", "刘洋")]
    response = client.post(url, {"organizations": [orgs.class1.pk, orgs.class2.pk], "people": ticked, "hours": "1.5"})
    assert response.status_code == 302
    assert set(activity.participations.values_list("person__name", flat=True)) == {"张伟", "李娜", "陈静"}
    assert set(activity.participations.values_list("hours", flat=True)) == {Decimal("1.5")}


def test_head_count_is_recorded_and_corrected(client_for, league_secretary, activity, orgs):
    client = client_for(league_secretary)
    url = reverse("activities:head_count_add", args=[activity.pk])
    client.post(url, {"organization": orgs.class2.pk, "count": 40})
    client.post(url, {"organization": orgs.class2.pk, "count": 38, "hours_per_head": "1.0"})
    head = HeadCount.objects.get(activity=activity)
    assert (head.count, head.hours_per_head) == (38, Decimal("1.0"))
    assert Activity.objects.get(pk=activity.pk).person_times == 38


def test_head_count_must_be_positive(activity, orgs):
    with pytest.raises(ValidationError):
        services.head_count_set(activity=activity, organization=orgs.class1, count=0)


def test_remove_participant_and_head_count(client_for, league_secretary, activity, orgs, students):
    p = services.participants_add(activity=activity, people=[students[0]])[0]
    h = services.head_count_set(activity=activity, organization=orgs.class2, count=3)
    client = client_for(league_secretary)
    client.post(reverse("activities:participation_remove", args=[activity.pk, p.pk]))
    client.post(reverse("activities:head_count_remove", args=[activity.pk, h.pk]))
    assert not activity.participations.exists()
    assert not activity.head_counts.exists()


# --- Excel import -----------------------------------------------------------------------------


def test_import_parses_names_with_class_or_id(activity, orgs, students):
    PersonFactory(name="赵敏", category=Category.STUDENT, organization=orgs.class2, id_number="44142320100101123X")
    upload = xlsx_file(
        [
            ("姓名", "班级", "身份证号", "时长"),
            ("张伟", "高一(1)班", "", ""),
            ("刘洋", "高一（2）班团支部", "", "3"),
            ("赵敏", "", "44142320100101123x", ""),
        ]
    )
    result = services.participants_import_parse(activity=activity, upload=upload)
    assert result.ok, [r.errors for r in result.rows]
    assert [r.person.name for r in result.rows] == ["张伟", "刘洋", "赵敏"]
    assert result.rows[1].hours == Decimal("3.0")
    services.participants_import(activity=activity, result=result)
    assert activity.participations.count() == 3


def test_import_with_errors_writes_nothing(activity, orgs, students):
    PersonFactory(name="张伟", category=Category.STUDENT, organization=orgs.class1)  # a second 张伟 in class 1
    upload = xlsx_file(
        [
            ("姓名", "班级", "时长"),
            ("王芳", "高一(1)班", ""),  # fine
            ("张伟", "高一(1)班", ""),  # ambiguous
            ("李娜", "高一(2)班", ""),  # wrong class
            ("无此人", "高一(1)班", ""),  # unknown
            ("陈静", "高一(2)班", "两小时"),  # bad hours
            ("", "高一(2)班", ""),  # no name
            ("王芳", "高一(1)班", ""),  # duplicate of row 2
        ]
    )
    result = services.participants_import_parse(activity=activity, upload=upload)
    assert not result.ok
    errors = {r.line: " ".join(r.errors) for r in result.rows}
    assert errors[2] == ""
    assert "Several people" in errors[3]
    assert "not in class" in errors[4]
    assert "No one you may add" in errors[5]
    assert "not a number" in errors[6]
    assert "name is missing" in errors[7]
    assert "Same person as row 2" in errors[8]
    with pytest.raises(ValidationError):
        services.participants_import(activity=activity, result=result)
    assert not activity.participations.exists()


def test_import_refuses_files_that_are_not_xlsx(activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.participants_import_parse(
        activity=activity, upload=SimpleUploadedFile("list.xlsx", b"not a zip at all")
    )
    assert not result.ok and result.errors
    result = services.participants_import_parse(activity=activity, upload=xlsx_file([("名字",)], name="list.csv"))
    assert "xlsx" in result.errors[0]


def test_import_requires_a_header(activity, students):
    result = services.participants_import_parse(activity=activity, upload=xlsx_file([("张伟", "高一(1)班")]))
    assert not result.ok
    assert "first row" in result.errors[0]


def test_import_view_previews_then_confirms(client_for, league_secretary, activity, students):
    client = client_for(league_secretary)
    url = reverse("activities:participants_import", args=[activity.pk])
    bad = xlsx_file([("姓名", "班级"), ("张伟", "高一(1)班"), ("无此人", "高一(1)班")])
    page = client.post(url, {"file": bad})
    assert page.status_code == 200
    assert "nothing was written" in page.content.decode()
    assert page.context["token"] is None
    assert not activity.participations.exists()
    good = xlsx_file([("姓名", "班级"), ("张伟", "高一(1)班"), ("陈静", "高一(2)班")])
    page = client.post(url, {"file": good})
    assert not activity.participations.exists()  # previewing writes nothing
    token = page.context["token"]
    assert token
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert activity.participations.count() == 2


def test_import_token_is_bound_to_its_activity(client_for, league_secretary, activity, orgs, students):
    client = client_for(league_secretary)
    url = reverse("activities:participants_import", args=[activity.pk])
    token = client.post(url, {"file": xlsx_file([("姓名", "班级"), ("张伟", "高一(1)班")])}).context["token"]
    other = ActivityFactory(organization=orgs.league)
    client.post(reverse("activities:participants_import", args=[other.pk]), {"token": token})
    assert not other.participations.exists()
    client.post(url, {"token": token + "x"})
    assert not activity.participations.exists()


def test_import_sees_only_people_the_user_may_see(client_for, class_secretary, orgs, students):
    """A class secretary's import cannot find (nor reveal) students of another class."""
    PersonFactory(name="赵敏", category=Category.STUDENT, organization=orgs.class2, id_number="44142320100101123X")
    activity = ActivityFactory(organization=orgs.class1)
    client = client_for(class_secretary)
    upload = xlsx_file(
        [
            ("姓名", "班级", "身份证号"),
            ("张伟", "高一(1)班", ""),
            ("刘洋", "高一(2)班", ""),
            ("某某", "", "44142320100101123X"),
        ]
    )
    page = client.post(reverse("activities:participants_import", args=[activity.pk]), {"file": upload})
    rows = page.context["result"].rows
    assert rows[0].person == students[0]
    assert "No one you may add" in rows[1].errors[0]
    assert rows[2].errors == ["No one you may add has this ID number."]
    assert "赵敏" not in page.content.decode()


def test_import_template_download(client_for, class_secretary, outsider, orgs):
    activity = ActivityFactory(organization=orgs.class1)
    response = client_for(class_secretary).get(reverse("activities:participants_template", args=[activity.pk]))
    assert response.status_code == 200
    result = services.participants_import_parse(
        activity=activity, upload=xlsx_file([("姓名", "班级", "身份证号", "时长")])
    )
    assert "no participant rows" in result.errors[0]
    assert client_for(outsider).get(reverse("activities:participants_template", args=[activity.pk])).status_code == 404


def test_a_refused_head_count_says_why_with_the_field_label(client_for, league_secretary, activity, orgs):
    client = client_for(league_secretary)
    url = reverse("activities:head_count_add", args=[activity.pk])
    response = client.post(url, {"organization": orgs.class2.pk, "count": 0}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "The head count was not recorded: Head count:" in text
    assert "count:" not in text.replace("Head count:", "")  # the label, never the raw field name
    assert not HeadCount.objects.filter(activity=activity).exists()
    client.cookies["django_language"] = "zh-hans"
    response = client.post(url, {"organization": orgs.class2.pk, "count": 0}, follow=True)
    assert "人数：" in " ".join(str(m) for m in response.context["messages"])
