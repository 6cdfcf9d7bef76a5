"""The roster import reads a file once and within bounds (rows, columns, cell length, size, unpacked size),
whatever the sheet declares; every value is checked against its field before anything is written, and a
row refused on writing is named instead of giving a server error."""

import io
import re
import tracemalloc
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from members import roster
from members.models import Person, RosterImport

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
    "备注",
]
MB = 1024 * 1024


def row(name="赵小明", *, id_number="", phone="", notes="", status="群众", joined=""):
    return [name, "男", "", "学生", "2026", "1", "", id_number, phone, status, joined, notes]


def xlsx_bytes(rows, *, at=None) -> bytes:
    """A workbook of `rows` from line 1; `at` adds rows at given lines ({line: row})."""
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for line, values in (at or {}).items():
        for column, value in enumerate(values, start=1):
            ws.cell(row=line, column=column, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def declare_dimension(content: bytes, ref: str, extra_parts: dict | None = None) -> bytes:
    """The same workbook with its first sheet's `<dimension>` patched to `ref` (and parts added or replaced)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            if info.filename in (extra_parts or {}):
                continue
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', data)
                assert n == 1
            package.writestr(info.filename, data)
        for name, data in (extra_parts or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    return ("\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n").encode("utf-8")


def peak_memory(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def upload(client, name, content):
    response = client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return response["Location"]


def test_a_workbook_declaring_a1_xfd1048576_is_read_in_little_memory(admin_user, orgs):
    """A handful of cells under a declared A1:XFD1048576 (16,384 columns): openpyxl used to pad every row
    to that width (3,000 rows × 16,384 cells: hundreds of MB). Read within bounds, it takes a few MB, and
    line numbers are the sheet's own."""
    content = declare_dimension(xlsx_bytes([HEADER, row("赵小明")], at={3000: row("钱晓红")}), "A1:XFD1048576")
    assert len(content) < 10_000
    preview, peak = peak_memory(lambda: roster.parse("roster.xlsx", content, admin_user))
    assert peak < 20 * MB, f"{peak / MB:.1f} MB"
    assert preview.valid
    assert [(r.line, r.values["name"]) for r in preview.rows] == [(2, "赵小明"), (3000, "钱晓红")]


def test_a_workbook_with_data_beyond_the_row_limit_is_refused_in_little_memory(client_for, admin_user, orgs):
    content = declare_dimension(xlsx_bytes([HEADER, row()], at={roster.MAX_ROWS + 2: row("钱晓红")}), "A1:XFD1048576")
    _preview, peak = peak_memory(lambda: roster.parse("roster.xlsx", content, admin_user))
    assert peak < 20 * MB, f"{peak / MB:.1f} MB"
    client = client_for(admin_user)
    page = client.get(upload(client, "roster.xlsx", content))
    assert page.status_code == 200
    assert f"The sheet has more than {roster.MAX_ROWS} rows below its header" in page.content.decode()
    assert "Confirm the import" not in page.content.decode()


def test_a_csv_with_too_many_rows_is_refused(client_for, admin_user, orgs):
    content = csv_bytes([row(f"学生{i}") for i in range(roster.MAX_ROWS + 1)])
    client = client_for(admin_user)
    page = client.get(upload(client, "roster.csv", content))
    assert f"more than {roster.MAX_ROWS} rows" in page.content.decode()
    assert not page.context["preview"].rows
    assert len(roster.parse("roster.csv", csv_bytes([row(f"学生{i}") for i in range(3)]), admin_user).rows) == 3


def test_a_sheet_with_too_many_columns_is_refused(admin_user, orgs):
    wide = HEADER + [f"列{i}" for i in range(roster.LIMITS.columns - len(HEADER) + 1)]
    preview = roster.parse("roster.xlsx", xlsx_bytes([wide, row()]), admin_user)
    assert preview.errors == [
        f"The sheet has more than {roster.LIMITS.columns} columns; keep only the columns the import reads."
    ]


def test_a_declared_dimension_beyond_excel_is_refused(admin_user, orgs):
    content = declare_dimension(xlsx_bytes([HEADER, row()]), "A1:XFE1048577")
    preview = roster.parse("roster.xlsx", content, admin_user)
    assert "larger than Excel allows" in preview.errors[0]


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(admin_user, orgs):
    content = declare_dimension(
        xlsx_bytes([HEADER, row()]), "A1:L2", extra_parts={"xl/media/padding.bin": b"\0" * (40 * MB)}
    )
    assert len(content) < MB
    preview = roster.parse("roster.xlsx", content, admin_user)
    assert "unpacks to more than" in preview.errors[0]
    # openpyxl parses styles.xml whole, at about twenty times its size: an oversized one is refused unread.
    book = xlsx_bytes([HEADER, row()])
    styles = zipfile.ZipFile(io.BytesIO(book)).read("xl/styles.xml")
    bloated = styles.replace(b"</styleSheet>", b"<!--" + b"x" * (2 * MB) + b"--></styleSheet>")
    preview = roster.parse("roster.xlsx", declare_dimension(book, "A1:L2", {"xl/styles.xml": bloated}), admin_user)
    assert "xl/styles.xml is larger than" in preview.errors[0]


def test_an_overlong_cell_and_an_oversized_csv_are_refused(admin_user, orgs):
    preview = roster.parse("roster.csv", csv_bytes([row(), row(notes="长" * 1001)]), admin_user)
    assert preview.errors == ["Cell L3 holds more than 1000 characters."]
    commas = csv_bytes([row()]) + b"," * 100_000 + b"\r\n"  # 100,001 empty fields on one line
    longest = roster.LIMITS.columns * (roster.LIMITS.cell_chars + 3)
    assert roster.parse("roster.csv", commas, admin_user).errors == [f"Line 3 is longer than {longest} characters."]
    big = csv_bytes([row(notes="x" * 900) for _ in range(12_000)])
    assert len(big) > 10 * MB
    assert "The file is too large" in roster.parse("roster.csv", big, admin_user).errors[0]


def test_values_longer_than_their_fields_are_row_errors_and_the_confirmation_writes_nothing(
    client_for, admin_user, orgs
):
    """The preview used to call such a file valid, and the confirmation failed in the database."""
    rows = [
        row("赵" * 51),
        row("钱晓红", phone="1" * 31),
        ["孙老师", "女", "", "教师", "", "", "第一党小组", "", "", "中共党员", "", ""],  # no 入党时间
    ]
    client = client_for(admin_user)
    url = upload(client, "roster.csv", csv_bytes(rows))
    preview = client.get(url).context["preview"]
    errors = {r.line: r.errors for r in preview.rows}
    assert errors[2] == ["姓名 is longer than 50 characters."]
    assert errors[3] == ["手机 is longer than 30 characters."]
    response = client.post(url)
    assert response.status_code == 200
    assert "Correct the rows with errors first" in response.content.decode()
    assert not Person.objects.exists()


def test_a_full_member_converted_within_a_year_is_a_row_error(admin_user, orgs):
    header = [*HEADER[:10], "入党时间", "转正时间"]
    teacher = ["孙老师", "女", "", "教师", "", "", "第一党小组", "", "", "中共党员", "2020-06-01", "2020-12-01"]
    content = ("\r\n".join(",".join(r) for r in [header, teacher])).encode()
    preview = roster.parse("roster.csv", content, admin_user)
    assert preview.rows[0].errors == ["转正时间 comes at least one year after 入党时间."]


def test_a_row_refused_on_writing_is_named_and_nothing_is_written(admin_user, orgs):
    """Between the preview and the confirmation someone else registered the ID number: the import is
    refused whole, naming the line, instead of failing with a server error."""
    idn = f.id_number(date(2010, 4, 5), 61)
    preview = roster.parse("roster.csv", csv_bytes([row("钱晓红"), row("赵小明", id_number=idn)]), admin_user)
    assert preview.valid and preview.creates == 2
    f.student(orgs.class2, name="抢先", id_number=idn)
    with pytest.raises(ValidationError) as refused:
        roster.apply(preview, by=admin_user)
    assert "Line 3 could not be saved" in refused.value.messages[0]
    assert list(Person.objects.values_list("name", flat=True)) == ["抢先"]


def test_the_preview_page_does_not_read_the_file_again(client_for, admin_user, orgs, monkeypatch):
    client = client_for(admin_user)
    url = upload(client, "roster.xlsx", xlsx_bytes([HEADER, row("赵小明")]))

    def unreadable(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("members.roster.load_workbook", unreadable, raising=False)
    monkeypatch.setattr("core.spreadsheets.load_workbook", unreadable)
    page = client.get(url)
    assert page.status_code == 200 and page.context["preview"].valid
    assert client.post(url).status_code == 302
    assert Person.objects.get().name == "赵小明"
    assert RosterImport.objects.get().created_count == 1
