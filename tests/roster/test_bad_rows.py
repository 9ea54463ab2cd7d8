"""Every kind of bad row: the preview names the row and the reason in Chinese, and the
import writes nothing at all (not even the valid rows, buildings or units)."""

import pytest
from django.urls import reverse

from projects.models import Building, Household, HouseholdChange, RosterImport, Unit

from .conftest import HEADER, commit, csv_bytes, last_import, row, rows_for, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

# (bad row, text expected in the preview next to "第 5 行")
BAD_ROWS = {
    "missing building": (row(building=None), "“楼栋”为空"),
    "missing unit": (row(unit=""), "“单元”为空"),
    "missing room": (row(room=None), "“房号”为空"),
    "area not a number": (row(area="八十"), "面积“八十”不是数字"),
    "area zero": (row(area=0), "面积必须大于 0"),
    "area negative": (row(area="-12.5"), "面积必须大于 0"),
    "area too large": (row(area=123456789), "面积 123456789 平方米过大"),
    "duplicate room": (row(building="3号楼", room="101", floor=1), "与第 2 行的小区、楼栋、单元、房号重复"),
    "unknown compound": (row(compound="不存在小区"), "小区“不存在小区”不在本社区的登记中"),
    "compound of another community": (row(compound="南路一"), "小区“南路一”属于其他社区"),
    "phone malformed": (row(phone="12345"), "电话“12345”格式不对"),
    "phone masked": (row(phone="138****5678"), "打码"),
    "floor not an integer": (row(floor="三楼"), "楼层“三楼”不是整数"),
    "floor fraction": (row(floor=2.5), "楼层“2.5”不是整数"),
    "floor missing, room not numeric": (row(room="A座", floor=None), "楼层为空，且无法从房号“A座”推算"),
    "floor out of range": (row(floor=999), "楼层 999 超出范围"),
    "unknown kind": (row(kind="车位"), "类型“车位”无法识别"),
    "bad care flag": (row(elderly="也许"), "“独居老人”填的是“也许”"),
    "owner too long": (row(owners="王" * 201), "“业主姓名”超过 200 个字"),
}


def registry_state():
    return (Household.objects.count(), Building.objects.count(), Unit.objects.count(), HouseholdChange.objects.count())


@pytest.mark.parametrize("bad,expected", list(BAD_ROWS.values()), ids=list(BAD_ROWS))
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_bad_row_is_reported_by_number_and_nothing_is_written(staff_client, world, bad, expected, file_format):
    good = rows_for(3)  # rows 2–4, in a new building 3号楼: would create a building, unit and households
    rows = [*good, bad]  # the bad row is row 5
    content = (
        xlsx_bytes(rows) if file_format == "xlsx" else csv_bytes([[("" if v is None else v) for v in r] for r in rows])
    )
    state = registry_state()

    response = upload(staff_client, world.community, content, f"roster.{file_format}")
    roster_import = last_import(world.community)
    assert response.status_code == 302
    assert roster_import.status == RosterImport.Status.INVALID
    assert roster_import.error_count == 1
    assert [r["row"] for r in roster_import.rows if r["errors"]] == [5]

    page = staff_client.get(response.url).content.decode()
    assert "第 5 行" in page
    assert expected in page
    assert "没有导入任何数据" in page

    commit(staff_client, roster_import)
    assert registry_state() == state
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID


def test_every_bad_row_is_listed_at_once(staff_client, world):
    rows = [row(room=str(900 + i), **{"area": 0}) for i in range(3)] + [row(room="950", phone="1")]
    upload(staff_client, world.community, xlsx_bytes(rows))
    roster_import = last_import(world.community)
    assert roster_import.error_count == 4
    page = staff_client.get(roster_import.get_absolute_url()).content.decode()
    for number in (2, 3, 4, 5):
        assert f"第 {number} 行" in page


def test_a_row_with_several_problems_lists_each(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes([row(building="", area="abc", phone="x")]))
    roster_import = last_import(world.community)
    codes = {error["code"] for error in roster_import.rows[0]["errors"]}
    assert codes == {"missing", "area_not_number", "phone_malformed"}


def test_error_report_download_lists_rows_and_reasons(staff_client, world):
    from .conftest import read_xlsx

    upload(staff_client, world.community, xlsx_bytes([*rows_for(2), row(area="abc", room="777")]))
    roster_import = last_import(world.community)
    response = staff_client.get(reverse("projects:roster_errors", args=[roster_import.pk]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))
    assert list(rows[0][: len(HEADER)]) == HEADER
    assert len(rows) == 2
    assert rows[1][3] == "777" and rows[1][5] == "abc"
    assert rows[1][len(HEADER)] == 4
    assert "不是数字" in rows[1][len(HEADER) + 1]


def test_error_page_is_paginated(staff_client, world):
    rows = [row(room=str(1000 + i), area=0) for i in range(130)]
    upload(staff_client, world.community, xlsx_bytes(rows))
    roster_import = last_import(world.community)
    first = staff_client.get(roster_import.get_absolute_url()).content.decode()
    second = staff_client.get(roster_import.get_absolute_url() + "?page=2").content.decode()
    assert "第 2 行" in first and "第 131 行" not in first
    assert "第 131 行" in second
    assert staff_client.get(roster_import.get_absolute_url() + "?page=abc").status_code == 200
