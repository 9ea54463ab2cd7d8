"""Public pages carry no names and no phone numbers: the noticeboard's meeting section,
the resident's household section and the noticeboard version of the minutes. Public text
with a resident's name or a number is refused before it is saved."""

import pytest
from django.urls import reverse

from consult.models import AttendeeKind, Meeting, MeetingStatus
from consult.public_text import personal_data_found, split_names
from consult.services.action_items import action_item_set_status
from consult.services.meeting_attendance import attendance_add, attendance_sign_in_household, rsvp_say_coming
from consult.services.meeting_votes import vote_record

from .conftest import advance

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


@pytest.fixture
def reported(world, held):
    """The held meeting with people, an RSVP, a vote and its items done, reported back."""
    world.household.owner_names = "张秀兰、李建国"
    world.household.save()
    attendance_sign_in_household(meeting=held, household=world.household, headcount=2, by=world.staff)
    attendance_add(meeting=held, kind=AttendeeKind.RESIDENT, name="租户赵小明", by=world.staff)
    vote_record(meeting=held, question="同意更换污水管线", votes_for=12, votes_against=1, abstentions=2, by=world.staff)
    for item in held.action_items.all():
        action_item_set_status(item=item, to_status="done", by=world.staff)
    Meeting.objects.filter(pk=held.pk).update(discussion_notes=f"张秀兰说家里漏水，电话{PHONE}")
    return advance(held, world.staff, MeetingStatus.MINUTED, MeetingStatus.REPORTED)


def _no_personal_data(page: str, world, *, signed_in=False):
    """``signed_in``: the page is seen by a staff member, whose own name is in the menu bar."""
    secrets = ["张秀兰", "李建国", "赵小明", PHONE, "138****1234", world.household.room]
    if not signed_in:
        secrets.append(world.staff.username)
    for secret in secrets:
        assert secret not in page, secret


def test_noticeboard_shows_the_report_back_and_aggregates_only(client, world, reported):
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert reported.report_back in page and reported.public_summary in page
    assert "同意更换污水管线" in page and "12" in page
    assert "更换190米污水管线" in page  # the department's item, with the department named
    _no_personal_data(page, world)


def test_noticeboard_shows_upcoming_meetings_with_counts_not_names(client, world, upcoming):
    rsvp_say_coming(meeting=upcoming, household=world.household, people=2)
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert upcoming.topic in page and upcoming.place in page
    assert "已有 1 户报名" in page
    _no_personal_data(page, world)


def test_noticeboard_of_another_compound_does_not_show_this_compounds_meetings(client, world, upcoming):
    page = client.get(reverse("projects:noticeboard", args=[world.other_compound.pk])).content.decode()
    assert upcoming.topic not in page


def test_planned_meetings_are_not_on_the_noticeboard(client, world, upcoming):
    from consult.services.meetings import meeting_change_status

    meeting_change_status(meeting=upcoming, to_status=MeetingStatus.PLANNED, by=world.staff, note="改期")
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert upcoming.topic not in page


def test_cancelled_meeting_stays_on_the_noticeboard_as_cancelled(client, world, upcoming):
    from consult.services.meetings import meeting_change_status

    meeting_change_status(meeting=upcoming, to_status=MeetingStatus.CANCELLED, by=world.staff, note="暴雨预警")
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert upcoming.topic in page and "暴雨预警" in page and "已取消" in page


def test_household_section_lists_meetings_and_the_households_own_rsvp_only(client, world, upcoming):
    from consult.hooks.meetings import household_context
    from tests import factories as f

    neighbour = f.household(unit=world.unit, room="102")
    rsvp_say_coming(meeting=upcoming, household=neighbour, people=3)
    request = type("R", (), {})()
    context = household_context(world.household, request)
    assert [m.pk for m in context["meetings"]] == [upcoming.pk]
    assert context["meetings"][0].my_people is None  # the neighbour's RSVP is not ours
    assert household_context(world.foreign_household, request) is None


def test_resident_says_they_will_come_from_the_noticeboard(client, act_as, world, upcoming):
    act_as(client, world.household)
    board = reverse("projects:noticeboard", args=[world.compound.pk])
    assert "我会参加" in client.get(board).content.decode()
    response = client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"people": "2", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    rsvp = upcoming.rsvps.get()
    assert (rsvp.household, rsvp.people, rsvp.channel, rsvp.entered_by) == (world.household, 2, "online", None)
    client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"people": "2"})  # double tap
    assert upcoming.rsvps.count() == 1
    assert "您已报名参加" in client.get(board).content.decode()
    client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"action": "withdraw"})
    rsvp.refresh_from_db()
    assert rsvp.withdrawn_at is not None


def test_rsvp_needs_a_household_of_the_right_compound(client, act_as, world, upcoming):
    response = client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"people": "1"})
    assert response.status_code == 302 and not upcoming.rsvps.exists()
    act_as(client, world.foreign_household)
    client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"people": "1"})
    assert not upcoming.rsvps.exists()
    response = client.post(reverse("consult:meeting_rsvp", args=[upcoming.pk]), {"people": "abc"})
    assert response.status_code == 302 and not upcoming.rsvps.exists()
    assert client.post(reverse("consult:meeting_rsvp", args=[999999])).status_code == 404


def test_public_minutes_version_has_no_names(client, world, reported):
    client.force_login(world.staff)
    url = reverse("consult:meeting_minutes_print", args=[reported.pk])
    staff_version = client.get(url).content.decode()
    assert "张秀兰" in staff_version  # the discussion notes are on the staff version
    public_version = client.get(url + "?public=1").content.decode()
    assert reported.public_summary in public_version
    _no_personal_data(public_version, world, signed_in=True)


def test_building_head_gets_the_public_minutes_only(client, world, reported):
    client.force_login(world.building_head)
    page = client.get(reverse("consult:meeting_minutes_print", args=[reported.pk])).content.decode()
    assert "张秀兰" not in page and PHONE not in page


def test_minutes_form_refuses_a_name_in_the_public_summary(client, world, held):
    world.household.owner_names = "张秀兰"
    world.household.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:meeting_minutes", args=[held.pk]),
        {"problems": "张秀兰家漏水", "public_summary": "张秀兰家的问题已记录"},
    )
    assert response.status_code == 200
    assert "请写“一位居民”" in response.content.decode()
    held.refresh_from_db()
    assert held.problems == ""  # nothing saved


def test_staff_only_minutes_may_name_residents(client, world, held):
    world.household.owner_names = "张秀兰"
    world.household.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:meeting_minutes", args=[held.pk]),
        {"problems": "张秀兰家漏水", "discussion_notes": f"电话 {PHONE}", "public_summary": "一户居民家中漏水"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.problems == "张秀兰家漏水"


@pytest.mark.parametrize(
    "text,found",
    [
        ("请联系13812341234", True),
        ("电话010-69841234", True),
        ("身份证110101199003071234", True),
        ("张秀兰反映", True),
        ("一位居民反映；社区电话见公告栏", False),
        ("更换190米污水管线，新装21座隔油池", False),
        ("138****1234", False),
    ],
)
def test_personal_data_check(text, found):
    assert bool(personal_data_found(text, split_names(["张秀兰、李建国"]))) is found


def test_single_character_names_are_not_flagged():
    assert split_names(["王", "李 四", "赵小明/钱多多"]) == {"赵小明", "钱多多"}
