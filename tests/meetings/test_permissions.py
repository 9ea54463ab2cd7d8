"""Permission matrix: every meeting view against every role.

Residents have no account: acting as a household (after entering its code) gives them the
noticeboard RSVP and nothing on the staff pages. Department viewers see only the meetings
they were invited to and the items assigned to them. Sub-district staff and building heads
read but do not write.
"""

import pytest
from django.urls import reverse

from consult.models import ActionItem, Attendance, Meeting, MeetingRSVP, MeetingStatus, MeetingVote
from consult.services.meeting_attendance import attendance_sign_in_household, rsvp_say_coming
from consult.services.meeting_votes import vote_record
from tests.helpers import ROLES

from .conftest import make_meeting

pytestmark = pytest.mark.django_db

READ_ONLY = {"meeting", "meeting_list", "meeting_minutes_print", "action_items", "action_item"}
ALL = {
    "meeting",
    "meeting_list",
    "meeting_add",
    "meeting_edit",
    "meeting_minutes",
    "meeting_minutes_print",
    "meeting_sign_in_sheet",
    "meeting_quick_entry",
    "action_items",
    "action_item_add",
    "action_item",
    "action_item_edit",
}
ALLOWED = {
    "staff": ALL,
    "admin": ALL,
    "superuser": ALL,
    "department": READ_ONLY,  # invited to the meeting, owner of the item
    "building_head": READ_ONLY,
    "sub_district_staff": READ_ONLY,
    "other_staff": set(),
}


@pytest.fixture
def targets(world, held, department):
    item = ActionItem.objects.get(meeting=held, owner_department=department)
    return {"community": world.community.pk, "meeting": held.pk, "item": item.pk}


URLS = {
    "meeting": "meeting",
    "meeting_list": "community",
    "meeting_add": "community",
    "meeting_edit": "meeting",
    "meeting_minutes": "meeting",
    "meeting_minutes_print": "meeting",
    "meeting_sign_in_sheet": "meeting",
    "meeting_quick_entry": "meeting",
    "action_items": "community",
    "action_item_add": "meeting",
    "action_item": "item",
    "action_item_edit": "item",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(URLS))
def test_get_matrix(client, act_as, world, targets, role, view):
    act_as(client, role)
    response = client.get(reverse(f"consult:{view}", args=[targets[URLS[view]]]))
    if role in ("anonymous", "resident", "resident_elsewhere"):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif view in ALLOWED[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("view", ["meeting", "meeting_minutes_print"])
def test_department_not_invited_sees_nothing_of_the_meeting(client, world, view):
    meeting = make_meeting(world.community, world.staff)  # no department invited
    client.force_login(world.department)
    assert client.get(reverse(f"consult:{view}", args=[meeting.pk])).status_code == 403
    listing = client.get(reverse("consult:meeting_list", args=[world.community.pk])).content.decode()
    assert meeting.get_absolute_url() not in listing


def test_department_does_not_see_another_owners_item(client, world, held):
    other = ActionItem.objects.get(meeting=held, owner_user=world.staff)
    client.force_login(world.department)
    assert client.get(reverse("consult:action_item", args=[other.pk])).status_code == 403


def test_department_meeting_page_hides_people_and_other_items(client, world, held):
    attendance_sign_in_household(meeting=held, household=world.household, by=world.staff)
    client.force_login(world.department)
    page = client.get(held.get_absolute_url()).content.decode()
    assert world.household.owner_names not in page and str(world.household) not in page
    assert "更换190米污水管线" in page and "通知21家商户" not in page


@pytest.mark.parametrize("where", ["inside", "outside"])
def test_building_head_reads_meetings_of_any_building_but_not_the_names(client, world, where):
    building = world.building if where == "inside" else world.other_building
    meeting = make_meeting(world.community, world.staff, compound=world.compound, building=building)
    client.force_login(world.building_head)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_see_people"] is False and response.context["can_change"] is False


def _post_actions(world, held):
    attendance = attendance_sign_in_household(meeting=held, household=world.other_household, by=world.staff)
    vote = vote_record(meeting=held, question="同意改造", votes_for=3, votes_against=0, abstentions=0, by=world.staff)
    upcoming = make_meeting(world.community, world.staff, compound=world.compound)
    rsvp = rsvp_say_coming(meeting=upcoming, household=world.household, channel="phone", by=world.staff)
    return [
        ("meeting_status", [held.pk], {"to_status": MeetingStatus.CANCELLED, "note": "x"}),
        ("meeting_report_back", [held.pk], {"report_back": "已完成", "publish": "1"}),
        ("meeting_vote_add", [held.pk], {"question": "新问题", "votes_for": 1, "votes_against": 0, "abstentions": 0}),
        ("meeting_vote_delete", [held.pk, vote.pk], {}),
        ("meeting_sign_in", [held.pk], {"room": world.household.room, "headcount": 1}),
        ("meeting_attendance_delete", [held.pk, attendance.pk], {}),
        ("meeting_rsvp_record", [upcoming.pk], {"room": world.other_household.room, "people": 1, "channel": "phone"}),
        ("meeting_rsvp_withdraw", [upcoming.pk, rsvp.pk], {}),
        ("meeting_quick_entry", [held.pk], {"households": world.household.room, "walk_ins": 3}),
        ("meeting_minutes", [held.pk], {"problems": "x", "public_summary": "y"}),
        ("meeting_edit", [held.pk], {"topic": "改了"}),
        ("meeting_add", [world.community.pk], {"topic": "新会", "kind": "chat"}),
        ("action_item_add", [held.pk], {"title": "新事项", "owner": f"u:{world.staff.pk}", "deadline": "2099-01-01"}),
    ]


def _snapshot():
    return (
        list(Meeting.objects.order_by("pk").values_list("pk", "status", "topic", "problems")),
        Attendance.objects.count(),
        MeetingVote.objects.count(),
        list(MeetingRSVP.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        ActionItem.objects.count(),
    )


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "other_staff", "department", "building_head", "sub_district_staff"]
)
def test_writes_are_refused_and_change_nothing(client, act_as, world, held, role):
    actions = _post_actions(world, held)
    before = _snapshot()
    act_as(client, role)
    for name, args, data in actions:
        response = client.post(reverse(f"consult:{name}", args=args), data)
        expected = 302 if role in ("anonymous", "resident") else 403
        assert response.status_code == expected, name
        if expected == 302:
            assert "/accounts/login/" in response["Location"]
    assert _snapshot() == before


def test_nonexistent_ids_are_404(client, world):
    client.force_login(world.staff)
    for name in ("meeting", "meeting_edit", "meeting_minutes_print", "action_item"):
        assert client.get(reverse(f"consult:{name}", args=[999999])).status_code == 404
    assert client.get(reverse("consult:meeting_list", args=[999999])).status_code == 404
    assert client.post(reverse("consult:meeting_vote_delete", args=[999999, 1])).status_code == 404


def test_staff_cannot_reach_another_communitys_lines_through_their_own_meeting(client, world, held):
    other_meeting = make_meeting(world.other_community, world.other_staff)
    foreign = Meeting.objects.get(pk=other_meeting.pk)
    vote = MeetingVote.objects.create(
        meeting=foreign,
        question="q",
        votes_for=1,
        votes_against=0,
        abstentions=0,
        recorded_by=world.other_staff,
        recorded_at=foreign.starts_at,
    )
    client.force_login(world.staff)
    response = client.post(reverse("consult:meeting_vote_delete", args=[held.pk, vote.pk]))
    assert response.status_code == 404
    assert MeetingVote.objects.filter(pk=vote.pk).exists()
