"""The one way this project writes spreadsheets and CSV files. Every export goes through it.

Why one writer:

- **Text, never formulas.** A resident types a wish title; staff open the export in Excel.
  A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
  run as a formula (OWASP "CSV injection"): ``=HYPERLINK(...)`` leaks the next cell,
  ``=cmd|' /C calc'!A0`` starts a program. In .xlsx such text is written as a string cell
  (openpyxl would otherwise store it as a formula) with Excel's quote prefix, so it stays
  text even when someone edits the cell. In CSV, which has no cell types, it is prefixed
  with ``'`` as OWASP recommends.
- **Identifiers stay identifiers.** Rooms, phones and codes are text cells formatted ``@``,
  so 0101 stays 0101 and a clerk who retypes it in Excel, WPS or LibreOffice keeps text.
- **Dates are dates**, in local time, so the office can sort and filter by them.
- **File names in Chinese** reach every browser: ``filename`` carries an ASCII fallback,
  ``filename*`` (RFC 5987/6266) the real name.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

TEXT = "text"  # free text typed by someone: names, titles, notes
ID = "id"  # rooms, phones, codes, form numbers: text formatted "@", never a number
DATE = "date"
DATETIME = "datetime"
NUMBER = "number"
KINDS = (TEXT, ID, DATE, DATETIME, NUMBER)

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading (a translated string of its own), what kind of
    value it holds, and its width in characters."""

    header: str | Promise
    kind: str = TEXT
    width: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_value(value) -> str:
    """A value as CSV text; text a spreadsheet would run as a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


class CsvWriter:
    """``csv.writer`` that passes every value through ``csv_value``."""

    def __init__(self, buffer, **kwargs):
        self._writer = csv.writer(buffer, **kwargs)

    def writerow(self, values: Iterable) -> None:
        self._writer.writerow([csv_value(value) for value in values])


def set_cell(cell, value, kind: str = TEXT):
    """Give ``cell`` (a worksheet cell or a write-only cell) ``value`` as a ``kind`` value.
    Returns the cell."""
    if kind == ID:
        cell.number_format = TEXT_FORMAT
        if value is None or value == "":
            return cell
        value = str(value)
    if isinstance(value, datetime):
        cell.value = _local(value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        if value == "":
            return cell
        cell.value = value
        cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula
        if looks_like_formula(value):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
        return cell
    if value is None or isinstance(value, bool | int | float | Decimal):
        cell.value = value
        return cell
    return set_cell(cell, str(value), kind)


class SheetWriter:
    """A write-only worksheet with typed columns: a bold header row, frozen, then rows
    whose values are written by ``set_cell`` according to their column."""

    def __init__(self, workbook, title: str, columns: Sequence[Column], *, header_font=None, header_fill=None):
        self.sheet = workbook.create_sheet(title)
        self.columns = list(columns)
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(self.columns, start=1):
            if column.width:
                self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        header = []
        for column in self.columns:
            cell = set_cell(WriteOnlyCell(self.sheet), str(column.header))
            cell.font = header_font or Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if header_fill is not None:
                cell.fill = header_fill
            header.append(cell)
        self.sheet.append(header)

    def cells(self, values: Sequence) -> list:
        """The cells of one row, not yet appended (so a caller can style some of them)."""
        return [
            set_cell(WriteOnlyCell(self.sheet), value, column.kind)
            for column, value in zip(self.columns, values, strict=True)
        ]

    def append(self, values: Sequence) -> None:
        self.sheet.append(self.cells(values))


def content_disposition(filename: str, *, fallback: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the real (Chinese) name
    in ``filename*``, percent-encoded UTF-8 as RFC 5987 prescribes."""
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in fallback)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content, *, filename: str, fallback: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """A file download; ``content`` is bytes, or an open binary file that is streamed and
    closed."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    return response


def _local(value: datetime) -> datetime:
    """Excel has no time zones: local wall-clock time, naive."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)
