"""Staff on a desktop run a meeting's record from "held" to "reported back"; the report
back then appears on the compound's public noticeboard, with no names on it."""

import datetime

import pytest
from django.utils import timezone

from consult.models import MeetingStatus
from consult.services.meetings import meeting_change_status, meeting_create
from projects.models import Membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_held_meeting_and_report_back(desktop, live_server, login_as, world):
    department = Membership.objects.get(user=world.department).department
    world.household.owner_names = "张秀兰"
    world.household.save()
    starts_at = timezone.now() - datetime.timedelta(minutes=30)
    meeting = meeting_create(
        community=world.community,
        data={
            "compound": world.compound,
            "kind": "chat",
            "topic": "西门底商污水管线拉家常",
            "starts_at": starts_at,
            "place": "西门底商门前",
            "host": world.staff,
        },
        invited_departments=[department],
        by=world.staff,
        now=starts_at - datetime.timedelta(days=4),
    )
    meeting_change_status(
        meeting=meeting, to_status=MeetingStatus.ANNOUNCED, by=world.staff, now=starts_at - datetime.timedelta(days=3)
    )
    page = desktop
    login_as(page, world.staff)
    page.goto(live_server.url + meeting.get_absolute_url())
    main = page.locator("main")

    # The meeting starts: mark it as held, then sign a household in at the door.
    main.get_by_role("button", name="标记为已召开").click()
    assert page.get_by_test_id("meeting-status").inner_text() == "已召开"
    page.get_by_label("住户签到：房号").fill("1-1-101")
    page.locator("#id_signin_headcount").fill("2")
    main.get_by_role("button", name="签到", exact=True).click()
    assert "已签到" in page.locator(".messages").inner_text()
    assert page.get_by_label("住户签到：房号").evaluate("el => el === document.activeElement")  # ready for the next

    # After the meeting: type the rest of the paper sheets.
    main.get_by_role("link", name="录入纸质签到表").click()
    page.get_by_label("住户（每行一个房号）").fill("2-1-201\n")
    page.get_by_label(department.name).check()
    page.get_by_label("未签到的临时到场人数").fill("3")
    main.get_by_role("button", name="加入签到名单").click()
    counts = page.get_by_test_id("attendance-counts")
    assert counts.locator("tr[data-kind=household] td").nth(2).inner_text() == "3"
    assert counts.locator("tr[data-kind=walk_in] td").nth(2).inner_text() == "3"
    assert counts.locator("tr[data-kind=department] td").nth(2).inner_text() == "1"
    assert "共 7 人" in page.get_by_test_id("attendance-total").inner_text()

    # The minutes: a name in the public summary is caught before anything is saved.
    main.get_by_role("link", name="填写纪要").click()
    page.get_by_label("拉出的问题").fill("餐饮污水管线堵塞\n夏季异味严重")
    page.get_by_label("拉出的方案").fill("更换污水管线190米\n新装隔油池21座")
    page.get_by_label("公开摘要").fill("张秀兰提出管线堵塞")
    main.get_by_role("button", name="保存纪要").click()
    assert "请写“一位居民”" in main.inner_text()
    page.get_by_label("公开摘要").fill("商户和居民提出管线堵塞和异味，大家商定更换管线、新装隔油池。")
    main.get_by_role("button", name="保存纪要").click()

    # An action item for the water station, done later.
    main.get_by_role("link", name="添加待办事项").click()
    page.get_by_label("待办事项").fill("更换西门底商污水管线190米")
    page.get_by_label("责任方").select_option(label=department.name)
    page.get_by_label("办理期限").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    main.get_by_role("button", name="保存", exact=True).click()
    items = page.get_by_test_id("action-items")
    assert department.name in items.inner_text()
    items.get_by_role("link", name="更换西门底商污水管线190米").click()
    page.get_by_role("combobox", name="新状态").select_option("done")
    page.get_by_label("备注").fill("已完工验收")
    main.get_by_role("button", name="保存").click()
    assert page.get_by_test_id("item-status").inner_text() == "已办结"
    main.get_by_role("link", name=meeting.topic).click()

    # Minutes complete, then the report back goes on the noticeboard.
    main.get_by_role("button", name="纪要已整理完成").click()
    page.get_by_role("textbox", name="向居民反馈").fill("污水管线已更换190米，隔油池已安装，堵塞和异味问题已解决。")
    main.get_by_role("button", name="在公示栏发布").click()
    assert page.get_by_test_id("meeting-status").inner_text() == "已反馈"

    # Anyone, not logged in, reads it on the compound's noticeboard.
    page.context.clear_cookies()
    page.goto(live_server.url + f"/c/{world.compound.pk}/")
    report = page.get_by_test_id("report-back")
    text = report.inner_text()
    assert "污水管线已更换190米" in text and "大家商定更换管线" in text
    assert "已办结 1 / 1 项" in text and department.name in text
    board = page.content()
    assert "张秀兰" not in board and "13812341234" not in board and "138****1234" not in board


def test_resident_on_a_phone_says_they_will_come(phone, live_server, world):
    """A resident acting as their household (after entering its code) taps "I will come"."""
    from importlib import import_module

    from django.conf import settings

    from projects.identity import SESSION_KEY

    starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting = meeting_create(
        community=world.community,
        data={
            "compound": world.compound,
            "kind": "forum",
            "topic": "广场设计方案座谈会",
            "starts_at": starts_at,
            "place": "小广场",
        },
        invited_departments=[],
        by=world.staff,
    )
    meeting_change_status(meeting=meeting, to_status=MeetingStatus.ANNOUNCED, by=world.staff)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = world.household.pk
    session.save()
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    phone.goto(live_server.url + f"/c/{world.compound.pk}/")
    board = phone.get_by_test_id("noticeboard-meetings")
    assert "广场设计方案座谈会" in board.inner_text()
    board.get_by_role("combobox", name="参加人数").select_option("2")
    button = board.get_by_role("button", name="我会参加")
    assert button.bounding_box()["height"] >= 44
    button.click()
    assert "谢谢" in phone.locator(".messages").inner_text()
    assert "您已报名参加（2 人）" in phone.get_by_test_id("noticeboard-meetings").inner_text()
    assert meeting.rsvps.get().people == 2
