"""The Word file is a 公文: A4 with the GB/T 9704 margins, 小标宋 title, 仿宋 三号 body with a two-character
indent, 黑体 headings, "— 1 —" page numbers, the 落款, and true file properties."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from reports.services import summary_create

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture
def docx(year, party_secretary, client_for) -> bytes:
    with translation.override("zh-hans"):
        summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
    client = client_for(party_secretary)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("reports:docx", args=[summary.pk]))
    assert response.status_code == 200
    return response.content


def xml(content: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return etree.fromstring(z.read(name))


def test_a4_page_with_the_official_margins(docx):
    sect = xml(docx, "word/document.xml").find(f".//{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert abs(int(size.get(f"{W}w")) - 210 * TWIPS_PER_MM) < 3
    assert abs(int(size.get(f"{W}h")) - 297 * TWIPS_PER_MM) < 3
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(margins.get(f"{W}{side}")) - mm * TWIPS_PER_MM) < 3, side


def test_fonts_indent_and_line_spacing(docx):
    styles = {
        s.findtext(f"{W}name/[@{W}val]") or s.find(f"{W}name").get(f"{W}val"): s
        for s in xml(docx, "word/styles.xml").iter(f"{W}style")
    }
    body, title, h1 = styles["公文正文"], styles["公文标题"], styles["一级标题"]
    assert body.find(f".//{W}rFonts").get(f"{W}eastAsia") == "仿宋"
    assert body.find(f".//{W}sz").get(f"{W}val") == "32"  # 三号 = 16 pt
    assert body.find(f".//{W}ind").get(f"{W}firstLineChars") == "200"
    assert body.find(f".//{W}spacing").get(f"{W}line") == "560"  # exactly 28 pt
    assert title.find(f".//{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert h1.find(f".//{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert body.find(f".//{W}color").get(f"{W}val") == "000000"
    fonts = xml(docx, "word/fontTable.xml")
    alt = {f.get(f"{W}name"): f.find(f"{W}altName") for f in fonts.iter(f"{W}font")}
    assert alt["方正小标宋简体"].get(f"{W}val") == "宋体"
    assert "仿宋_GB2312" in alt["仿宋"].get(f"{W}val")


def test_page_number_field_in_the_footer(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any("PAGE" in f and "— " in f and " —" in f for f in footers)


def test_same_sections_as_the_page_and_a_closing_signature(docx, year):
    from docx import Document

    doc = Document(io.BytesIO(docx))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert "引言" not in texts and "Introduction" not in texts
    assert "一、组织建设" in texts and "六、下一年度工作计划" in texts
    assert year.orgs.school.name in texts
    assert "2025年12月31日" in texts  # a draft is dated the period's last day, in full
    assert texts.index("2025年12月31日") > texts.index("六、下一年度工作计划")
    assert doc.inline_shapes, "the charts are in the file as images"


def test_core_properties_name_the_organization_and_true_dates(docx, year):
    from docx import Document

    props = Document(io.BytesIO(docx)).core_properties
    assert props.author == year.orgs.school.name and props.last_modified_by == year.orgs.school.name
    assert "python-docx" not in (props.author + props.last_modified_by + props.comments)
    this_year = timezone.now().year
    assert props.created.year == this_year and props.modified.year == this_year


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice (libreoffice-writer) is not installed")
@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_libreoffice_renders_it_on_a4_with_page_numbers(docx, tmp_path):
    path = tmp_path / "summary.docx"
    path.write_bytes(docx)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = tmp_path / "summary.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    numbers = re.findall(r"—\s*(\d+)\s*—", text)
    assert numbers[:2] == ["1", "2"] or {"1", "2"} <= set(numbers), numbers
    flat = re.sub(r"\s+", "", text)  # pdftotext spaces Chinese and Latin runs apart
    assert "组织建设" in flat and "2025年12月31日" in flat


def test_a_level_two_item_opens_in_kaiti(year, party_secretary):
    from docx import Document

    from reports import exports
    from reports.document import document_context
    from reports.models import SectionKey
    from reports.selectors import summary_with_sections

    with translation.override("zh-hans"):
        summary = summary_create(organization=year.orgs.school, period=year.period, by=party_secretary)
        plans = summary.sections.get(key=SectionKey.PLANS)
        plans.narrative = "<p>（一）深化党建带团建。每学期召开两次党团联席会议。</p>"
        plans.save()
        context = document_context(summary_with_sections(summary), {}, links=False, with_charts=False)
        doc = Document(io.BytesIO(exports.docx_bytes(context)))
    para = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    head, rest = para.runs[0], para.runs[1]
    assert head.text == "（一）深化党建带团建。" and rest.text.startswith("每学期")
    assert head._r.find(f".//{W}rFonts").get(f"{W}eastAsia") == "楷体"
    assert para.style.name == "公文正文"  # the rest of the paragraph is body text, indented
