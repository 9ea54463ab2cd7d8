"""Staff import a roster in a real browser: a bad row is shown by its Excel row number,
the corrected file is checked again and imported."""

import pytest

from projects.models import Household, RosterImport
from tests.roster.conftest import row, rows_for, xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_staff_fix_a_bad_row_and_import(desktop, live_server, login_as, world):
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/community/{world.community.pk}/")
    desktop.get_by_role("link", name="导入 / 导出").click()
    desktop.get_by_role("heading", name="2. 上传并检查").wait_for()

    rows = rows_for(4)
    rows[1] = row(building="3号楼", room="102", floor=1, area="八十五")  # row 3 in Excel
    desktop.get_by_label("台账文件（.xlsx 或 .csv）").set_input_files(
        {"name": "北门台账.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}
    )
    desktop.get_by_role("button", name="检查文件").click()

    errors = desktop.get_by_test_id("errors")
    errors.wait_for()
    bad = errors.get_by_role("row").filter(has_text="第 3 行")
    assert "面积“八十五”不是数字" in bad.inner_text()
    assert "佳和园 3号楼1单元102" in bad.inner_text()
    assert desktop.get_by_text("有 1 行存在问题，因此没有导入任何数据。").is_visible()
    assert not desktop.get_by_test_id("commit").count()
    assert Household.objects.filter(unit__building__name="3号楼").count() == 0

    desktop.get_by_role("link", name="上传改好的文件").click()
    rows[1] = row(building="3号楼", room="102", floor=1, area=85)
    desktop.get_by_label("台账文件（.xlsx 或 .csv）").set_input_files(
        {"name": "北门台账（改）.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}
    )
    desktop.get_by_role("button", name="检查文件").click()
    desktop.get_by_text("所有行都检查通过").wait_for()
    assert desktop.get_by_test_id("create-count").inner_text() == "4"
    assert "佳和园 3号楼" in desktop.get_by_text("将新建 1 栋楼").locator("xpath=../..").inner_text()

    desktop.get_by_test_id("commit").click()
    desktop.get_by_text("导入完成：新建 4 户，更新 0 户，0 户无变化。").wait_for()
    assert Household.objects.filter(unit__building__name="3号楼").count() == 4
    assert Household.objects.get(unit__building__name="3号楼", room="102").area == 85
    statuses = list(RosterImport.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [RosterImport.Status.INVALID, RosterImport.Status.COMMITTED]

    # The history on the import page records both uploads.
    desktop.get_by_role("link", name="返回导入 / 导出").click()
    history = desktop.get_by_role("table")
    assert "北门台账.xlsx" in history.inner_text() and "北门台账（改）.xlsx" in history.inner_text()
