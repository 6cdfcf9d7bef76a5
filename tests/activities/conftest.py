import io

import pytest
from openpyxl import Workbook

from members.models import Category
from tests.factories import PersonFactory


@pytest.fixture
def students(orgs):
    """Three students in 高一（1）班 and two in 高一（2）班."""
    c1 = [PersonFactory(name=n, category=Category.STUDENT, organization=orgs.class1) for n in ("张伟", "王芳", "李娜")]
    c2 = [PersonFactory(name=n, category=Category.STUDENT, organization=orgs.class2) for n in ("刘洋", "陈静")]
    return c1 + c2


def xlsx_file(rows, name="participants.xlsx"):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
