"""Roster import: xlsx and CSV (UTF-8 and GBK), a preview with per-row errors, all-or-nothing, and
re-imports that update instead of duplicating."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from members import roster
from members.models import Membership, Person, PoliticalStatus, RosterImport, StatusEvent

from . import factories as f

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
    "转正时间",
]


def csv_bytes(rows, encoding="gbk") -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_rows(orgs):
    idn = f.id_number(date(2010, 4, 5), 21)
    return [
        ["赵小明", "男", "2010-04-05", "学生", "2026", "1", "", idn, "", "共青团员", "2024-05-04", "", ""],
        ["钱晓红", "女", "2010/6/7", "学生", "2026", "（2）班", "", "", "13800138000", "群众", "", "", ""],
        [
            "孙老师",
            "女",
            "1980年3月4日",
            "教师",
            "",
            "",
            "第一党小组",
            "",
            "",
            "中共党员",
            "",
            "2003-06-01",
            "2004-06-10",
        ],
    ]


def upload(client, name, content):
    return client.post("/members/import/", {"file": SimpleUploadedFile(name, content)})


def test_gbk_csv_preview_then_confirm(client_for, admin_user, orgs):
    c = client_for(admin_user)
    response = upload(c, "花名册.csv", csv_bytes(good_rows(orgs), "gbk"))
    assert response.status_code == 302
    preview_url = response["Location"]
    page = c.get(preview_url)
    assert page.context["preview"].valid and page.context["preview"].creates == 3
    assert not Person.objects.exists()  # the preview writes nothing
    assert c.post(preview_url).status_code == 302
    zhao = Person.objects.get(name="赵小明")
    assert zhao.organization == orgs.class1 and zhao.political_status == PoliticalStatus.LEAGUE_MEMBER
    assert zhao.league_joined_on == date(2024, 5, 4)
    sun = Person.objects.get(name="孙老师")
    assert sun.organization == orgs.group1 and sun.political_status == PoliticalStatus.FULL_MEMBER
    assert sun.birth_date == date(1980, 3, 4)
    assert Person.objects.get(name="钱晓红").organization == orgs.class2
    assert Membership.objects.count() == 3
    assert RosterImport.objects.get().created_count == 3
    # Confirming twice does nothing more.
    c.post(preview_url)
    assert Person.objects.count() == 3


def test_utf8_csv_with_bom_is_read(admin_user, orgs):
    content = b"\xef\xbb\xbf" + csv_bytes(good_rows(orgs), "utf-8")
    preview = roster.parse("r.csv", content, admin_user)
    assert preview.valid and [r.values["name"] for r in preview.rows] == ["赵小明", "钱晓红", "孙老师"]


def test_reimport_updates_never_duplicates(admin_user, orgs):
    rows = good_rows(orgs)
    preview = roster.parse("r.xlsx", xlsx_bytes(rows), admin_user)
    assert roster.apply(preview) == (3, 0)
    events = StatusEvent.objects.count()
    preview = roster.parse("r.xlsx", xlsx_bytes(rows), admin_user)
    assert preview.updates == 3 and preview.creates == 0
    assert roster.apply(preview) == (0, 0)  # nothing changed
    rows[1][8] = "13900139000"  # 钱晓红's phone changed: matched by name within the class
    rows[0][5] = "2"  # 赵小明 moved to class 2: matched by ID number
    assert roster.apply(roster.parse("r.xlsx", xlsx_bytes(rows), admin_user)) == (0, 2)
    assert Person.objects.count() == 3 and StatusEvent.objects.count() == events
    assert Person.objects.get(name="钱晓红").phone == "13900139000"
    zhao = Person.objects.get(name="赵小明")
    assert zhao.organization == orgs.class2
    assert Membership.objects.filter(person=zhao).count() == 2


def test_xlsx_with_errors_lists_them_per_row_and_writes_nothing(client_for, admin_user, orgs):
    idn = f.id_number(date(2010, 4, 5), 22)
    rows = [
        ["", "男", "2010-04-05", "学生", "2026", "1", "", "", "", "群众", "", "", ""],  # missing name
        ["甲", "男", "2010-13-45", "学生", "2026", "1", "", "", "", "群众", "", "", ""],  # bad date
        ["乙", "男", "2010-04-05", "学生", "2026", "1", "", idn, "", "群众", "", "", ""],
        ["丙", "男", "2010-04-05", "学生", "2026", "1", "", idn, "", "群众", "", "", ""],  # duplicate ID
        ["丁", "男", "2010-04-05", "学生", "2019", "9", "", "", "", "群众", "", "", ""],  # unknown class
        ["戊", "男", "2010-04-05", "学生", "2026", "1", "", "11010119850520001X", "", "群众", "", "", ""],  # checksum
        ["己", "男", "", "学生", "2026", "1", "", "", "", "共青团员", "", "", ""],  # League member without date
        ["庚", "男", "", "教师", "", "", "不存在的党小组", "", "", "群众", "", "", ""],  # unknown group
    ]
    c = client_for(admin_user)
    response = upload(c, "roster.xlsx", xlsx_bytes(rows))
    page = c.get(response["Location"])
    preview = page.context["preview"]
    errors = {r.line: " ".join(r.errors) for r in preview.rows}
    assert "Name missing" in errors[2]
    assert "Bad date" in errors[3]
    assert errors[4] == ""
    assert "Duplicate ID number: also on line 4" in errors[5]
    assert "Unknown class" in errors[6]
    assert "check character" in errors[7]
    assert "入团时间" in errors[8]
    assert "Unknown Party group" in errors[9]
    assert not preview.valid
    assert "Confirm the import" not in page.content.decode()
    c.post(response["Location"])
    assert not Person.objects.exists()


def test_import_only_into_organizations_the_user_edits(admin_user, class_secretary, orgs):
    rows = good_rows(orgs)
    preview = roster.parse("r.xlsx", xlsx_bytes(rows), class_secretary)
    errors = [bool(r.errors) for r in preview.rows]
    assert errors == [False, True, True]  # class 2 and the Party group are not theirs


def test_id_number_of_someone_elsewhere_is_refused(admin_user, orgs):
    idn = f.id_number(date(1985, 5, 20), 30)
    f.person(orgs.group2, name="原有", id_number=idn)
    rows = [["新人", "男", "", "学生", "2026", "1", "", idn, "", "群众", "", "", ""]]
    preview = roster.parse("r.xlsx", xlsx_bytes(rows), admin_user)
    assert preview.rows[0].errors


def test_template_has_chinese_headers(client_for, admin_user, viewer):
    response = client_for(admin_user).get("/members/import/template/")
    header = [c.value for c in load_workbook(BytesIO(response.content)).active[1]]
    assert header[:3] == ["姓名*", "性别", "出生日期"]
    assert roster.parse("t.xlsx", response.content, admin_user).rows  # the template itself reads back
    assert client_for(viewer).get("/members/import/template/").status_code == 403


def test_bad_files_are_refused_politely(client_for, admin_user, viewer):
    c = client_for(admin_user)
    assert upload(c, "x.txt", b"hello").status_code == 200
    response = upload(c, "x.xlsx", b"not a zip at all")
    page = c.get(response["Location"])
    assert page.status_code == 200 and "cannot be read" in page.content.decode()
    assert client_for(viewer).get("/members/import/").status_code == 403


def test_someone_elses_import_is_404(client_for, admin_user, branch_secretary, orgs):
    c = client_for(admin_user)
    response = upload(c, "r.csv", csv_bytes(good_rows(orgs)))
    assert client_for(branch_secretary).get(response["Location"]).status_code == 404
