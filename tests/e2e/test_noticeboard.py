"""Browser tests of the projects feature.

- A resident on a phone opens the noticeboard from the QR poster's address, switches to large
  text and reads a project's progress.
- A resident acting as their household rates a project in evaluation on a phone.
- Staff on a desktop create a project, record progress and move it on.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from projects.identity import SESSION_KEY
from projects.models import ProgressItem, Project, SatisfactionResponse, Stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _root_font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


@pytest.fixture
def sewage(world):
    project = Project.objects.create(
        community=world.community, title="佳和园西门底商污水管线改造", stage=Stage.CONSTRUCTION
    )
    project.compounds.set([world.compound])
    ProgressItem.objects.create(project=project, name="污水管线铺设", unit="米", target=Decimal(190), done=Decimal(190))
    ProgressItem.objects.create(project=project, name="隔油池安装", unit="个", target=Decimal(21), done=Decimal(14))
    return project


def test_resident_reads_progress_from_the_poster_address_in_large_text(
    phone, desktop, live_server, login_as, world, sewage
):
    settings.SITE_URL = live_server.url  # the poster prints the address residents will open
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/compound/{world.compound.pk}/poster/")
    assert desktop.locator("[data-testid=poster] svg").is_visible()
    address = desktop.get_by_test_id("poster-url").get_attribute("href")
    assert address == f"{live_server.url}/c/{world.compound.pk}/"

    phone.goto(address)
    assert "佳和园" in phone.locator("h1").inner_text()
    assert _root_font_px(phone) >= 18
    switch = phone.get_by_test_id("page-text-size")
    assert switch.bounding_box()["height"] >= 44  # a finger-sized button, visible without the menu
    switch.click()
    phone.wait_for_load_state()
    assert _root_font_px(phone) >= 22
    assert phone.url == address

    phone.get_by_role("link", name="佳和园西门底商污水管线改造").first.click()
    phone.wait_for_load_state()
    progress = phone.get_by_test_id("public-progress")
    assert "83%" in progress.inner_text()  # (1 + 14/21) / 2 = 83.3%, rounded down
    body = phone.locator("main").inner_text()
    assert "190 / 190 米" in body and "14 / 21 个" in body
    assert _root_font_px(phone) >= 22  # remembered on the next page
    assert _no_sideways_scrolling(phone)


def test_resident_rates_a_finished_project_on_a_phone(phone, live_server, world, sewage):
    Project.objects.filter(pk=sewage.pk).update(stage=Stage.EVALUATION)
    client = Client()
    session = client.session
    session[SESSION_KEY] = world.household.pk
    session.save()
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    phone.goto(f"{live_server.url}/c/{world.compound.pk}/p/{sewage.pk}/")
    phone.get_by_text("5 · 非常满意").click()
    phone.get_by_label("还有什么想说的（选填）").fill("修好后再也不堵了")
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    assert "谢谢" in phone.locator(".messages").inner_text()
    answer = SatisfactionResponse.objects.get()
    assert (answer.household, answer.score, answer.channel, answer.entered_by) == (world.household, 5, "online", None)


def test_staff_create_a_project_record_progress_and_move_it_on(desktop, live_server, login_as, world):
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/community/{world.community.pk}/projects/new/")
    desktop.get_by_label("标题").fill("1号楼屋面防水")
    desktop.get_by_label("1号楼", exact=False).first.check()
    desktop.get_by_role("button", name="保存").click()
    desktop.wait_for_load_state()
    project = Project.objects.get(title="1号楼屋面防水")
    assert list(project.buildings.all()) == [world.building]
    assert "项目已保存" in desktop.locator(".messages").inner_text()

    desktop.goto(f"{live_server.url}/project/{project.pk}/progress/new/")
    desktop.get_by_label("名称").fill("屋面防水")
    desktop.get_by_label("计量单位").fill("平方米")
    desktop.get_by_label("目标量").fill("600")
    desktop.get_by_label("已完成").fill("0")
    desktop.get_by_role("button", name="保存").click()
    desktop.wait_for_load_state()
    desktop.get_by_label("已完成 (平方米)").fill("450")
    desktop.get_by_role("button", name="保存").first.click()
    desktop.wait_for_load_state()
    assert ProgressItem.objects.get().done == 450

    desktop.goto(f"{live_server.url}/project/{project.pk}/")
    desktop.get_by_role("button", name="进入“方案设计”阶段").click()
    desktop.wait_for_load_state()
    project.refresh_from_db()
    assert project.stage == Stage.DESIGN
    assert "方案设计" in desktop.locator("#history-h + ol").inner_text()
