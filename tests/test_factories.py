"""The consult factories build through the services: what they return is what a real
submission leaves behind (history rows, receipt codes, options, open status)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.models import BallotStatus, MeetingStatus, WishStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_wish_has_its_receipt_code_and_first_history_row(world):
    wish = f.wish(world.compound)
    assert wish.status == WishStatus.SUBMITTED and wish.receipt_code
    assert list(wish.history.values_list("to_status", flat=True)) == [WishStatus.SUBMITTED]


def test_support_counts_for_the_wish(world):
    wish = f.wish(world.compound)
    f.support(wish, world.other_household)
    assert wish.supports.filter(household=world.other_household, withdrawn_at__isnull=True).exists()


def test_a_meeting_is_planned_and_takes_action_items_once_held(world):
    from tests.meetings.conftest import advance

    meeting = f.meeting(world.community, world.staff, starts_at=timezone.now() - timedelta(hours=1))
    assert meeting.status == MeetingStatus.PLANNED
    meeting = advance(meeting, world.staff, MeetingStatus.HELD)
    item = f.action_item(meeting, world.staff)
    assert item.owner_user == world.staff and item.updates.count() == 1


def test_a_ballot_is_open_with_agree_options(world):
    ballot = f.ballot(world)
    assert ballot.status == BallotStatus.OPEN
    assert ballot.options.count() == 3
