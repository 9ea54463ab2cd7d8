"""Files refused as a whole: a clear Chinese message next to the field, nothing stored."""

import io
import zipfile

import pytest
from django.test import override_settings
from PIL import Image

from projects.models import Household, RosterImport

from .conftest import HEADER, csv_bytes, row, rows_for, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def damaged_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
        archive.writestr("xl/workbook.xml", "<broken")
    return buffer.getvalue()


def assert_refused(response, message):
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[page.find("invalid-feedback") - 200 : page.find("invalid-feedback") + 400]
    assert RosterImport.objects.count() == 0


BAD_FILES = {
    "text renamed to xlsx": ("roster.xlsx", "小区,楼栋\n佳和园,1号楼\n".encode(), "不是有效的 Excel"),
    "jpeg renamed to xlsx": ("roster.xlsx", jpeg_bytes(), "不是有效的 Excel"),
    "zip that is not a workbook": ("roster.xlsx", zip_without_workbook(), "不是有效的 Excel"),
    "damaged xlsx": ("roster.xlsx", damaged_xlsx(), "已损坏"),
    "jpeg renamed to csv": ("roster.csv", jpeg_bytes(), "不是 CSV 文本"),
    "xlsx renamed to csv": ("roster.csv", xlsx_bytes(rows_for(1)), "不是 CSV 文本"),
    "old xls": ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为 .xlsx"),
    "ole content named xlsx": ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "设置了密码"),
    "text file": ("roster.txt", csv_bytes(rows_for(1)), "只能导入 .xlsx"),
    "no extension": ("roster", xlsx_bytes(rows_for(1)), "只能导入 .xlsx"),
    "wrong headers xlsx": ("roster.xlsx", xlsx_bytes([["a", "b"]], ["姓名", "年龄"]), "找不到表头"),
    "wrong headers csv": ("roster.csv", csv_bytes([["a", "b"]], ["姓名", "年龄"]), "找不到表头"),
    "header only": ("roster.xlsx", xlsx_bytes([]), "没有住户数据行"),
    "empty workbook": ("roster.xlsx", xlsx_bytes([], []), "文件是空的"),
    "undecodable csv": (
        "roster.csv",
        "小区,楼栋".encode("utf-16-le").replace(b"\x00", b"") + b"\xff\xfe\xfd",
        "无法识别",
    ),
    "duplicate header": ("roster.csv", csv_bytes([], [*HEADER, "房号"]), "出现了两次"),
}


@pytest.mark.parametrize("name,content,message", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_file_is_refused_with_a_message(staff_client, world, name, content, message):
    households = Household.objects.count()
    assert_refused(upload(staff_client, world.community, content, name), message)
    assert Household.objects.count() == households


def test_empty_file(staff_client, world):
    response = upload(staff_client, world.community, b"", "roster.xlsx")
    assert response.status_code == 200
    assert "所提交的是空文件" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_missing_required_columns_are_named(staff_client, world):
    header = ["小区", "楼栋", "单元", "楼层", "专有面积"]  # no 房号 (专有面积 itself is optional)
    response = upload(staff_client, world.community, xlsx_bytes([["佳和园", "1号楼", "1单元", 1, 60]], header))
    assert_refused(response, "缺少 “房号” 列")


@override_settings(ROSTER_UPLOAD_MAX_BYTES=2000)
def test_oversize_file(staff_client, world):
    content = csv_bytes(rows_for(100))
    assert len(content) > 2000
    assert_refused(upload(staff_client, world.community, content, "roster.csv"), "超过上限")


@override_settings(ROSTER_UPLOAD_MAX_BYTES=100_000)
def test_zip_bomb_is_refused_before_parsing(staff_client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 6_000_000)
    assert len(buffer.getvalue()) < 100_000
    assert_refused(upload(staff_client, world.community, buffer.getvalue()), "解压后过大")


@override_settings(ROSTER_MAX_ROWS=10)
def test_too_many_rows(staff_client, world):
    assert_refused(upload(staff_client, world.community, xlsx_bytes(rows_for(11))), "超过 10 行")


@override_settings(ROSTER_MAX_ROWS=10)
def test_row_cap_counts_rows_not_blank_lines(staff_client, world):
    rows = rows_for(10)
    content = xlsx_bytes([*rows[:5], [None] * 12, [None] * 12, *rows[5:]])
    response = upload(staff_client, world.community, content)
    assert response.status_code == 302


def test_excel_dates_in_text_columns_are_reported(staff_client, world):
    import datetime

    upload(staff_client, world.community, xlsx_bytes([row(unit=datetime.datetime(2024, 1, 2))]))
    roster_import = RosterImport.objects.get()
    assert roster_import.rows[0]["errors"] == [{"code": "date", "column": "unit", "value": "2024-01-02"}]
    page = staff_client.get(roster_import.get_absolute_url()).content.decode()
    assert "被 Excel 自动转成了日期" in page


def test_ignored_columns_are_shown(staff_client, world):
    content = xlsx_bytes([[*row(), "备用"]], [*HEADER, "备注"])
    upload(staff_client, world.community, content)
    roster_import = RosterImport.objects.get()
    assert roster_import.ignored_columns == ["备注"]
    assert "以下列不会导入" in staff_client.get(roster_import.get_absolute_url()).content.decode()
