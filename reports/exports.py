"""Exports of a summary: PDF (WeasyPrint, CJK font embedded), Word (.docx) for further editing, and an
Excel workbook with one sheet per statistics table."""

import io
import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.exports import XLSX, Sheet, workbook_bytes  # noqa: F401  (XLSX re-exported for the view)

from .narrative import TOKEN_RE, all_tables, figure_labels, format_value, sanitize

PDF_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def _css() -> str:
    path = finders.find("reports/summary.css")
    with open(path, encoding="utf-8") as f:
        return f.read()


def pdf_bytes(context: dict) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("reports/summary_pdf.html", {**context, "css": _css()})
    return HTML(string=html, base_url=None).write_pdf()


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
            doc.add_paragraph(str(table["title"]), style="Caption")
            headers = [_("Figure"), _("This period"), _("Previous period")]
            if table["has_target"]:
                headers.append(_("Rule"))
            grid = doc.add_table(rows=1, cols=len(headers))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, headers, strict=True):
                cell.text = str(text)
            for row in table["rows"]:
                values = [row["label"], row["value"], "" if row["stock"] else row["previous"]]
                if table["has_target"]:
                    values.append(f"≥ {row['target']}")
                for cell, text in zip(grid.add_row().cells, values, strict=True):
                    cell.text = str(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- Excel ---------------------------------------------------------------------------------------------


def xlsx_bytes(summary, compiled: dict) -> bytes:
    figures = compiled.get("figures", {})
    labels = figure_labels(summary.period)
    sheets = []
    for table in all_tables(figures, labels):
        headers = [_("Figure"), _("This period"), _("Previous period")]
        if table["has_target"]:
            headers += [_("Rule"), _("Met")]
        rows = []
        for row in table["rows"]:
            fig = figures[row["key"]]
            values = [row["label"], _number(fig["value"]), None if row["stock"] else _number(fig["previous"])]
            if table["has_target"]:
                values += [row["target"], _("yes") if row["met"] else _("no")]
            rows.append(values)
        sheets.append(Sheet(title=_sheet_title(str(table["title"])), headers=headers, rows=rows))
    return workbook_bytes(sheets)


def _number(value):
    if value is None:
        return None
    if isinstance(value, str):
        from decimal import Decimal

        return Decimal(value)
    return value


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]\*\?/\\:]", " ", title)[:31]
