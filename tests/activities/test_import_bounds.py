"""The participants import reads a workbook within bounds, whatever size the sheet declares."""

import io
import tracemalloc
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from activities import services
from tests.activities.factories import ActivityFactory
from tests.members.test_import_bounds import declare_dimension

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def activity(orgs):
    return ActivityFactory(organization=orgs.league, service_hours=Decimal("2.0"))


def workbook(cells: dict, *, ref: str | None = None, name="participants.xlsx") -> io.BytesIO:
    """A workbook holding `cells` ({(line, column): value}), its declared dimension patched to `ref`."""
    wb = Workbook()
    for (line, column), value in cells.items():
        wb.active.cell(row=line, column=column, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    content = declare_dimension(buf.getvalue(), ref) if ref else buf.getvalue()
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def parse_measured(activity, upload):
    tracemalloc.start()
    try:
        result = services.participants_import_parse(activity=activity, upload=upload)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_workbook_declaring_a1_xfd1048576_is_read_in_little_memory(activity, students):
    """Five cells under a declared A1:XFD1048576: rows used to be padded to 16,384 cells each (1,500 rows:
    about 200 MB)."""
    cells = {
        (1, 1): "姓名",
        (1, 2): "班级",
        (2, 1): "张伟",
        (2, 2): "高一(1)班",
        (1500, 1): "刘洋",
        (1500, 2): "高一(2)班",
    }
    upload = workbook(cells, ref="A1:XFD1048576")
    assert len(upload.getvalue()) < 10_000
    result, peak = parse_measured(activity, upload)
    assert peak < 20 * MB, f"{peak / MB:.1f} MB"
    assert result.ok, result.errors
    assert [(r.line, r.person.name) for r in result.rows] == [(2, "张伟"), (1500, "刘洋")]


def test_a_workbook_with_rows_beyond_the_limit_is_refused_in_little_memory(activity, students):
    cells = {(1, 1): "姓名", (1, 2): "班级", (2, 1): "张伟", (2, 2): "高一(1)班"}
    cells[(services.MAX_IMPORT_ROWS + 2, 1)] = "刘洋"
    result, peak = parse_measured(activity, workbook(cells, ref="A1:XFD1048576"))
    assert peak < 20 * MB, f"{peak / MB:.1f} MB"
    assert result.errors == [
        f"The sheet has more than {services.MAX_IMPORT_ROWS} rows below its header; split it into several files."
    ]


def test_too_many_columns_and_overlong_cells_are_refused(activity, students):
    wide = {(1, 1): "姓名", (1, 2): "班级", (1, services.IMPORT_LIMITS.columns + 1): "多余"}
    result = services.participants_import_parse(activity=activity, upload=workbook(wide))
    assert f"more than {services.IMPORT_LIMITS.columns} columns" in result.errors[0]
    long = {(1, 1): "姓名", (1, 2): "班级", (2, 1): "张" * 501, (2, 2): "高一(1)班"}
    result = services.participants_import_parse(activity=activity, upload=workbook(long))
    assert result.errors == ["Cell A2 holds more than 500 characters."]


def test_the_import_page_refuses_a_forged_workbook_with_a_message(client_for, league_secretary, activity, students):
    upload = workbook({(1, 1): "姓名", (1, 2): "班级"}, ref="A1:XFE1048577")
    page = client_for(league_secretary).post(
        reverse("activities:participants_import", args=[activity.pk]), {"file": upload}
    )
    assert page.status_code == 200
    assert "larger than Excel allows" in page.content.decode()
    assert page.context["token"] is None
