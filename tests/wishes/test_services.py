"""Submission through every channel, the life cycle with responses, and corrections."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consult.models import Support, Wish, WishStatus, WishStatusChange
from consult.models.wishes import STAFF_CHANNELS
from consult.receipts import ALPHABET, LENGTH
from consult.services.wishes import wish_change_status, wish_update
from projects.models import Channel
from tests import factories as f

from .conftest import make_wish

pytestmark = pytest.mark.django_db


def test_online_by_household_counts_as_its_first_support(world):
    wish = make_wish(world.compound, household=world.household, building=world.building)
    assert wish.channel == Channel.ONLINE and wish.entered_by is None
    assert wish.receipt_code is None  # the household page is its way back
    support = Support.objects.get(wish=wish)
    assert support.household == world.household and support.channel == Channel.ONLINE
    assert [(h.from_status, h.to_status) for h in wish.history.all()] == [("", WishStatus.SUBMITTED)]


def test_online_without_household_gets_a_receipt_code(world):
    wish = make_wish(world.compound, contact_phone="139 1234 5678")
    assert wish.contact_phone == "13912345678"
    assert len(wish.receipt_code) == LENGTH and set(wish.receipt_code) <= set(ALPHABET)
    assert not Support.objects.filter(wish=wish).exists()


def test_online_without_household_needs_a_phone(world):
    with pytest.raises(ValidationError) as error:
        make_wish(world.compound, contact_phone="", contact_name="")
    assert "contact_phone" in error.value.message_dict


def test_receipt_codes_are_unique(world):
    codes = {make_wish(world.compound).receipt_code for _ in range(30)}
    assert len(codes) == 30


@pytest.mark.parametrize("channel", STAFF_CHANNELS)
def test_each_staff_channel_records_who_entered_it(world, channel):
    meeting = None
    if channel == Channel.MEETING:
        from django.utils import timezone

        from consult.models import Meeting

        meeting = Meeting.objects.create(
            community=world.community, topic="拉家常", starts_at=timezone.now(), place="活动室"
        )
    wish = make_wish(
        world.compound,
        by=world.staff,
        channel=channel,
        household=world.household,
        meeting=meeting,
        paper_reference="Q-0007",
    )
    assert wish.channel == channel and wish.entered_by == world.staff and wish.meeting == meeting
    support = Support.objects.get(wish=wish)
    assert support.channel == channel and support.entered_by == world.staff and support.paper_reference == "Q-0007"
    assert wish.history.get().changed_by == world.staff


def test_staff_entry_for_a_caller_without_household_gets_a_receipt_code(world):
    wish = make_wish(world.compound, by=world.staff, channel=Channel.HOTLINE, contact_phone="13700001111")
    assert wish.receipt_code


def test_suggestion_box_note_may_be_anonymous(world):
    wish = make_wish(world.compound, by=world.staff, channel=Channel.SUGGESTION_BOX)
    assert wish.receipt_code is None and wish.household is None


def test_online_entry_cannot_name_staff_and_staff_entry_cannot_be_online(world):
    with pytest.raises(ValidationError):
        make_wish(world.compound, by=world.staff, channel=Channel.ONLINE)
    with pytest.raises(ValidationError):
        make_wish(world.compound, channel=Channel.PHONE)


def test_database_refuses_an_offline_wish_without_who_entered_it(world):
    wish = make_wish(world.compound, by=world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(entered_by=None)


def test_household_building_and_meeting_must_belong_to_the_compound(world):
    from django.utils import timezone

    from consult.models import Meeting

    other_meeting = Meeting.objects.create(
        community=world.other_community, topic="x", starts_at=timezone.now(), place="y"
    )
    other_building = f.building(compound=world.other_compound)
    with pytest.raises(ValidationError) as error:
        make_wish(
            world.compound,
            by=world.staff,
            household=world.foreign_household,
            building=other_building,
            meeting=other_meeting,
        )
    assert {"household", "building", "meeting"} <= set(error.value.message_dict)


def test_status_life_cycle_with_responses(world):
    project = f.project(community=world.community, title="北门适老化改造")
    wish = make_wish(world.compound, household=world.household)
    steps = [
        (WishStatus.ACCEPTED, ""),
        (WishStatus.PLANNED, "纳入今年适老化改造方案"),
        (WishStatus.IN_PROGRESS, ""),
        (WishStatus.DONE, "扶手已安装"),
    ]
    for to_status, response in steps:
        wish_change_status(wish=wish, to_status=to_status, by=world.staff, response=response, project=project)
    wish.refresh_from_db()
    assert wish.status == WishStatus.DONE and wish.project == project
    history = list(wish.history.order_by("changed_at", "pk"))
    assert [h.to_status for h in history] == [
        WishStatus.SUBMITTED,
        WishStatus.ACCEPTED,
        WishStatus.PLANNED,
        WishStatus.IN_PROGRESS,
        WishStatus.DONE,
    ]
    assert all(h.response for h in history[1:]), "every change carries a response"
    assert history[2].response == "纳入今年适老化改造方案" and history[2].project == project
    assert history[-1].response == "扶手已安装" and history[-1].changed_by == world.staff


def test_decline_needs_a_public_reason_and_can_be_reconsidered(world):
    wish = make_wish(world.compound)
    with pytest.raises(ValidationError):
        wish_change_status(wish=wish, to_status=WishStatus.DECLINED, by=world.staff, response="  ")
    wish_change_status(
        wish=wish, to_status=WishStatus.DECLINED, by=world.staff, response="该位置是消防通道，不能设停车位"
    )
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff)
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.ACCEPTED


@pytest.mark.parametrize(
    "path,bad",
    [
        ([], WishStatus.DONE),
        ([], WishStatus.IN_PROGRESS),
        ([WishStatus.ACCEPTED, WishStatus.IN_PROGRESS, WishStatus.DONE], WishStatus.DECLINED),
    ],
)
def test_impossible_transitions_are_refused(world, path, bad):
    wish = make_wish(world.compound)
    for step in path:
        wish_change_status(wish=wish, to_status=step, by=world.staff)
    count = WishStatusChange.objects.filter(wish=wish).count()
    with pytest.raises(ValidationError):
        wish_change_status(wish=wish, to_status=bad, by=world.staff, response="x")
    assert WishStatusChange.objects.filter(wish=wish).count() == count


def test_planning_needs_a_project_of_the_same_community(world):
    wish = make_wish(world.compound)
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff)
    foreign = f.project(community=world.other_community)
    for project in (None, foreign):
        with pytest.raises(ValidationError):
            wish_change_status(wish=wish, to_status=WishStatus.PLANNED, by=world.staff, project=project)
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.ACCEPTED


def test_database_keeps_planned_and_merged_consistent(world):
    wish = make_wish(world.compound)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(status=WishStatus.PLANNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(status=WishStatus.MERGED)


def test_correction_is_logged_without_copying_the_phone(world):
    wish = make_wish(world.compound, title="路灯坏了", contact_phone="13912345678")
    change = wish_update(wish=wish, by=world.staff, data={"title": "北门路灯坏了", "contact_phone": "13800001111"})
    wish.refresh_from_db()
    assert wish.title == "北门路灯坏了" and wish.contact_phone == "13800001111"
    assert "北门路灯坏了" in change.note and "13800001111" not in change.note and "13912345678" not in change.note
    assert change.changed_by == world.staff and change.response == ""
    assert wish_update(wish=wish, by=world.staff, data={"title": "北门路灯坏了"}) is None
