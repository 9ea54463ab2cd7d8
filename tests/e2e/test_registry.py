import pytest

from projects.models import HouseholdChange

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_finds_a_household_and_corrects_its_area(desktop, live_server, world):
    world.staff.set_password("correct horse 1")
    world.staff.save()
    desktop.goto(live_server.url + "/accounts/login/")
    desktop.get_by_label("用户名").fill(world.staff.username)
    desktop.get_by_label("密码").fill("correct horse 1")
    desktop.get_by_role("button", name="登录").click()
    # One community: staff land straight on its overview.
    desktop.get_by_role("heading", name="北门社区").wait_for()
    desktop.get_by_placeholder("查找住户：房号或业主姓名").fill("101")
    desktop.get_by_role("button", name="搜索").click()
    desktop.get_by_role("link", name="佳和园 1号楼1单元101").click()
    desktop.get_by_role("link", name="编辑").click()
    desktop.get_by_label("专有面积（㎡）").fill("-3")
    desktop.get_by_role("button", name="保存").click()
    # The app's own message, beside the field and summed up (with a link to it) at the top.
    assert desktop.get_by_text("面积必须大于 0 平方米。", exact=True).is_visible()
    assert desktop.get_by_test_id("error-summary").get_by_role("link", name="专有面积（㎡）").is_visible()
    desktop.get_by_label("专有面积（㎡）").fill("88.6")
    desktop.get_by_role("button", name="保存").click()
    desktop.get_by_text("住户信息已保存。").wait_for()
    assert "88.60 m²" in desktop.content()
    change = HouseholdChange.objects.get(household=world.household)
    assert change.changed_by == world.staff
    assert change.changes["area"] == ["60.00", "88.60"]
    assert "专有面积（㎡）：60.00 → 88.60" in desktop.content()
