"""Reminders that go out by themselves: "voting closes within 48 hours" to the households
that have not voted, once per ballot.

Run by ``manage.py send_due_reminders`` every few minutes (a systemd timer or cron). The
``AutoReminder`` row is written in the same transaction as the message, under a unique
constraint, so a second run — or two runs at once — sends nothing more. Consent, quiet hours
and the daily limit apply as for any message: ``queue`` and the worker enforce them."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import Ballot, BallotStatus

from .. import triggers
from ..models import AutoReminder, Message, MessageChannel, MessageKind
from .outbox import OutboxError, queue


def due_closing_ballots(now: datetime):
    """Open ballots closing within the window that have had no "closing soon" reminder,
    neither automatic nor sent by staff by hand."""
    ballots = Ballot.objects.filter(
        status=BallotStatus.OPEN, closes_at__gt=now, closes_at__lte=now + triggers.CLOSING_WINDOW
    ).exclude(auto_reminders__kind=MessageKind.BALLOT_CLOSING)
    ballots = list(
        ballots.select_related(
            "community", "compound", "building__compound", "unit__building__compound", "opened_by", "created_by"
        ).order_by("closes_at", "pk")
    )
    by_hand = set(
        Message.objects.filter(
            kind=MessageKind.BALLOT_CLOSING, ref__in=[f"ballot:{b.pk}" for b in ballots]
        ).values_list("ref", flat=True)
    )
    return [b for b in ballots if f"ballot:{b.pk}" not in by_hand]


def send_due_reminders(*, now: datetime | None = None) -> list[AutoReminder]:
    """Queue each due ballot's closing reminder (SMS to non-voters); returns those sent now."""
    now = now or timezone.now()
    sent = []
    for ballot in due_closing_ballots(now):
        try:
            with transaction.atomic():
                reminder = AutoReminder.objects.create(ballot=ballot, kind=MessageKind.BALLOT_CLOSING, sent_at=now)
                draft = triggers.ballot_reminder(ballot, kind=MessageKind.BALLOT_CLOSING, now=now)
                if draft.households.exists():
                    queued = queue(
                        draft, channels={MessageChannel.SMS}, by=ballot.opened_by or ballot.created_by, now=now
                    )
                    reminder.message = queued.messages[0]
                    reminder.save(update_fields=["message"])
        except IntegrityError:
            continue  # another run holds or has sent this ballot's reminder
        except OutboxError:
            continue  # closed between the query and now: nothing to remind
        sent.append(reminder)
    return sent
