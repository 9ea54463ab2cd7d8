"""Sending what the outbox holds: claim a batch, send it, record each answer.

Safe with any number of workers on any number of machines (PostgreSQL): a batch is claimed
under ``select_for_update(skip_locked=True)``, so two workers never hold the same row, and
the claim (``queued → sending``, with the worker's id) is committed before anything leaves.
Recording the answer is a conditional update on that claim. A worker that dies between the
two leaves a ``sending`` row; after ``LEASE`` another worker takes it up again and sends it
with the same idempotency key, which the SMS provider uses to drop the repeat. A group robot
has no such key, so a group message whose worker died is marked failed for staff to check,
never sent a second time.

Consent is checked again when a row is claimed (an opt-out recorded after the message was
queued still holds), quiet hours hold every SMS back, and a household over its daily limit
waits for the next morning.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import policy
from ..backends import Outgoing, PermanentError, TransientError, get_backend
from ..models import Delivery, DeliveryStatus, MessageChannel, SkipReason

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
BACKOFF_CAP = timedelta(hours=6)


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: list[datetime] = field(default_factory=list)

    def add(self, other: "DrainResult") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.skipped += other.skipped


def backoff(attempts: int) -> timedelta:
    """60 s, 2 min, 4 min … after the 1st, 2nd, 3rd attempt, at most six hours."""
    return min(timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def _due(now: datetime, message_ids=None):
    stale = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE)
    rows = Delivery.objects.filter(Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now) | stale)
    if message_ids is not None:
        rows = rows.filter(message_id__in=message_ids)
    return rows


def claim(*, worker: str, now: datetime, message_ids=None, batch: int = 50) -> tuple[list[Delivery], int]:
    """Claim up to ``batch`` due deliveries for ``worker`` (committed on return); also
    return how many rows were settled without sending.

    Rows that may not go now are settled in the same transaction: no consent → skipped;
    over the daily limit → next morning; a group delivery left ``sending`` by a dead worker
    → failed. During quiet hours nothing is claimed: group robots wake people too."""
    if policy.in_quiet_hours(now):
        return [], 0
    with transaction.atomic():
        rows = list(
            _due(now, message_ids)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("message", "group")
            .order_by("next_attempt_at", "pk")[:batch]
        )
        if not rows:
            return [], 0
        sms = [row for row in rows if row.message.channel == MessageChannel.SMS]
        consent = {}
        for community_id in {row.message.community_id for row in sms}:
            phones = [row.phone for row in sms if row.message.community_id == community_id]
            consent.update({(community_id, p): v for p, v in policy.consented_phones(community_id, phones).items()})
        counts = policy.sent_today([row.household_id for row in sms if row.household_id], now)

        claimed, skip, later, lost = [], {}, [], []
        for row in rows:
            if row.message.channel == MessageChannel.GROUP:
                if row.status == DeliveryStatus.SENDING:
                    lost.append(row.pk)
                else:
                    claimed.append(row)
                continue
            answer = consent.get((row.message.community_id, policy.normalize_phone(row.phone)))
            if not answer:
                skip.setdefault(SkipReason.NO_CONSENT if answer is None else SkipReason.OPTED_OUT, []).append(row.pk)
                continue
            if row.household_id:
                if counts.get(row.household_id, 0) >= settings.NOTIFY_DAILY_LIMIT:
                    later.append(row.pk)
                    continue
                counts[row.household_id] = counts.get(row.household_id, 0) + 1
            claimed.append(row)

        for reason, pks in skip.items():
            Delivery.objects.filter(pk__in=pks).update(status=DeliveryStatus.SKIPPED, skip_reason=reason)
        if later:
            Delivery.objects.filter(pk__in=later).update(
                status=DeliveryStatus.QUEUED, next_attempt_at=policy.next_morning(now)
            )
        if lost:
            Delivery.objects.filter(pk__in=lost).update(
                status=DeliveryStatus.FAILED,
                last_error="worker stopped while sending; check the group before sending again",
            )
        Delivery.objects.filter(pk__in=[row.pk for row in claimed]).update(
            status=DeliveryStatus.SENDING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
        )
        for row in claimed:
            row.attempts += 1
    return claimed, len(rows) - len(claimed)


def _outgoing(row: Delivery) -> Outgoing:
    to = row.group.url if row.message.channel == MessageChannel.GROUP else row.phone
    return Outgoing(to=to, text=row.message.text, idempotency_key=str(row.idempotency_key), kind=row.message.kind)


def send_claimed(rows: list[Delivery], *, worker: str, now_func=timezone.now) -> DrainResult:
    """Send each claimed row, then record the answers of the batch in one transaction, each
    only while the claim is still ours. (One commit per batch, not per message: a worker
    that dies before it leaves its batch ``sending``, to be repeated under the same keys.)"""
    result = DrainResult()
    backends, outcomes = {}, []
    for row in rows:
        channel = row.message.channel
        backend = backends.get(channel) or backends.setdefault(channel, get_backend(channel))
        try:
            reference = backend.send(_outgoing(row))
        except TransientError as error:
            if row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                outcomes.append((row, {"status": DeliveryStatus.FAILED, "last_error": str(error)[:300]}))
                result.failed += 1
            else:
                retry_at = policy.next_allowed(now_func() + backoff(row.attempts))
                outcomes.append(
                    (
                        row,
                        {"status": DeliveryStatus.QUEUED, "next_attempt_at": retry_at, "last_error": str(error)[:300]},
                    )
                )
                result.retried += 1
                result.deferred.append(retry_at)
            logger.warning("delivery %s: %s (attempt %s)", row.pk, error, row.attempts)
        except PermanentError as error:
            outcomes.append((row, {"status": DeliveryStatus.FAILED, "last_error": str(error)[:300]}))
            result.failed += 1
            logger.warning("delivery %s refused: %s", row.pk, error)
        else:
            fields = {"status": DeliveryStatus.SENT, "sent_at": now_func(), "provider_ref": reference[:100]}
            outcomes.append((row, {**fields, "last_error": ""}))
            result.sent += 1
    with transaction.atomic():
        for row, fields in outcomes:
            Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.SENDING, claimed_by=worker).update(**fields)
    return result


def drain(*, worker: str, message_ids=None, batch: int = 50, now_func=timezone.now, on_batch=None) -> DrainResult:
    """Claim and send until nothing is due; ``on_batch`` is called after each batch (progress)."""
    total = DrainResult()
    while True:
        rows, settled = claim(worker=worker, now=now_func(), message_ids=message_ids, batch=batch)
        if not rows and not settled:
            return total
        total.skipped += settled
        total.add(send_claimed(rows, worker=worker, now_func=now_func))
        if on_batch:
            on_batch()


def next_due(message_ids=None) -> datetime | None:
    """When the earliest still-queued delivery may go (quiet hours, retries, daily limits)."""
    rows = Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])
    if message_ids is not None:
        rows = rows.filter(message_id__in=message_ids)
    first = rows.order_by("next_attempt_at").values_list("next_attempt_at", "status", "claimed_at").first()
    if first is None:
        return None
    when, status, claimed_at = first
    if status == DeliveryStatus.SENDING:
        return claimed_at + LEASE
    return policy.next_allowed(when)
