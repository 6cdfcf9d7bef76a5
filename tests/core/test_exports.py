"""The shared Excel writer (write-only, rows from an iterator) and the member and activity exports that
use it: filters and period, the row limit, a flat query count."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import exports
from core.exports import Sheet, workbook_bytes, xlsx_response
from members.models import Category, ExportLog
from tests.activities.factories import ActivityFactory, ParticipationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_workbook_streams_rows_from_an_iterator_with_styled_header_and_safe_cells():
    consumed = []

    def rows():
        for i in range(1, 501):
            consumed.append(i)
            yield [i, f"第{i}行", date(2026, 1, 1) + timedelta(days=i)]
        yield [None, '=HYPERLINK("http://x")', "+1"]

    data = workbook_bytes([Sheet("人员", ["序号", "名称很长的一列", "日期"], rows()), Sheet("二", ["a"], [])])
    assert consumed[-1] == 500
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == ["人员", "二"]
    ws = wb["人员"]
    assert ws.max_row == 502
    assert [c.value for c in ws[1]] == ["序号", "名称很长的一列", "日期"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("F2DCDB")
    assert ws.freeze_panes == "A2"
    assert ws["B501"].value == "第500行" and ws["C2"].value.date() == date(2026, 1, 2)
    # Formula injection: shown as text, never evaluated.
    assert ws["B502"].value == '\'=HYPERLINK("http://x")' and ws["C502"].value == "'+1"
    assert ws.column_dimensions["B"].width >= len("名称很长的一列") * 2


def test_xlsx_response_is_a_download_with_the_filename():
    response = xlsx_response("党员名册.xlsx", [Sheet("s", ["h"], [[1]])])
    assert response["Content-Type"] == exports.XLSX
    assert "filename*=UTF-8''%E5%85%9A" in response["Content-Disposition"]


def test_too_many_rows_is_a_translated_refusal_beyond_the_limit(monkeypatch):
    from django.utils import translation

    assert exports.too_many_rows(exports.MAX_EXPORT_ROWS) is None
    assert "20,001 rows" in exports.too_many_rows(exports.MAX_EXPORT_ROWS + 1)
    with translation.override("zh-hans"):
        assert "筛选" in exports.too_many_rows(exports.MAX_EXPORT_ROWS + 1)


def _students(org, n):
    for i in range(n):
        PersonFactory(name=f"学生{i:03d}", category=Category.STUDENT, organization=org, birth_date=date(2009, 1, 1))


def test_member_export_has_a_flat_query_count(client_for, admin_user, orgs, django_assert_num_queries):
    _students(orgs.class1, 3)
    c = client_for(admin_user)
    c.get(reverse("members:export"))  # warm-up (sessions, caches)
    with CaptureQueriesContext(connection) as small:
        assert c.get(reverse("members:export")).status_code == 200
    _students(orgs.class2, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        response = c.get(reverse("members:export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 43
    assert rows[0][1:6:2] == ("Male", "Student", "Masses")  # gender, category, status: translated labels
    c.cookies["django_language"] = "zh-hans"
    zh = load_workbook(BytesIO(c.get(reverse("members:export")).content)).active
    assert [cell.value for cell in zh[2]][1:6:2] == ["男", "学生", "群众"]
    assert ExportLog.objects.order_by("-pk").first().rows == 43


def test_member_export_beyond_the_limit_is_refused_with_a_message(monkeypatch, client_for, admin_user, orgs):
    _students(orgs.class1, 3)
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 2)
    c = client_for(admin_user)
    response = c.get(reverse("members:export"), {"category": "student"})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:list") + "?category=student"
    assert "3 rows are too many" in str(list(get_messages(response.wsgi_request))[0])
    assert not ExportLog.objects.exists()
    # Narrowed below the limit, the file comes.
    assert c.get(reverse("members:export"), {"q": "学生001"}).status_code == 200


def test_activity_export_defaults_to_this_year_and_follows_the_period_picker(client_for, admin_user, orgs):
    this_year = timezone.localdate().year
    now = ActivityFactory(organization=orgs.class1, title="今年的志愿服务", starts_on=date(this_year, 1, 10))
    ParticipationFactory(activity=now, person=PersonFactory(organization=orgs.class1, category=Category.STUDENT))
    ActivityFactory(organization=orgs.class1, title="去年的志愿服务", starts_on=date(this_year - 1, 6, 1))
    c = client_for(admin_user)

    def rows(**params):
        response = c.get(reverse("activities:export"), params)
        assert response.status_code == 200
        return list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))

    default = rows()
    assert [r[1] for r in default] == ["今年的志愿服务", "Total"]
    assert default[0][6] == 1 and default[-1][6] == 1
    assert default[-1][0] == f"Year {this_year}"
    last_year = rows(period=f"year:{this_year - 1}")
    assert [r[1] for r in last_year] == ["去年的志愿服务", "Total"]
    assert last_year[-1][6] == 0


def test_activity_export_has_a_flat_query_count_and_a_limit(
    monkeypatch, client_for, admin_user, orgs, django_assert_num_queries
):
    day = date(timezone.localdate().year, 1, 10)
    ActivityFactory.create_batch(2, organization=orgs.class1, starts_on=day)
    c = client_for(admin_user)
    c.get(reverse("activities:export"))
    with CaptureQueriesContext(connection) as small:
        c.get(reverse("activities:export"))
    for a in ActivityFactory.create_batch(30, organization=orgs.class2, starts_on=day):
        ParticipationFactory(activity=a, person=PersonFactory(organization=orgs.class2, category=Category.STUDENT))
    with django_assert_num_queries(len(small.captured_queries)):
        response = c.get(reverse("activities:export"))
    assert len(list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2))) == 33
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 10)
    response = c.get(reverse("activities:export"), {"category": "volunteer"})
    assert response.status_code == 302 and response["Location"] == reverse("activities:list") + "?category=volunteer"
