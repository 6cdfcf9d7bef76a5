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

from .narrative import TOKEN_RE, all_tables, figure_labels, format_value, sanitize, scope_of

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


# --- Word ---------------------------------------------------------------------------------------------
# The Word file is a 公文 (GB/T 9704 conventions, docs/DESIGN): A4 with 37/35/28/26 mm margins, the title in
# 小标宋 (二号), the body in 仿宋 三号 with a two-character first-line indent and 28 pt lines, level-one headings
# 一、 in 黑体 and level-two (一) in 楷体, plain tables, the charts as images, "— 1 —" at the foot, and the
# 落款 (organization and date in full) at the end. Fonts a school PC may lack are named with a fallback in
# the font table, so Word substitutes an installed one instead of a Latin default.

TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体"
LATIN_FONT = "Times New Roman"
FONT_FALLBACKS = {
    # font → (alternative names Word tries, panose family); 仿宋_GB2312 is the name older PCs carry.
    "方正小标宋简体": ("宋体", "roman"),
    "仿宋": ("仿宋_GB2312,FangSong", "modern"),
    "仿宋_GB2312": ("仿宋,FangSong", "modern"),
    "黑体": ("SimHei", "modern"),
    "楷体": ("楷体_GB2312,KaiTi", "modern"),
}
BODY_PT, TITLE_PT, TABLE_PT, LINE_PT = 16, 22, 12, 28
PPR_AFTER_AUTOSPACE = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
LEVEL_TWO_RE = re.compile(r"^\s*（[一二三四五六七八九十]+）")


def _fonts(target, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Fonts of a run or style: Latin letters and digits in `latin`, Chinese in `east_asian`."""
    from docx.oxml.ns import qn

    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _font_table(doc) -> None:
    """Name the Chinese fonts with their fallbacks in word/fontTable.xml (w:altName)."""
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, (alt, family) in FONT_FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc) -> dict:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    def paragraph_style(name, east_asian, size, *, indent=False, align=None, bold=False, outline=None):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(style, east_asian)
        _no_auto_space(style)
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else size * 1.5)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        if indent:
            _first_line_chars(style, 2, size)
        if align is not None:
            fmt.alignment = align
        if outline is not None:
            _outline_level(style, outline)
        return style

    normal = doc.styles["Normal"]
    _no_auto_space(normal)
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(normal, BODY_FONT)
    return {
        "title": paragraph_style("公文标题", TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER),
        "body": paragraph_style("公文正文", BODY_FONT, BODY_PT, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "h1": paragraph_style("一级标题", HEI_FONT, BODY_PT, indent=True, outline=0),
        "caption": paragraph_style("表题", HEI_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER),
        "table": paragraph_style("表格文字", BODY_FONT, TABLE_PT),
        "signature": paragraph_style("落款", BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT),
        "footer": paragraph_style("页码", LATIN_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER),
    }


def _first_line_chars(style_or_para, chars: int, size: int) -> None:
    """A first-line indent of `chars` characters (w:firstLineChars, with the width in twips for readers
    that ignore it)."""
    from docx.oxml.ns import qn

    ind = style_or_para.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * size * 20))


def _no_auto_space(style) -> None:
    """No space added between Chinese and Latin letters or digits ("2026年", not "2026 年")."""
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        # Schema order matters (Word refuses a misplaced element): before these successors.
        ppr.insert_element_before(ppr.makeelement(qn(tag), {qn("w:val"): "0"}), *PPR_AFTER_AUTOSPACE)


def _outline_level(style, level: int) -> None:
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    el = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(level)})
    ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _page(doc) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)


def _page_number_footer(doc, style) -> None:
    """ "— 1 —" at the foot of every page: a PAGE field between two dashes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = doc.sections[0].footer.paragraphs[0]
    para.style = style
    para.add_run("— ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._r.append(el)
    para.add_run(" —")


class _DocxWriter(HTMLParser):
    """Writes the few tags a narrative may hold (p, br, strong, em, ul, ol, li) as 公文 body paragraphs; a
    paragraph opening with (一) gets its heading phrase (up to the first 。) in 楷体."""

    def __init__(self, document, styles: dict):
        super().__init__()
        self.doc = document
        self.styles = styles
        self.para = None
        self.bold = self.italic = False
        self.lists: list[list] = []  # [tag, counter]

    def _new_para(self):
        self.para = self.doc.add_paragraph(style=self.styles["body"])
        self.level_two = None  # None: not decided yet; True while inside the (一) heading phrase

    def _ensure_para(self):
        if self.para is None:
            self._new_para()

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._new_para()
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            self._new_para()
            if self.lists:
                self.lists[-1][1] += 1
                kind, n = self.lists[-1]
                self._run(f"{n}. " if kind == "ol" else "• ")
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
        if self.level_two is None:
            self.level_two = bool(LEVEL_TWO_RE.match(data))
        if self.level_two:
            head, stop, rest = data.partition("。")
            self._run(head + stop, font=KAI_FONT)
            if stop:
                self.level_two = False
                if rest:
                    self._run(rest)
            return
        self._run(data)

    def _run(self, text, font=None):
        run = self.para.add_run(text)
        run.bold = self.bold or None
        run.italic = self.italic or None
        if font:
            _fonts(run, font)
        return run


def _core_properties(doc, summary, author: str) -> None:
    from django.utils import timezone

    props = doc.core_properties
    now = timezone.now().replace(microsecond=0)
    props.author = author
    props.last_modified_by = author
    props.title = summary.title
    props.subject = str(summary.period.label)
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.created = summary.created_at.replace(microsecond=0) if getattr(summary, "created_at", None) else now
    props.modified = (summary.finalized_at or now).replace(microsecond=0)
    printed = props._element.find(
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"
    )
    if printed is not None:  # the template's own date (2013)
        props._element.remove(printed)
    props.revision = max(1, getattr(summary, "version", 1) or 1)


def docx_bytes(context: dict) -> bytes:
    from django.utils.translation import gettext as _
    from docx import Document
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm

    from . import charts
    from .document import date_in_full, signed_on

    summary = context["summary"]
    compiled = context["compiled"]
    figures = compiled.get("figures", {})
    doc = Document()
    _page(doc)
    _font_table(doc)
    styles = _styles(doc)
    _page_number_footer(doc, styles["footer"])
    _core_properties(doc, summary, summary.organization.name)
    doc.add_paragraph(summary.title, style=styles["title"])
    doc.add_paragraph("", style=styles["body"])
    for section in context["sections"]:
        if section["number"]:  # the introduction has no heading, as on the page and in the PDF
            doc.add_paragraph(f"{section['number']}{section['title']}", style=styles["h1"])
        text = TOKEN_RE.sub(lambda m: format_value(figures.get(m.group(1))), sanitize(section["obj"].narrative))
        writer = _DocxWriter(doc, styles)
        writer.feed(text)
        writer.close()
        for table in section["tables"]:
            _docx_table(doc, table, styles)
    # The 落款 closes the text; the charts follow as an appendix on a page of their own.
    doc.add_paragraph("", style=styles["body"])
    sign = doc.add_paragraph(summary.organization.name, style=styles["signature"])
    sign.paragraph_format.keep_with_next = True
    doc.add_paragraph(context.get("signed_on") or date_in_full(signed_on(summary)), style=styles["signature"])
    images = charts.png_charts(compiled)
    if images:
        heading = doc.add_paragraph(_("Appendix: charts"), style=styles["h1"])
        heading.paragraph_format.page_break_before = True
        for png in images:
            para = doc.add_paragraph(style=styles["caption"])
            para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact height clips a picture
            para.add_run().add_picture(io.BytesIO(png), width=Mm(150))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_table(doc, table: dict, styles: dict) -> None:
    """A plain table: thin black borders, no shading, header row repeated on each page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    caption = doc.add_paragraph(str(table["title"]), style=styles["caption"])
    caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table["headers"]))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for attr, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(attr), val)
        borders.append(el)
    grid._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    header = grid.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_pr.append(repeat)
    for cell, text in zip(header.cells, table["headers"], strict=True):
        para = cell.paragraphs[0]
        para.style = styles["table"]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(para.add_run(str(text)), HEI_FONT)
    for row in table["rows"]:
        for cell, data in zip(grid.add_row().cells, row["cells"], strict=True):
            para = cell.paragraphs[0]
            para.style = styles["table"]
            run = para.add_run(data["text"])
            if data["num"]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row.get("total"):
                run.bold = True
    if table.get("note"):
        doc.add_paragraph(str(table["note"]), style=styles["table"])
    doc.add_paragraph("", style=styles["table"])


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
    for table in all_tables(compiled, figure_labels(summary.period), scope_of(summary.organization)):
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
