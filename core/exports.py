"""Excel (.xlsx) exports shared by every app: one call builds a workbook with one sheet per table and
returns it as a download.

The workbook is written in openpyxl's write-only mode: rows are taken one at a time from `Sheet.rows`
(a list, or better a generator over `queryset.iterator()`) and streamed into the file, so memory stays
flat whatever the number of rows. Column widths are sized from the header and the first
`WIDTH_SAMPLE` rows (write-only sheets need them before the first row).

Every export of personal data is logged by its view once the file is built (`core.audit.log_export`,
`Counted` counts the rows on the way)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import chain, islice
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_SAMPLE = 200  # rows read ahead to size the columns
MAX_EXPORT_ROWS = 20_000  # beyond this an export asks for a narrower filter (see `too_many_rows`)


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def _safe_cell(value):
    # Spreadsheet formula injection: text starting with = + - @ is shown, never evaluated.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _width(value) -> int:
    return min(60, len(str(value if value is not None else "")) * 2 + 2)


def _write_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(title=str(sheet.title)[:31] or "Sheet")
    rows = iter(sheet.rows)
    sample = [[_safe_cell(v) for v in row] for row in islice(rows, WIDTH_SAMPLE)]
    widths = [len(str(h)) * 2 + 2 for h in sheet.headers]
    for row in sample:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(v))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    font, fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
    header = []
    for h in sheet.headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font, cell.fill = font, fill
        header.append(cell)
    ws.append(header)
    for row in chain(sample, ([_safe_cell(v) for v in row] for row in rows)):
        ws.append(row)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file of `sheets`; each sheet's rows are consumed once, in order."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class Counted:
    """Rows passed through while counted, for the export's log entry (`core.audit.log_export`): the rows
    stream into the file once, and `count` says how many went."""

    def __init__(self, rows: Iterable[Sequence]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def too_many_rows(count: int) -> str | None:
    """The message an export view shows (instead of the file) when its filtered list holds more than
    `MAX_EXPORT_ROWS` rows; None when the export may go ahead."""
    if count <= MAX_EXPORT_ROWS:
        return None
    return _(
        "%(count)s rows are too many for one Excel file (at most %(max)s): narrow the list with its filters "
        "or the period, then export again."
    ) % {"count": f"{count:,}", "max": f"{MAX_EXPORT_ROWS:,}"}
