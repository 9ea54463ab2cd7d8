"""The "closing within 48 hours" reminder goes out by itself, once per ballot, to non-voters."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from notify.models import AutoReminder, Delivery, DeliveryStatus, Message, MessageChannel, MessageKind, SkipReason
from notify.services.reminders import send_due_reminders
from tests import factories as f
from tests.ballots.conftest import vote

from .conftest import consent

pytestmark = pytest.mark.django_db


def closing_deliveries():
    return Delivery.objects.filter(message__kind=MessageKind.BALLOT_CLOSING, message__channel=MessageChannel.SMS)


def test_sends_once_to_non_voters_in_the_last_48_hours(world, stairwell):
    ballot = f.ballot(world, lasts=timedelta(days=3))
    vote(ballot, stairwell[0])
    late = ballot.closes_at - timedelta(hours=40)

    sent = send_due_reminders(now=late)

    assert [r.ballot_id for r in sent] == [ballot.pk]
    assert set(closing_deliveries().values_list("household_id", flat=True)) == {h.pk for h in stairwell[1:]}
    assert Message.objects.get().ref == f"ballot:{ballot.pk}"
    # A second run, later in the window, sends nothing more.
    assert send_due_reminders(now=late + timedelta(hours=1)) == []
    assert Message.objects.count() == 1
    assert AutoReminder.objects.get().message.kind == MessageKind.BALLOT_CLOSING


def test_not_before_the_window_nor_after_closing(world, stairwell):
    ballot = f.ballot(world, lasts=timedelta(days=7))
    assert send_due_reminders(now=ballot.closes_at - timedelta(hours=49)) == []
    assert send_due_reminders(now=ballot.closes_at + timedelta(minutes=1)) == []
    assert not Message.objects.exists() and not AutoReminder.objects.exists()


def test_not_for_a_ballot_that_is_not_open(world, stairwell):
    ballot = f.ballot(world, open_it=False, lasts=timedelta(days=1))
    assert send_due_reminders(now=ballot.closes_at - timedelta(hours=2)) == []
    assert not Message.objects.exists()


def test_consent_still_decides_who_gets_an_sms(world, stairwell):
    ballot = f.ballot(world, lasts=timedelta(days=1))
    consent(stairwell[1], world.staff, granted=False)
    send_due_reminders(now=ballot.closes_at - timedelta(hours=10))
    skipped = closing_deliveries().get(household=stairwell[1])
    assert skipped.status == DeliveryStatus.SKIPPED and skipped.skip_reason == SkipReason.OPTED_OUT


def test_no_second_reminder_when_staff_already_sent_one(world, stairwell, client):
    from notify import triggers
    from notify.services.outbox import queue

    ballot = f.ballot(world, lasts=timedelta(days=1))
    now = ballot.closes_at - timedelta(hours=5)
    queue(triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_CLOSING, now=now), channels={"sms"}, by=world.staff)
    assert send_due_reminders(now=now) == []
    assert Message.objects.count() == 1


def test_command_runs_and_is_idempotent(world, stairwell, capsys):
    f.ballot(world, lasts=timedelta(hours=30))
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    out = capsys.readouterr().out.splitlines()
    assert out == ["1 reminder(s) queued", "0 reminder(s) queued"]
    assert Message.objects.count() == 1
