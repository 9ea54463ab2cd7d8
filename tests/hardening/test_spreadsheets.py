"""The one spreadsheet/CSV writer: formula-looking text stays text, identifiers stay text,
dates are dates, Chinese file names survive the download."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook

from projects.spreadsheets import (
    DATE,
    DATETIME,
    ID,
    NUMBER,
    TEXT,
    Column,
    CsvWriter,
    SheetWriter,
    content_disposition,
    csv_value,
)

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
    workbook = Workbook(write_only=True)
    columns = [Column("t", TEXT), Column("i", ID), Column("d", DATE), Column("dt", DATETIME), Column("n", NUMBER)]
    sheet = SheetWriter(workbook, "s", columns)
    sheet.append(["=1+1", "0101", date(2026, 12, 1), datetime(2026, 12, 1, 9, 30), Decimal("85.5")])
    sheet.append(["-王", 13812345678, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
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
