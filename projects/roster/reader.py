"""Turn an uploaded roster file into a header map and raw rows, refusing anything that is
not really an .xlsx workbook or a CSV text file.

The extension says what the office meant to send; the content must agree with it, so a
photo or a text file renamed to .xlsx is refused before any parser sees it. Every refusal
is a ``RosterFileError`` with a message the office worker can act on.

Hostile workbooks are bounded by the work they cause, not only by their size:

- the unpacked size is capped before openpyxl opens the archive;
- before any row is read, each worksheet's declared ``<dimension>`` and the shared-strings
  count are checked, then every worksheet and the shared strings are streamed once through
  zlib, counting rows, cells and strings, and refused as soon as a count passes its cap
  (a 300 KB file of 200 MB of empty ``<row/>`` is refused after its first few hundred KB);
- while rows are read, blank rows count towards the row limit, and reading stops after
  ``PARSE_CPU_SECONDS`` of CPU time;
- the XML parser (expat ≥ 2.4) limits entity expansion (billion laughs).
"""

import csv
import io
import itertools
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from .columns import COLUMNS, EXAMPLE_MARKERS, HEADER_LOOKUP, normalise_header

HEADER_SEARCH_ROWS = 10  # offices often put a title row (e.g. "北门社区住户台账") above the header
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK, which Chinese Excel writes
XLSX_MAX_UNPACKED_RATIO = 50  # guard against zip bombs: unpacked size vs. the upload limit
BLANK_ROWS_ALLOWED = 10_000  # empty or formatted-but-empty rows beyond the row limit
CELLS_PER_ROW = 32  # a roster has 12 columns; room for notes the office adds
PARSE_CPU_SECONDS = 8.0  # CPU time of this thread, so a busy machine does not cut a good file
SCAN_CHUNK = 256 * 1024

_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,9})(?::\$?([A-Z]{1,3})\$?(\d{1,9}))?"')
_SST_COUNT_RE = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d{1,12})"')
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL_RE = re.compile(rb"<(?:\w+:)?c[\s/>]")
_STRING_RE = re.compile(rb"<(?:\w+:)?si[\s/>]")

_BINARY_MAGIC = (
    b"PK\x03\x04",  # zip (xlsx, docx…)
    b"\xd0\xcf\x11\xe0",  # OLE2 (.xls, .doc, encrypted xlsx)
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG",
    b"GIF8",
    b"%PDF",
    b"RIFF",
    b"\x1f\x8b",  # gzip
)


class RosterFileError(Exception):
    """The file as a whole cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RosterTable:
    file_format: str  # "xlsx" | "csv"
    columns: dict[str, int]  # column key → index in the row
    ignored_headers: list[str]
    skipped_examples: int = 0
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (spreadsheet row number, cells)


def read_roster(*, name: str, file, size: int, max_bytes: int, max_rows: int) -> RosterTable:
    """Read ``file`` (a binary file object) named ``name`` of ``size`` bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise RosterFileError(
            _("Old Excel 97–2003 files (.xls) are not supported. Open the file in Excel and save it as .xlsx.")
        )
    if extension not in ("xlsx", "csv"):
        raise RosterFileError(_("Only .xlsx (Excel) or .csv files can be imported."))
    if size == 0:
        raise RosterFileError(_("The file is empty."))
    if size > max_bytes:
        raise RosterFileError(
            _("The file is %(size)s; the limit is %(limit)s. Split the roster into several files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    file.seek(0)
    if extension == "csv":
        return _table([_csv_rows(file.read())], file_format="csv", max_rows=max_rows)
    workbook = _open_xlsx(file, max_bytes=max_bytes, max_rows=max_rows)
    try:
        return _table([_sheet_rows(sheet) for sheet in workbook.worksheets], file_format="xlsx", max_rows=max_rows)
    finally:
        workbook.close()  # read-only workbooks keep the archive open until closed


def row_cap(max_rows: int) -> int:
    """Rows read in all, blank ones included, before a file is refused."""
    return max_rows + HEADER_SEARCH_ROWS + BLANK_ROWS_ALLOWED


def too_many_rows(max_rows: int) -> RosterFileError:
    return RosterFileError(
        _(
            "The file has more than %(limit)s rows, counting empty ones. Delete the empty rows below the "
            "roster, or split the roster into several files."
        )
        % {"limit": f"{max_rows:,}"}
    )


def _open_xlsx(file, *, max_bytes: int, max_rows: int):
    head = file.read(4)
    file.seek(0)
    if head == b"\xd0\xcf\x11\xe0":
        raise RosterFileError(
            _(
                "This is an old .xls file or a password-protected workbook. Remove the password "
                "and save it as .xlsx in Excel."
            )
        )
    not_xlsx = _(
        "The file is not a real Excel (.xlsx) workbook; it may have been renamed. "
        "Open it in Excel and use “Save as” .xlsx."
    )
    if head != b"PK\x03\x04":
        raise RosterFileError(not_xlsx)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise RosterFileError(not_xlsx)
            if unpacked > max_bytes * XLSX_MAX_UNPACKED_RATIO:
                raise RosterFileError(
                    _("The workbook is too large once unpacked. Split the roster into several files.")
                )
            _scan_xlsx(archive, max_rows=max_rows)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise RosterFileError(not_xlsx) from error
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean the same here
        raise RosterFileError(_("The Excel file is damaged and cannot be read. Save it again in Excel.")) from error


def _scan_xlsx(archive: zipfile.ZipFile, *, max_rows: int) -> None:
    """Refuse a workbook whose worksheets or shared strings hold far more than a roster,
    before openpyxl reads any of it: declared sizes first, then counted ones."""
    rows_allowed = row_cap(max_rows)
    cells_allowed = rows_allowed * CELLS_PER_ROW
    too_many_cells = RosterFileError(
        _(
            "The workbook holds far more cells than a roster of %(limit)s rows. Delete the unused rows and "
            "columns in Excel and save it again, or split the roster into several files."
        )
        % {"limit": f"{max_rows:,}"}
    )
    for info in archive.infolist():
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            declared = _declared_dimension(archive, info)
            if declared is not None:
                rows, columns = declared
                if rows > rows_allowed:
                    raise RosterFileError(
                        _(
                            "The workbook says it has %(rows)s rows; the limit is %(limit)s. Delete the empty "
                            "rows below the roster, or split the roster into several files."
                        )
                        % {"rows": f"{rows:,}", "limit": f"{max_rows:,}"}
                    )
                if columns * min(rows, rows_allowed) > cells_allowed:
                    raise too_many_cells
            _count(
                archive,
                info,
                {_ROW_RE: (rows_allowed, too_many_rows(max_rows)), _CELL_RE: (cells_allowed, too_many_cells)},
            )
        elif name == "xl/sharedStrings.xml":
            with archive.open(info) as member:
                start = member.read(4096)
            declared = _SST_COUNT_RE.search(start)
            if declared and int(declared.group(1)) > cells_allowed:
                raise too_many_cells
            _count(archive, info, {_STRING_RE: (cells_allowed, too_many_cells)})


def _declared_dimension(archive, info) -> tuple[int, int] | None:
    """(rows, columns) from ``<dimension ref="A1:L2001"/>``, which sits near the top."""
    with archive.open(info) as member:
        start = member.read(8192)
    match = _DIMENSION_RE.search(start)
    if not match:
        return None
    first_column, first_row, last_column, last_row = match.groups()
    last_column, last_row = last_column or first_column, last_row or first_row
    rows = int(last_row) - int(first_row) + 1
    columns = column_index_from_string(last_column.decode()) - column_index_from_string(first_column.decode()) + 1
    return max(rows, 1), max(columns, 1)


def _count(archive, info, limits: dict) -> None:
    """Stream one member, counting each pattern; refuse as soon as a count passes its cap.
    The end of each chunk is searched again with the next one, so a tag split across two
    chunks is counted once."""
    counts = dict.fromkeys(limits, 0)
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(SCAN_CHUNK):
            window = tail + chunk
            for pattern, (limit, error) in limits.items():
                counts[pattern] += len(pattern.findall(window)) - len(pattern.findall(tail))
                if counts[pattern] > limit:
                    raise error
            tail = window[-16:]


def _sheet_rows(sheet):
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as error:  # malformed sheet XML surfaces only while iterating
        raise RosterFileError(_("The Excel file is damaged and cannot be read. Save it again in Excel.")) from error


def _csv_rows(data: bytes):
    sample = data[:8192]
    if any(sample.startswith(magic) for magic in _BINARY_MAGIC) or b"\x00" in sample:
        raise RosterFileError(
            _(
                "The file is not a CSV text file; it may have been renamed. In Excel use “Save as” CSV, or upload the .xlsx."
            )
        )
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterFileError(_("The CSV file's text encoding is not recognised. Save it as UTF-8 or GBK CSV."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _find_header(head: list) -> tuple[int, list] | None:
    """The first of the top rows that names every required column, and its row number."""
    required = {column.key for column in COLUMNS if column.required}
    for number, cells in enumerate(head, start=1):
        if required <= {HEADER_LOOKUP.get(normalise_header(cell)) for cell in cells}:
            return number, list(cells)
    return None


def _bounded(rows, *, max_rows: int):
    """Rows, stopped with a refusal after ``row_cap`` rows (blank ones count: 200 MB of
    ``<row/>`` are all blank) or ``PARSE_CPU_SECONDS`` of CPU time."""
    deadline = time.thread_time() + PARSE_CPU_SECONDS
    for count, cells in enumerate(rows, start=1):
        if count > row_cap(max_rows):
            raise too_many_rows(max_rows)
        if count % 256 == 0 and time.thread_time() > deadline:
            raise RosterFileError(
                _(
                    "Reading the file took too long, so it was stopped. Open it in Excel, delete what is not "
                    "part of the roster, and save it again; or split the roster into several files."
                )
            )
        yield cells


def _table(sheets, *, file_format: str, max_rows: int) -> RosterTable:
    """Rows of the first sheet with a header row; blank rows are skipped, numbers kept."""
    best_missing: list[str] | None = None
    for sheet in sheets:
        rows = _bounded(sheet, max_rows=max_rows)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        found = _find_header(head)
        if found is None:
            missing = _missing_columns(head)
            if head and (best_missing is None or len(missing) < len(best_missing)):
                best_missing = missing
            continue
        header_number, header = found
        columns, ignored = _columns(header)
        table = RosterTable(file_format=file_format, columns=columns, ignored_headers=ignored)
        for number, cells in enumerate(itertools.chain(head[header_number:], rows), start=header_number + 1):
            if all(_blank(cell) for cell in cells):
                continue
            if _is_example(cells, columns["compound"]):
                table.skipped_examples += 1
                continue
            if len(table.rows) >= max_rows:
                raise RosterFileError(
                    _("The file has more than %(limit)s rows. Split the roster into several files.")
                    % {"limit": max_rows}
                )
            table.rows.append((number, tuple(cells)))
        if not table.rows:
            raise RosterFileError(_("The file has a header row but no household rows."))
        return table
    if best_missing is None:
        raise RosterFileError(_("The file is empty."))
    raise RosterFileError(
        _("No header row found: the columns %(missing)s are missing. Start from the template and keep its first row.")
        % {"missing": "、".join(f"“{name}”" for name in best_missing)}
    )


def _missing_columns(rows) -> list[str]:
    """Required headers missing from the row that comes closest to being the header."""
    required = [column for column in COLUMNS if column.required]
    best: list[str] | None = None
    for cells in rows:
        keys = {HEADER_LOOKUP.get(normalise_header(cell)) for cell in cells}
        missing = [column.header for column in required if column.key not in keys]
        if best is None or len(missing) < len(best):
            best = missing
    return best


def _columns(header: list) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        key = HEADER_LOOKUP.get(normalise_header(cell))
        if key is None:
            if not _blank(cell):
                ignored.append(str(cell).strip())
            continue
        if key in columns:
            raise RosterFileError(
                _("The column “%(name)s” appears twice in the header row. Keep only one.") % {"name": str(cell).strip()}
            )
        columns[key] = index
    return columns, ignored


def _is_example(cells, compound_index: int) -> bool:
    """The template's example row (its compound starts with 示例): never imported."""
    if compound_index >= len(cells) or not isinstance(cells[compound_index], str):
        return False
    text = cells[compound_index].strip().lstrip("(（[【").lower()
    return any(text.startswith(marker) for marker in EXAMPLE_MARKERS)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
