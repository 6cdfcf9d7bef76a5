"""Exports of a summary: PDF (WeasyPrint, CJK font embedded), Word (.docx) for further editing, and an
Excel workbook with one sheet per statistics table."""

import base64
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from core.exports import XLSX  # noqa: F401  (re-exported for the view)

from .narrative import TOKEN_RE, all_tables, figure_labels, format_value, sanitize

PDF_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def _css() -> str:
    path = finders.find("reports/summary.css")
    with open(path, encoding="utf-8") as f:
        return f.read()


PDF_RENDERER = Path(__file__).with_name("pdfrender.py")
PDF_TIMEOUT_SECONDS = 120


def pdf_bytes(context: dict) -> bytes:
    # Charts as SVG images, not inline: WeasyPrint then styles their nodes once, apart from the page's
    # CSS cascade (about a third of the time of the whole PDF with inline SVG).
    images = [
        "data:image/svg+xml;base64," + base64.b64encode(_standalone(c).encode()).decode() for c in context["charts"]
    ]
    html = render_to_string("reports/summary_pdf.html", {**context, "css": _css(), "chart_images": images})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint in a child process (reports/pdfrender.py): the web worker's memory stays flat."""
    done = subprocess.run(  # noqa: S603  (our own script, our own interpreter, no shell)
        [sys.executable, "-I", str(PDF_RENDERER)],  # -I: not its own folder first (reports/selectors.py)
        input=html.encode("utf-8"),
        capture_output=True,
        timeout=PDF_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        raise RuntimeError(f"PDF rendering failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout


def _standalone(svg: str) -> str:
    if "xmlns=" not in svg[:300]:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return svg


# --- Word ----------------------------------------------------------------------------------------------


class _DocxWriter(HTMLParser):
    """Writes the few tags a narrative may hold (p, br, strong, em, ul, ol, li) into a python-docx
    document."""

    def __init__(self, document):
        super().__init__()
        self.doc = document
        self.para = None
        self.bold = self.italic = False
        self.lists: list[str] = []

    def _ensure_para(self):
        if self.para is None:
            self.para = self.doc.add_paragraph()

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.para = self.doc.add_paragraph()
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.para = self.doc.add_paragraph(style=style)
        elif tag == "strong":
            self.bold = True
        elif tag == "em":
            self.italic = True
        elif tag == "br":
            self._ensure_para()
            self.para.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.para = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "strong":
            self.bold = False
        elif tag == "em":
            self.italic = False

    def handle_data(self, data):
        if not data.strip() and self.para is None:
            return
        self._ensure_para()
        run = self.para.add_run(data)
        run.bold = self.bold or None
        run.italic = self.italic or None


def _set_east_asian_font(run_or_style, name: str):
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def docx_bytes(context: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    summary = context["summary"]
    figures = context["compiled"].get("figures", {})
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(12)
    _set_east_asian_font(normal, "宋体")
    title = doc.add_heading(summary.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(f"{context['school'].name} · {summary.period.label}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in context["sections"]:
        doc.add_heading(f"{section['number']}{section['title']}", level=1)
        text = TOKEN_RE.sub(lambda m: format_value(figures.get(m.group(1))), sanitize(section["obj"].narrative))
        writer = _DocxWriter(doc)
        writer.feed(text)
        writer.close()
        for table in section["tables"]:
            _docx_table(doc, table)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_table(doc, table: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph(str(table["title"]), style="Caption")
    grid = doc.add_table(rows=1, cols=len(table["headers"]))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table["headers"], strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table["rows"]:
        for cell, data in zip(grid.add_row().cells, row["cells"], strict=True):
            cell.text = data["text"]
            if data["num"]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row.get("total"):
                for run in cell.paragraphs[0].runs:
                    run.bold = True


# --- Excel ---------------------------------------------------------------------------------------------


NUMBER_FORMATS = {"int": "#,##0", "money": "#,##0.00", "hours": "#,##0"}
HOURS_WITH_DECIMAL = "#,##0.0"


def xlsx_bytes(summary, compiled: dict) -> bytes:
    """One sheet per table; numbers stay numbers (with a number format: thousands separators, two decimals
    for money, hours without pointless decimals)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in all_tables(compiled, figure_labels(summary.period)):
        ws = wb.create_sheet(title=_sheet_title(str(table["title"]), used))
        ws.append([str(h) for h in table["headers"]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [max(8, _width(str(h))) for h in table["headers"]]
        for r, row in enumerate(table["rows"], start=2):
            for c, data in enumerate(row["cells"], start=1):
                value = data["value"] if data["value"] is not None and data["kind"] != "rule" else data["text"]
                if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                    value = "'" + value  # formula injection: shown, never evaluated
                cell = ws.cell(row=r, column=c, value=value)
                if data["kind"] in NUMBER_FORMATS and not isinstance(value, str):
                    fmt = NUMBER_FORMATS[data["kind"]]
                    if data["kind"] == "hours" and value != int(value):
                        fmt = HOURS_WITH_DECIMAL
                    cell.number_format = fmt
                if row.get("total"):
                    cell.font = Font(bold=True)
                widths[c - 1] = max(widths[c - 1], min(60, _width(data["text"])))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
    if not wb.sheetnames:
        wb.create_sheet(title=_sheet_title(summary.title, used))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:27]} ({n})"
        n += 1
    used.add(name)
    return name
