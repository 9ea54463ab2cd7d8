"""The staff pages as staff use them: create and edit, move through the life cycle, sign
people in, enter the paper sheets, vote, add items, report back. Bad input gets a message
next to the field, never a 500; double submits leave one record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import ActionItem, Attendance, Meeting, MeetingRSVP, MeetingStatus, MeetingTransition, MeetingVote
from tests import factories as f

from .conftest import advance, make_meeting

pytestmark = pytest.mark.django_db


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_create_a_meeting(client, world, department):
    project = f.project(community=world.community, title="佳和园污水管线改造")
    client.force_login(world.staff)
    url = reverse("consult:meeting_add", args=[world.community.pk])
    assert client.get(url + f"?project={project.pk}&compound=abc").status_code == 200
    starts_at = timezone.now() + datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "kind": "chat",
            "topic": "西门底商污水管线拉家常",
            "starts_at": _local(starts_at),
            "place": "西门底商门前",
            "compound": world.compound.pk,
            "building": world.building.pk,
            "project": project.pk,
            "host": world.staff.pk,
            "note_taker": world.admin.pk,
            "invited_departments": [department.pk],
            "partners": "21家底商",
            "agenda": "说问题\n商量方案",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert (meeting.community, meeting.compound, meeting.building, meeting.project) == (
        world.community,
        world.compound,
        world.building,
        project,
    )
    assert list(meeting.invited_departments.all()) == [department]
    assert meeting.transitions.get().changed_by == world.staff


def test_create_form_errors_are_shown_next_to_the_fields(client, world, other_department):
    client.force_login(world.staff)
    other_compound_building = f.building(compound=f.compound(community=world.community))
    response = client.post(
        reverse("consult:meeting_add", args=[world.community.pk]),
        {
            "kind": "party",
            "topic": "",
            "starts_at": "明天",
            "place": "x",
            "compound": world.compound.pk,
            "building": other_compound_building.pk,
            "host": world.other_staff.pk,  # not staff of this community
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"kind", "topic", "starts_at", "host"}
    assert "这个字段是必填项" in response.content.decode()
    assert not Meeting.objects.exists()


def test_building_must_be_in_the_compound(client, world):
    client.force_login(world.staff)
    other = f.building(compound=f.compound(community=world.community))
    response = client.post(
        reverse("consult:meeting_add", args=[world.community.pk]),
        {
            "kind": "chat",
            "topic": "t",
            "starts_at": _local(timezone.now()),
            "place": "p",
            "compound": world.compound.pk,
            "building": other.pk,
        },
    )
    assert "该楼栋不在所选小区内" in response.content.decode()


def test_building_alone_sets_its_compound(client, world):
    client.force_login(world.staff)
    client.post(
        reverse("consult:meeting_add", args=[world.community.pk]),
        {
            "kind": "chat",
            "topic": "t",
            "starts_at": _local(timezone.now()),
            "place": "p",
            "building": world.building.pk,
        },
    )
    assert Meeting.objects.get().compound == world.compound


def test_edit_a_meeting(client, world, upcoming):
    client.force_login(world.staff)
    url = reverse("consult:meeting_edit", args=[upcoming.pk])
    assert client.get(url).status_code == 200
    new_time = upcoming.starts_at + datetime.timedelta(days=1)
    response = client.post(
        url,
        {"kind": "forum", "topic": upcoming.topic, "starts_at": _local(new_time), "place": "新地点"},
        follow=True,
    )
    assert "公示栏已显示新的时间和地点" in response.content.decode()
    upcoming.refresh_from_db()
    assert (upcoming.kind, upcoming.place) == ("forum", "新地点")
    assert "新地点" in upcoming.transitions.order_by("pk").last().note


def test_status_buttons_move_the_meeting_and_warn(client, world):
    meeting = make_meeting(
        world.community, world.staff, compound=world.compound, starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    client.force_login(world.staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "距开会不足 2 天" in page  # warned before clicking
    response = client.post(
        reverse("consult:meeting_status", args=[meeting.pk]), {"to_status": "announced"}, follow=True
    )
    assert "状态已改为“已公告”" in response.content.decode()
    assert "距开会不足 2 天" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED


def test_blocked_status_change_explains_itself(client, world, upcoming):
    client.force_login(world.staff)
    response = client.post(reverse("consult:meeting_status", args=[upcoming.pk]), {"to_status": "held"}, follow=True)
    assert "还没到开会的日子" in response.content.decode()
    response = client.post(reverse("consult:meeting_status", args=[upcoming.pk]), {"to_status": "bogus"}, follow=True)
    assert response.status_code == 200 and "未知状态" in response.content.decode()
    assert client.post(reverse("consult:meeting_status", args=[upcoming.pk]), {}).status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.ANNOUNCED


def test_sign_in_at_the_door(client, world, held):
    client.force_login(world.staff)
    url = reverse("consult:meeting_sign_in", args=[held.pk])
    response = client.post(url, {"room": "1-1-101", "headcount": "2"})
    assert response.status_code == 302 and "signin=1" in response["Location"]
    attendance = Attendance.objects.get(meeting=held)
    assert (attendance.household, attendance.headcount, attendance.recorded_by) == (world.household, 2, world.staff)
    again = client.post(url, {"room": "1-1-101", "headcount": "1"})  # double submit
    assert again.status_code == 400 and "已签到" in again.content.decode()
    unknown = client.post(url, {"room": "9-9-909", "headcount": "1"})
    assert unknown.status_code == 400 and "本次会议范围内没有这个房号" in unknown.content.decode()
    bad_count = client.post(url, {"room": "2-1-201", "headcount": "-3"})
    assert bad_count.status_code == 400
    assert Attendance.objects.filter(meeting=held).count() == 1


def test_remove_a_line_typed_by_mistake(client, world, held):
    client.force_login(world.staff)
    client.post(reverse("consult:meeting_sign_in", args=[held.pk]), {"room": "101", "headcount": "1"})
    line = Attendance.objects.get(meeting=held)
    client.post(reverse("consult:meeting_attendance_delete", args=[held.pk, line.pk]))
    assert not Attendance.objects.filter(meeting=held).exists()
    assert client.post(reverse("consult:meeting_attendance_delete", args=[held.pk, line.pk])).status_code == 404


def test_quick_entry_of_a_stack_of_sheets(client, world, held, department):
    rooms = f.households(world.unit, 6, start_floor=3)
    client.force_login(world.staff)
    url = reverse("consult:meeting_quick_entry", args=[held.pk])
    assert client.get(url).status_code == 200
    lines = "\n".join([f"1-1-{h.room}" for h in rooms[:5]] + [f"1号楼1单元{rooms[5].room} ×2", "", "201"])
    response = client.post(
        url,
        {
            "households": lines,
            "residents": "租户小李\n王阿姨 2人",
            "departments": [department.pk],
            "staff": "社区小张",
            "walk_ins": "3",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=held, kind="household").count() == 7
    assert sum(Attendance.objects.filter(meeting=held).values_list("headcount", flat=True)) == 6 + 2 + 1 + 2 + 1 + 1 + 3
    # the same sheet again: nothing doubles
    response = client.post(url, {"households": lines, "walk_ins": "0"}, follow=True)
    assert "已在名单中，已跳过" in response.content.decode()
    assert Attendance.objects.filter(meeting=held, kind="household").count() == 7


def test_quick_entry_with_bad_lines_saves_nothing_and_names_the_lines(client, world, held):
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:meeting_quick_entry", args=[held.pk]),
        {"households": "1-1-101\n8-8-808\n101 ×99", "walk_ins": "2"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行“8-8-808”" in page and "第 3 行" in page
    assert not Attendance.objects.filter(meeting=held).exists()
    empty = client.post(reverse("consult:meeting_quick_entry", args=[held.pk]), {"walk_ins": "0"})
    assert "没有可添加的内容" in empty.content.decode()


def test_staff_note_an_rsvp_by_phone(client, world, upcoming):
    client.force_login(world.staff)
    url = reverse("consult:meeting_rsvp_record", args=[upcoming.pk])
    response = client.post(url, {"room": "1-1-101", "people": "2", "channel": "phone"})
    assert response.status_code == 302
    rsvp = MeetingRSVP.objects.get()
    assert (rsvp.household, rsvp.channel, rsvp.entered_by, rsvp.people) == (world.household, "phone", world.staff, 2)
    client.post(url, {"room": "1-1-101", "people": "2", "channel": "phone"})
    assert MeetingRSVP.objects.count() == 1
    bad = client.post(url, {"room": "1-1-101", "people": "2", "channel": "online"})
    assert bad.status_code == 400
    client.post(reverse("consult:meeting_rsvp_withdraw", args=[upcoming.pk, rsvp.pk]))
    rsvp.refresh_from_db()
    assert rsvp.withdrawn_at is not None


def test_sign_in_sheet_prints_rsvps_and_blank_lines(client, world, upcoming):
    MeetingRSVP.objects.create(meeting=upcoming, household=world.household, created_at=timezone.now())
    client.force_login(world.staff)
    url = reverse("consult:meeting_sign_in_sheet", args=[upcoming.pk])
    page = client.get(url + "?lines=5").content.decode()
    assert "1号楼1单元101" in page
    assert page.count('<td class="col-no">') == 1 + 5
    for bad in ("abc", "-1", "100000"):
        assert client.get(url + f"?lines={bad}").status_code == 200


def test_votes_in_the_room(client, world, held):
    client.force_login(world.staff)
    url = reverse("consult:meeting_vote_add", args=[held.pk])
    data = {"question": "同意更换污水管线", "votes_for": "20", "votes_against": "3", "abstentions": "2"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and "该表决事项已经登记过" in again.content.decode()
    zero = client.post(url, {"question": "空", "votes_for": "0", "votes_against": "0", "abstentions": "0"})
    assert zero.status_code == 400 and "请至少填写一票" in zero.content.decode()
    negative = client.post(url, {"question": "负", "votes_for": "-1", "votes_against": "0", "abstentions": "0"})
    assert negative.status_code == 400
    vote = MeetingVote.objects.get()
    assert vote.carried
    page = client.get(held.get_absolute_url()).content.decode()
    assert "同意更换污水管线" in page and "通过" in page
    client.post(reverse("consult:meeting_vote_delete", args=[held.pk, vote.pk]))
    assert not MeetingVote.objects.exists()


def test_add_and_edit_an_action_item(client, world, held, department):
    client.force_login(world.staff)
    url = reverse("consult:action_item_add", args=[held.pk])
    assert client.get(url).status_code == 200
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(url, {"title": "新装21座隔油池", "owner": f"d:{department.pk}", "deadline": deadline})
    assert response.status_code == 302
    item = ActionItem.objects.get(title="新装21座隔油池")
    assert item.owner_department == department and item.created_by == world.staff
    bad = client.post(url, {"title": "x", "owner": "d:999999", "deadline": "2020-13-01"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"owner", "deadline"}
    early = client.post(url, {"title": "x", "owner": f"u:{world.staff.pk}", "deadline": "2000-01-01"})
    assert "办理期限不能早于会议日期" in early.content.decode()
    edit = reverse("consult:action_item_edit", args=[item.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": item.title, "owner": f"u:{world.admin.pk}", "deadline": deadline})
    item.refresh_from_db()
    assert item.owner_user == world.admin and item.owner_department is None
    page = client.get(item.get_absolute_url()).content.decode()
    assert "责任方" in page and department.name in page  # the history shows the old owner


def test_minutes_and_report_back_through_the_pages(client, world, held):
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:meeting_minutes", args=[held.pk]),
        {"problems": "污水堵塞\n夏季异味", "solutions": "更换管线", "public_summary": "商定更换管线"},
    )
    assert response.status_code == 302
    client.post(reverse("consult:meeting_status", args=[held.pk]), {"to_status": "minuted"})
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTED
    url = reverse("consult:meeting_report_back", args=[held.pk])
    # items still open: the draft is saved, publishing is refused
    client.post(url, {"report_back": "管线已更换", "draft": "1"})
    response = client.post(url, {"report_back": "管线已更换", "publish": "1"})
    assert response.status_code == 400 and "还有 2 个待办事项未关闭" in response.content.decode()
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTED and held.report_back == "管线已更换"
    ActionItem.objects.filter(meeting=held).update(status="done", closed_at=timezone.now())
    response = client.post(url, {"report_back": "管线已更换，隔油池已安装", "publish": "1"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MeetingStatus.REPORTED
    assert MeetingTransition.objects.filter(meeting=held, to_status="reported", changed_by=world.staff).exists()
    # after the report back the minutes are closed, the page says how to reopen
    assert client.get(reverse("consult:meeting_minutes", args=[held.pk])).status_code == 200
    assert "撤回反馈" in client.get(held.get_absolute_url()).content.decode()


def test_meeting_list_filters_and_bad_parameters(client, world, upcoming):
    council = make_meeting(world.community, world.staff, topic="公厕改造议事会", kind="council")
    last_week = make_meeting(
        world.community, world.staff, topic="上周的座谈会", starts_at=timezone.now() - datetime.timedelta(days=7)
    )

    def link(meeting):
        return f'href="{meeting.get_absolute_url()}"'

    client.force_login(world.staff)
    url = reverse("consult:meeting_list", args=[world.community.pk])
    page = client.get(url).content.decode()
    assert link(upcoming) in page and link(council) in page and link(last_week) not in page
    past = client.get(url + "?when=past").content.decode()
    assert link(last_week) in past and link(upcoming) not in past
    councils = client.get(url + "?when=all&kind=council").content.decode()
    assert link(council) in councils and link(upcoming) not in councils
    search = client.get(url + "?when=all&q=公厕").content.decode()
    assert link(council) in search and link(upcoming) not in search
    other_compound = f.compound(community=world.community)
    by_compound = client.get(url + f"?when=all&compound={world.compound.pk}").content.decode()
    assert link(upcoming) in by_compound and link(council) not in by_compound
    assert client.get(url + f"?when=all&compound={other_compound.pk}").context["page_obj"].paginator.count == 0
    for bad in ("?kind=party", "?compound=abc", "?compound=999999", "?page=abc", "?page=999", "?when=yesterday"):
        assert client.get(url + bad).status_code == 200, bad


def test_meeting_list_is_grouped_by_month(client, world):
    for days in (40, 41, 75):
        make_meeting(world.community, world.staff, starts_at=timezone.now() + datetime.timedelta(days=days))
    client.force_login(world.staff)
    response = client.get(reverse("consult:meeting_list", args=[world.community.pk]))
    assert response.content.decode().count('class="h5 month-heading"') == len(
        {timezone.localtime(m.starts_at).strftime("%Y-%m") for m in Meeting.objects.all()}
    )


def test_pages_render_for_every_status(client, world, held):
    client.force_login(world.staff)
    cancelled = make_meeting(world.community, world.staff, compound=world.compound)
    advance(cancelled, world.staff, MeetingStatus.CANCELLED)
    for meeting in (held, cancelled):
        for name in ("meeting", "meeting_minutes_print", "meeting_sign_in_sheet", "meeting_minutes"):
            assert client.get(reverse(f"consult:{name}", args=[meeting.pk])).status_code == 200


def test_community_overview_panel_and_nav_tab(client, world, held, department):
    ActionItem.objects.filter(meeting=held).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(world.staff)
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert "议事会议" in page and reverse("consult:meeting_list", args=[world.community.pk]) in page
    assert 'data-testid="overdue-count">2<' in page
    client.force_login(world.department)
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert 'data-testid="overdue-count">1<' in page  # only the department's own item


def test_project_page_lists_its_meetings(client, world):
    project = f.project(community=world.community)
    meeting = make_meeting(world.community, world.staff, project=project, topic="项目协商会")
    make_meeting(world.community, world.staff, topic="别的会")
    client.force_login(world.staff)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert meeting.get_absolute_url() in page and "别的会" not in page
