"""The roster import and the person forms act only on the people the user may edit.

An ID number in an imported row that belongs to someone outside the importer's editable organizations
(another branch, another school in the same database) is a row error worded the same wherever that
person is: the row neither moves nor changes them, and the preview says nothing about them (no "update",
no status on file, no name or organization). The person forms refuse such a number in the same words.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import roster
from members.models import Category, Membership, Person, PoliticalStatus
from tests.conftest import build_school
from tests.members import factories as f

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "类别",
    "年级",
    "班级",
    "党组织",
    "身份证号",
    "手机",
    "政治面貌",
    "入团时间",
    "入党时间",
]
REFUSED = "This ID number cannot be used."


def csv_upload(rows) -> SimpleUploadedFile:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return SimpleUploadedFile("花名册.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def student_row(name, id_number, *, phone="13800000000", status="预备党员", cls="1"):
    """A row putting someone into 高一（cls）班; 预备党员 differs from what a student has on file."""
    return [name, "女", "", "学生", "2026", cls, "", id_number, phone, status, "2022-05-04", "2025-06-01"]


def upload_and_preview(client, rows):
    response = client.post(reverse("members:import"), {"file": csv_upload(rows)})
    assert response.status_code == 302
    url = response["Location"]
    return url, client.get(url)


@pytest.fixture
def north(orgs):
    """A second school in the same database, with a League member of its class 1 on file."""
    other = build_school("城北中学")
    idn = f.id_number(date(2010, 3, 8), 41)
    student = f.student(other.class1, name="北中学生", birth=date(2010, 3, 8), id_number=idn, phone="13911112222")
    return other, student


def test_a_class_secretary_cannot_take_over_a_student_of_another_school(client_for, class_secretary, orgs, north):
    other, student = north
    client = client_for(class_secretary)
    url, page = upload_and_preview(client, [student_row("冒名", student.id_number)])
    preview = page.context["preview"]
    assert page.status_code == 200
    assert [r.errors for r in preview.rows] == [[REFUSED]]
    assert preview.updates == 0 and preview.creates == 0 and not preview.rows[0].notices
    body = page.content.decode()
    for secret in ("北中学生", "城北中学", "13911112222", "Status on file", "League member"):
        assert secret not in body
    response = client.post(url)
    assert response.status_code == 200
    assert "Correct the rows with errors first" in response.content.decode()
    student.refresh_from_db()
    assert student.organization == other.class1 and student.phone == "13911112222"
    assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
    assert not Membership.objects.filter(person=student, organization=orgs.class1).exists()

    # The same secretary still updates a student of their own class, matched by ID number.
    idn = f.id_number(date(2010, 5, 6), 44)
    mine = f.student(orgs.class1, name="一班学生", birth=date(2010, 5, 6), id_number=idn, phone="13600000000")
    url, page = upload_and_preview(client, [student_row("一班学生", idn, phone="13611112222", status="共青团员")])
    assert page.context["preview"].valid and page.context["preview"].updates == 1
    assert client.post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.phone == "13611112222" and mine.organization == orgs.class1


def test_an_id_number_elsewhere_reads_the_same_in_another_class_and_another_school(
    client_for, class_secretary, orgs, north
):
    """Whether the holder is in the next class of the same school or in another school, the row error
    is the same words: nothing tells one place from another."""
    _other, far = north
    near = f.student(orgs.class2, name="二班学生", birth=date(2010, 7, 1), id_number=f.id_number(date(2010, 7, 1), 42))
    _url, page = upload_and_preview(
        client_for(class_secretary),
        [student_row("甲", far.id_number), student_row("乙", near.id_number)],
    )
    errors = [r.errors for r in page.context["preview"].rows]
    assert errors == [[REFUSED], [REFUSED]]
    assert "二班学生" not in page.content.decode()
    near.refresh_from_db()
    assert near.organization == orgs.class2


def test_a_branch_secretary_cannot_take_over_a_teacher_of_another_branch(client_for, branch_secretary, orgs):
    idn = f.id_number(date(1980, 2, 3), 43)
    teacher = f.full_member(orgs.group2, name="二支部教师", id_number=idn, phone="13700001111")
    client = client_for(branch_secretary)
    row = ["冒名", "女", "", "教师", "", "", "第一党小组", idn, "13800000000", "群众", "", ""]
    url, page = upload_and_preview(client, [row])
    preview = page.context["preview"]
    assert [r.errors for r in preview.rows] == [[REFUSED]]
    assert preview.updates == 0
    assert "二支部教师" not in page.content.decode() and "第二党" not in page.content.decode()
    client.post(url)
    teacher.refresh_from_db()
    assert teacher.organization == orgs.group2 and teacher.phone == "13700001111"


def test_the_league_secretary_moves_a_student_between_classes_of_their_school(
    client_for, league_secretary, orgs, north
):
    idn = f.id_number(date(2010, 5, 7), 45)
    moving = f.student(orgs.class1, name="转班学生", birth=date(2010, 5, 7), id_number=idn)
    _other, far = north
    client = client_for(league_secretary)
    rows = [student_row("转班学生", idn, cls="2", status="共青团员"), student_row("北", far.id_number)]
    url, page = upload_and_preview(client, rows)
    assert [r.errors for r in page.context["preview"].rows] == [[], [REFUSED]]
    url, page = upload_and_preview(client, rows[:1])
    assert client.post(url).status_code == 302
    moving.refresh_from_db()
    assert moving.organization == orgs.class2
    far.refresh_from_db()
    assert far.organization == _other.class1


def test_apply_refuses_a_person_moved_out_of_reach_since_the_preview(class_secretary, orgs):
    """The preview matched a student of the importer's class; she moved to class 2 before the
    confirmation: the import is refused naming the line, and she stays where she is."""
    idn = f.id_number(date(2010, 5, 8), 46)
    student = f.student(orgs.class1, name="刚转走", birth=date(2010, 5, 8), id_number=idn)
    content = ("\r\n".join([",".join(HEADER), ",".join(student_row("刚转走", idn, status="共青团员"))])).encode()
    preview = roster.parse("r.csv", content, class_secretary)
    assert preview.valid and preview.updates == 1
    Person.objects.filter(pk=student.pk).update(organization=orgs.class2)
    with pytest.raises(ValidationError) as refused:
        roster.apply(preview, by=class_secretary)
    assert "Line 2" in " ".join(refused.value.messages) and REFUSED in " ".join(refused.value.messages)
    student.refresh_from_db()
    assert student.organization == orgs.class2


def _person_data(org, id_number, **extra):
    return {
        "name": "新同学",
        "ethnicity": "汉族",
        "category": Category.STUDENT,
        "organization": org.pk,
        "id_number": id_number,
        "arrival-joined_on": "2025-09-01",
        "arrival-start_reason": "joined",
        "arrival-status": "masses",
        **extra,
    }


def test_the_person_form_refuses_an_id_number_of_another_school_naming_no_one(client_for, class_secretary, orgs, north):
    _other, far = north
    client = client_for(class_secretary)
    response = client.post(reverse("members:create"), _person_data(orgs.class1, far.id_number))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [REFUSED]
    body = response.content.decode()
    assert "北中学生" not in body and "already exists" not in body
    assert f"/members/{far.pk}/" not in body
    assert not Person.objects.filter(name="新同学").exists()


def test_the_person_edit_form_refuses_an_id_number_of_another_branch_naming_no_one(client_for, class_secretary, orgs):
    other = f.student(orgs.class2, name="二班某某", birth=date(2010, 9, 9), id_number=f.id_number(date(2010, 9, 9), 47))
    mine = f.student(orgs.class1, name="一班某某", birth=date(2010, 9, 9))
    data = _person_data(orgs.class1, other.id_number, name="一班某某", record_version=mine.version, gender="female")
    response = client_for(class_secretary).post(reverse("members:edit", args=[mine.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [REFUSED]
    assert "二班某某" not in response.content.decode()
    mine.refresh_from_db()
    assert mine.id_number is None
