"""Each trigger writes outbox rows for the households it concerns, and only for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.models import BallotStatus
from notify import triggers
from notify.models import Delivery, DeliveryStatus, Message, MessageChannel, MessageKind, SkipReason
from notify.services.outbox import OutboxError, queue
from projects.models import Household, SignoffStatus, Stage
from projects.services import signoffs as signoff_services
from tests import factories as f
from tests.ballots.conftest import vote
from tests.signoffs.conftest import open_campaign

from .conftest import consent

pytestmark = pytest.mark.django_db


def recipients(message_channel=MessageChannel.SMS) -> set[int]:
    return set(Delivery.objects.filter(message__channel=message_channel).values_list("household_id", flat=True))


def test_ballot_reminder_goes_only_to_households_that_have_not_voted(world, stairwell):
    ballot = f.ballot(world)
    voted = stairwell[:2]
    for household in voted:
        vote(ballot, household)
    # A voided ballot does not count as voting: that household is reminded.
    cast = vote(ballot, stairwell[2])
    from consult.services import ballots as ballot_services

    ballot_services.void_cast_ballot(cast=cast, by=world.staff, reason="填错")
    draft = triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_OPENED)
    queue(draft, channels={MessageChannel.SMS, MessageChannel.PRINT}, by=world.staff)

    assert recipients() == {h.pk for h in stairwell[2:]}
    assert world.other_household.pk not in recipients()  # outside the ballot's unit
    message = Message.objects.get(channel=MessageChannel.SMS)
    assert message.kind == MessageKind.BALLOT_OPENED and message.ref == f"ballot:{ballot.pk}"
    assert ballot.title in message.text
    assert Message.objects.get(channel=MessageChannel.PRINT).deliveries.count() == 0


def test_closing_reminder_only_in_the_last_48_hours(world, stairwell):
    ballot = f.ballot(world, lasts=timedelta(days=7))
    with pytest.raises(OutboxError):
        triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_CLOSING)
    late = ballot.closes_at - timedelta(hours=47)
    draft = triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_CLOSING, now=late)
    assert draft.households.count() == len(stairwell)


def test_no_reminder_for_a_ballot_that_is_not_open(world, stairwell):
    ballot = f.ballot(world, open_it=False)
    assert ballot.status == BallotStatus.DRAFT
    with pytest.raises(OutboxError):
        triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_OPENED)


def test_wish_answer_goes_to_the_phone_the_submitter_gave(world):
    wish = f.wish(world.compound, contact_phone="13912345678")
    queue(triggers.wish_answered(wish), channels={MessageChannel.SMS}, by=world.staff)
    row = Delivery.objects.get()
    assert (row.phone, row.household, row.status, row.skip_reason) == (
        "13912345678",
        None,
        DeliveryStatus.SKIPPED,
        SkipReason.NO_CONSENT,
    )
    consent(world.household, world.staff, phone="13912345678")
    queue(triggers.wish_answered(wish), channels={MessageChannel.SMS}, by=world.staff)
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED, phone="13912345678").count() == 1


def test_wish_without_a_phone_has_no_one_to_tell(world):
    wish = f.wish(world.compound, contact_phone="", contact_name="", by=world.staff)
    with pytest.raises(OutboxError):
        triggers.wish_answered(wish)


def test_signoff_reminder_reaches_the_assignees_households_that_have_not_agreed(world, stairwell):
    project = f.project(community=world.community, stage=Stage.CONSENT)
    project.buildings.set([world.building, world.other_building])
    campaign = open_campaign(project, world.staff)
    mine = stairwell[:4]
    signoff_services.signoff_assign(campaign=campaign, households=mine, assignee=world.staff, by=world.admin)
    signoff_services.signoff_assign(
        campaign=campaign, households=[stairwell[4], world.other_household], assignee=world.admin, by=world.admin
    )
    signoff_services.signoff_record_status(
        campaign=campaign,
        household=mine[0],
        status=SignoffStatus.AGREED,
        by=world.staff,
        signer_name="张三",
        signer_relation="owner",
        signed_on=timezone.localdate(),
    )
    draft = triggers.signoff_reminder(campaign, assignee=world.staff)
    queue(draft, channels={MessageChannel.SMS}, by=world.staff)
    assert recipients() == {h.pk for h in mine[1:]}


def test_meeting_notice_reaches_the_meeting_area(world, stairwell):
    meeting = f.meeting(world.community, world.staff, compound=world.compound)
    queue(triggers.meeting_notice(meeting, changed=False), channels={MessageChannel.SMS}, by=world.staff)
    in_compound = set(Household.objects.filter(unit__building__compound=world.compound).values_list("pk", flat=True))
    assert recipients() == in_compound and world.foreign_household.pk not in recipients()
    queue(triggers.meeting_notice(meeting, changed=True), channels={MessageChannel.PRINT}, by=world.staff)
    changed = Message.objects.get(channel=MessageChannel.PRINT)
    assert changed.kind == MessageKind.MEETING_CHANGED and meeting.place in changed.text


def test_construction_notice_reaches_only_the_affected_buildings(world, stairwell):
    project = f.project(community=world.community, stage=Stage.CONSTRUCTION)
    starts = timezone.now() + timedelta(days=2)
    draft = triggers.construction_notice(
        project, buildings=[world.other_building], what="water", starts=starts, ends=starts + timedelta(hours=8)
    )
    queue(draft, channels={MessageChannel.SMS, MessageChannel.PRINT}, by=world.staff)
    assert recipients() == {world.other_household.pk}
    message = Message.objects.get(channel=MessageChannel.PRINT)
    assert "停水" in message.text and list(message.buildings.all()) == [world.other_building]
    with pytest.raises(OutboxError):
        triggers.construction_notice(project, buildings=[], what="power", starts=starts, ends=starts)


def test_survey_notice_reaches_the_projects_affected_households(world, stairwell):
    project = f.project(community=world.community, stage=Stage.EVALUATION)
    project.units.set([world.unit])
    queue(triggers.survey_opened(project), channels={MessageChannel.SMS}, by=world.staff)
    assert recipients() == {h.pk for h in stairwell}
