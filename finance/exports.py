"""The finance Excel exports, written with openpyxl's write-only workbook: rows are taken one at a time
from an iterator (a `queryset.iterator()` over `values_list`) and streamed into a temporary file, so
the memory of an export does not grow with its rows. Independent of `core.exports` on purpose (same
look: bold shaded header, frozen first row, formula-like text neutralised)."""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    header: str
    width: int = 12  # in characters (write-only sheets need widths before the first row)


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]  # consumed once, in order


def safe(value):
    """Spreadsheet formula injection: text starting with = + - @ is shown, never evaluated."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_xlsx(tables: Sequence[Table], out) -> None:
    wb = Workbook(write_only=True)
    font, fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    for table in tables:
        ws = wb.create_sheet(title=str(table.title)[:31] or "Sheet")
        for i, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(column.width, len(str(column.header)) * 2 + 2)
        ws.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=str(column.header))
            cell.font, cell.fill = font, fill
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append([safe(v) for v in row])
    wb.save(out)


def xlsx_download(filename: str, tables: Sequence[Table]) -> HttpResponse:
    """The workbook as a download. The rows go to a temporary file as they are read; only the finished,
    compressed file is held in memory."""
    with tempfile.TemporaryFile() as out:
        write_xlsx(tables, out)
        out.seek(0)
        response = HttpResponse(out.read(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
