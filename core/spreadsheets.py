"""Reading an uploaded table (.xlsx or .csv) within fixed bounds, for every import of the project.

A spreadsheet's cost is not its size on disk: a 40 KB workbook can declare the sheet A1:XFD1048576, and
openpyxl's read-only mode pads every row it returns to the width (and fills the gaps between rows up to
the height) of that declared `<dimension>`, so a small file took hundreds of MB. Here:

- the package is checked before anything is unpacked (how many parts, how large once unpacked);
- the declared dimension is checked (beyond Excel's own sheet size the file is forged) and then ignored:
  rows are read with an explicit width of `Limits.columns + 1`, so openpyxl never pads beyond it;
- a sheet with data in more rows or columns than the limits, a cell longer than `Limits.cell_chars` or
  more text than `Limits.text_chars` in all is refused with a message that says which limit it passed;
- a CSV file is held to the same limits, to `Limits.file_bytes`, and to lines no longer than a row within
  the limits can be.

`read_table` returns the rows as lists of plain values (str, int, float, bool or None; dates as ISO
text), JSON-ready, so an import can keep what it parsed instead of reading the file again. Blank rows
inside the table are kept as empty lists (an error can name the row's line in the sheet); blank rows at
the end and empty cells at the end of a row are dropped.

Refusals are `ValidationError`s with a code and plain params (`refusal`): `error_text` words
a stored code and params again in the current language.
"""

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

# Excel's own sheet size: a workbook declaring more was not written by a spreadsheet program.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384


@dataclass(frozen=True)
class Limits:
    rows: int = 5000  # rows below the header (the sheet's first row)
    columns: int = 40
    cell_chars: int = 2000
    text_chars: int = 4_000_000  # all cells together, as text
    file_bytes: int = 10 * 1024 * 1024  # the file as uploaded
    unpacked_bytes: int = 32 * 1024 * 1024  # an .xlsx once unpacked, every part together
    parts: int = 200  # parts of an .xlsx package
    # openpyxl streams a worksheet but parses the other XML parts whole, at many times their size (an
    # 8 MB styles.xml took 170 MB): those are held to a size far above what a spreadsheet program writes.
    xml_part_bytes: int = 1024 * 1024
    shared_strings_bytes: int = 4 * 1024 * 1024


MESSAGES = {
    "not_table": _("Upload an .xlsx or .csv file."),
    "not_xlsx": _("Upload an Excel workbook (.xlsx)."),
    "bad_xlsx": _("This file could not be read as an Excel workbook (.xlsx)."),
    "bad_csv": _("This file could not be read as a CSV file."),
    "encoding": _("The CSV file is neither UTF-8 nor GBK."),
    "too_large": _("The file is too large (%(size)s); the limit is %(limit)s."),
    "zip_limits": _(
        "This package holds more than %(parts)s parts or unpacks to more than %(size)s: it is not accepted."
    ),
    "part_too_large": _(
        "The workbook's part %(part)s is larger than %(size)s: it is not accepted. Save the sheet again as a new "
        "workbook."
    ),
    "bad_dimension": _("The workbook declares a sheet larger than Excel allows (%(ref)s): it is not accepted."),
    "too_many_rows": _("The sheet has more than %(n)s rows below its header; split it into several files."),
    "too_many_columns": _("The sheet has more than %(n)s columns; keep only the columns the import reads."),
    "line_too_long": _("Line %(line)s is longer than %(n)s characters."),
    "cell_too_long": _("Cell %(cell)s holds more than %(n)s characters."),
    "too_much_text": _("The sheet holds more than %(n)s characters in all; split it into several files."),
}


def refusal(code: str, **params) -> ValidationError:
    """A refused file: its `code` and `params` (plain values) let the refusal be stored and worded again
    later (`error_text`)."""
    return ValidationError(MESSAGES[code], code=code, params=params)


def error_text(code: str, params: dict | None = None) -> str:
    """The refusal `code` (with `params`) in the current language; an unknown code reads as an unreadable file."""
    message = MESSAGES.get(code, MESSAGES["not_table"])
    return str(message) % (params or {}) if params else str(message)


def read_upload(upload, *, limits: Limits = Limits(), formats=("xlsx", "csv")) -> list[list]:
    """`read_table` on an uploaded file, reading at most one byte more than the limit."""
    upload.seek(0)
    content = upload.read(limits.file_bytes + 1)
    return read_table(getattr(upload, "name", "") or "", content, limits=limits, formats=formats)


def read_table(filename: str, content: bytes, *, limits: Limits = Limits(), formats=("xlsx", "csv")) -> list[list]:
    """The rows of the file's first sheet (see the module's docstring). Raises `ValidationError` (see `refusal`)."""
    extension = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if extension not in formats:
        raise refusal("not_xlsx" if tuple(formats) == ("xlsx",) else "not_table")
    if len(content) > limits.file_bytes:
        raise refusal("too_large", size=filesizeformat(len(content)), limit=filesizeformat(limits.file_bytes))
    if extension == "xlsx":
        return _read_xlsx(content, limits)
    return _read_csv(content, limits)


def _read_xlsx(content: bytes, limits: Limits) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise refusal("bad_xlsx") from exc
    # zipfile never unpacks a part beyond the size its directory states, so these sizes bound the reading.
    if len(parts) > limits.parts or sum(p.file_size for p in parts) > limits.unpacked_bytes:
        raise refusal("zip_limits", parts=limits.parts, size=filesizeformat(limits.unpacked_bytes))
    for part in parts:
        limit = _part_limit(part.filename, limits)
        if limit is not None and part.file_size > limit:
            raise refusal("part_too_large", part=part.filename[:100], size=filesizeformat(limit))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or disguised package
        raise refusal("bad_xlsx") from exc
    try:
        if not book.worksheets:
            raise refusal("bad_xlsx")
        sheet = book.worksheets[0]
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > EXCEL_MAX_ROWS or declared_columns > EXCEL_MAX_COLUMNS:
            raise refusal("bad_dimension", ref=f"{declared_columns}×{declared_rows}")
        # Not trusted beyond that: read every row there is, never wider than one column past the limit.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, min_col=1, max_col=limits.columns + 1, values_only=True)
        return _collect(rows, limits)
    except ValidationError:
        raise
    except Exception as exc:  # a malformed sheet part
        raise refusal("bad_xlsx") from exc
    finally:
        book.close()


def _part_limit(name: str, limits: Limits) -> int | None:
    """The most a part may unpack to on its own; None when only the total bounds it (the worksheets,
    which are streamed, and what openpyxl does not parse: pictures and other binary parts)."""
    name = name.lower()
    if name.startswith("xl/worksheets/") or not name.endswith((".xml", ".rels")):
        return None
    return limits.shared_strings_bytes if name == "xl/sharedstrings.xml" else limits.xml_part_bytes


def _read_csv(content: bytes, limits: Limits) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refusal("encoding")
    try:
        return _collect(csv.reader(_lines(text, limits)), limits)
    except csv.Error as exc:
        raise refusal("bad_csv") from exc


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


def _lines(text: str, limits: Limits):
    """The text's lines (as a file opened with newline="" gives them to `csv`), refusing a line longer
    than a row within the limits can be (every cell full and quoted): the csv module would build a list
    of every field of it first (a 10 MB line of commas took 150 MB)."""
    longest = limits.columns * (limits.cell_chars + 3)
    for number, match in enumerate(_LINE.finditer(text), start=1):
        if match.end() - match.start() > longest:
            raise refusal("line_too_long", line=number, n=longest)
        yield match.group()


def _blank(row) -> bool:
    if not row:
        return True
    if isinstance(row, tuple) and row.count(None) == len(row):  # the usual empty xlsx row, counted in C
        return True
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _plain(value):
    """A cell as a JSON-ready value: dates as ISO text (a date-time at midnight as its date)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _collect(rows, limits: Limits) -> list[list]:
    """Take rows from an iterator until it ends, refusing the table as soon as it passes a limit."""
    table: list[list] = []
    blank_run = 0  # blank rows seen since the last row with data: kept only if data follows
    chars = 0
    last_row = limits.rows + 1  # the header and the rows below it
    seen_blank = None  # openpyxl fills a gap between rows with one shared tuple: know it at a glance
    for line, row in enumerate(rows, start=1):
        if row is seen_blank or _blank(row):
            seen_blank = row
            blank_run += 1
            continue
        if line > last_row:
            raise refusal("too_many_rows", n=limits.rows)
        if len(row) > limits.columns and not _blank(row[limits.columns :]):
            raise refusal("too_many_columns", n=limits.columns)
        cells = [_plain(v) for v in row[: limits.columns]]
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        for column, value in enumerate(cells, start=1):
            if value is None:
                continue
            size = len(value) if isinstance(value, str) else len(str(value))
            if size > limits.cell_chars:
                raise refusal("cell_too_long", cell=f"{get_column_letter(column)}{line}", n=limits.cell_chars)
            chars += size
        if chars > limits.text_chars:
            raise refusal("too_much_text", n=limits.text_chars)
        table.extend([] for _ in range(blank_run))
        blank_run = 0
        table.append(cells)
    return table
