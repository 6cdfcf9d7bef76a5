import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from reports.services import summary_create, summary_finalize

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(year, party_secretary):
    with translation.override("zh-hans"):
        s = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    summary_finalize(summary=s, by=party_secretary)
    return s


@pytest.fixture
def zh_client(party_secretary, client_for):
    client = client_for(party_secretary)
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdf_embeds_a_cjk_font_and_holds_the_chinese_text(summary, zh_client, tmp_path):
    response = zh_client.get(reverse("reports:pdf", args=[summary.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "s.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line.split("Identity-H", 1)[-1] or " yes" in line for line in cjk)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "城南中学" in text and "组织建设" in text
    assert "共上党课2次" in text.replace("\n", "")


def test_docx_opens_and_contains_the_figures(summary, zh_client):
    from docx import Document

    response = zh_client.get(reverse("reports:docx", args=[summary.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共上党课2次，参加22人次" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "党课" in cells and "22" not in text.split("共上党课")[0]


def test_xlsx_has_one_sheet_per_table_with_the_figures(summary, zh_client):
    from openpyxl import load_workbook

    response = zh_client.get(reverse("reports:xlsx", args=[summary.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) >= 4
    with translation.override("zh-hans"):
        by_type = wb[translation.gettext("Meetings by type")]
    rows = {r[0]: r for r in by_type.iter_rows(min_row=2, values_only=True)}
    assert rows["党课"][1:3] == (2, 1)  # numbers, not text


def test_exports_of_another_branch_are_404(summary, outsider, client_for):
    client = client_for(outsider)
    for name in ("reports:pdf", "reports:docx", "reports:xlsx"):
        assert client.get(reverse(name, args=[summary.pk])).status_code == 404


def test_pdf_is_laid_out_in_a_child_process_and_its_failure_is_reported(monkeypatch, tmp_path):
    """WeasyPrint runs in a short-lived process (the web worker keeps no font memory); when it fails the
    error says why instead of sending a broken file."""
    from reports import exports

    pdf = exports.html_to_pdf("<html><body><p>党建带团建</p></body></html>")
    assert pdf.startswith(b"%PDF-")
    broken = tmp_path / "broken.py"
    broken.write_text("import sys; sys.stderr.write('no fonts here'); sys.exit(3)\n")
    monkeypatch.setattr(exports, "PDF_RENDERER", broken)
    with pytest.raises(RuntimeError, match="no fonts here"):
        exports.html_to_pdf("<p>x</p>")
