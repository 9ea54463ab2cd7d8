"""The one spreadsheet/CSV writer: formula-looking text stays text, identifiers stay text,
dates are dates, Chinese file names survive the download."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils.functional import lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from projects.spreadsheets import (
    DATE,
    DATETIME,
    FLUSH_EVERY,
    ID,
    NUMBER,
    TEXT,
    Column,
    CsvWriter,
    Sheet,
    content_disposition,
    csv_value,
    set_cell,
    xlsx_bytes,
    xlsx_stream,
)

WishLabel = lazy(str, str)
TRIGGERS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", TRIGGERS)
def test_csv_prefixes_text_a_spreadsheet_would_run(text):
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("value", ["王建国", "0101", "1号楼", "", None, 3, Decimal("85.50")])
def test_csv_leaves_ordinary_values_alone(value):
    assert csv_value(value) == ("" if value is None else str(value))


def test_csv_writer_round_trip_keeps_the_quote_prefix():
    buffer = io.StringIO()
    CsvWriter(buffer).writerow(['=HYPERLINK("x")', "张三", date(2026, 12, 1)])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ['\'=HYPERLINK("x")', "张三", "2026-12-01"]


def test_xlsx_cells_by_kind():
    columns = [Column("t", TEXT), Column("i", ID), Column("d", DATE), Column("dt", DATETIME), Column("n", NUMBER)]
    rows = [
        ["=1+1", "0101", date(2026, 12, 1), datetime(2026, 12, 1, 9, 30), Decimal("85.5")],
        ["-王", 13812345678, None, None, None],
    ]
    ws = load_workbook(io.BytesIO(xlsx_bytes([Sheet("s", columns, rows)]))).active
    formula, room, day, moment, area = ws[2]
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert room.value == "0101" and room.number_format == "@"
    assert day.value == datetime(2026, 12, 1) and day.is_date and day.number_format == "yyyy-mm-dd"
    assert moment.value == datetime(2026, 12, 1, 9, 30) and moment.number_format == "yyyy-mm-dd hh:mm"
    assert area.value == 85.5 and area.data_type == "n"
    name, phone = ws[3][:2]
    assert name.value == "-王" and name.data_type == "s"
    assert phone.value == "13812345678" and phone.number_format == "@", "a phone is never a number"


def test_content_disposition_carries_ascii_and_utf8_names():
    header = content_disposition("北门社区 愿望清单.xlsx", fallback="wishes-1.xlsx")
    ascii_part, utf8_part = header.split("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="wishes-1.xlsx"'
    assert unquote(utf8_part) == "北门社区 愿望清单.xlsx"
    assert content_disposition('a"b.xlsx', fallback='a"\r\nb.xlsx').startswith('attachment; filename="a___b.xlsx"')


# Every kind of value each kind of column meets, hostile text included.
VALUES = [
    '=HYPERLINK("x")',
    "+1",
    "-王",
    "@A1",
    "\t=1",
    "\rx",
    " 前后有空格 ",
    "a < b & c > d",
    "王建国",
    "0101",
    "",
    None,
    0,
    13812345678,
    85.5,
    Decimal("85.50"),
    True,
    False,
    date(2026, 12, 1),
    datetime(2026, 12, 1, 9, 30, 15, 500),
    WishLabel("已受理"),
]
KIND_COLUMNS = [
    Column("t", TEXT, 20),
    Column("i", ID, 10),
    Column("d", DATE),
    Column("dt", DATETIME),
    Column("n", NUMBER),
    Column("w", TEXT, 30, font=Font(color="B00020"), wrap=True),
]


def _reference(columns, rows) -> bytes:
    """The same cells written by openpyxl's own cell objects through ``set_cell``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "s"
    for index, column in enumerate(columns, start=1):
        cell = set_cell(sheet.cell(row=1, column=index), str(column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for number, values in enumerate(rows, start=2):
            cell = set_cell(sheet.cell(row=number, column=index), values[index - 1], column.kind)
            if column.font is not None:
                cell.font = column.font
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [
        (
            c.coordinate,
            c.value,
            c.data_type,
            c.number_format,
            c.quotePrefix,
            c.font.b,
            c.font.color and c.font.color.rgb,
            c.alignment.wrap_text,
        )
        for line in sheet.iter_rows()
        for c in line
    ]


def test_streamed_cells_equal_openpyxl_cells():
    """The streamed writer encodes rows itself for speed; every value, type, number format,
    quote prefix, font and wrap must be what openpyxl's cell objects would have written."""
    rows = [[value] * len(KIND_COLUMNS) for value in VALUES]
    streamed = xlsx_bytes([Sheet("s", KIND_COLUMNS, rows)])
    assert _cells(streamed) == _cells(_reference(KIND_COLUMNS, rows))
    assert load_workbook(io.BytesIO(streamed)).active.freeze_panes == "A2"


def test_streamed_workbook_has_no_formulas_and_keeps_control_characters_out():
    rows = [["=cmd|' /C calc'!A0", "a\x01b\x1fc"]]
    content = xlsx_bytes([Sheet("s", [Column("a"), Column("b")], rows)])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml
    assert [c.value for c in load_workbook(io.BytesIO(content)).active[2]] == ["=cmd|' /C calc'!A0", "abc"]


def test_stream_hands_on_bytes_before_the_rows_are_read():
    """The first chunk (the zip entry's header) leaves before the first row is asked for,
    and later chunks follow every ``FLUSH_EVERY`` rows: nothing waits for the whole file."""
    asked = []

    def rows():
        for n in range(3 * FLUSH_EVERY):
            asked.append(n)
            yield [n, f"第{n}行"]

    chunks = xlsx_stream([Sheet("s", [Column("n", NUMBER), Column("t")], rows()), Sheet("two", [Column("x")], [])])
    assert next(chunks) and asked == []
    sizes = [len(chunk) for chunk in chunks]
    assert len(asked) == 3 * FLUSH_EVERY and len(sizes) >= 4
    workbook = load_workbook(io.BytesIO(b"".join(xlsx_stream([Sheet("s", [Column("n", NUMBER)], [[1], [2]])]))))
    assert [c.value for c in workbook.active["A"]] == ["n", 1, 2]
