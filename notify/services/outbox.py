"""Putting messages into the outbox: one ``Message`` per channel, one ``Delivery`` per recipient.

Everything happens in one transaction with the job that sends it, so a message is either
queued with its job or not at all (the task queue lives in the same database). Whether a
household's phone may get an SMS is decided here for the staff's view ("12 households have
no consent: print the notice for them") and again when a worker claims the row.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError
from projects.services.entries import check_entry

from .. import policy
from ..models import (
    ContactConsent,
    Delivery,
    DeliveryStatus,
    GroupWebhook,
    Job,
    JobKind,
    Message,
    MessageChannel,
    SkipReason,
)

# Eleven digits in a row look like a mobile number: a group message must not carry one.
PHONE_LIKE = re.compile(r"1\d{10}")


class OutboxError(ServiceError):
    pass


@dataclass
class Draft:
    """What a trigger hands the outbox: the words and who they are for."""

    community: object
    kind: str
    ref: str
    subject: str
    sms_text: str
    notice_text: str
    scope_label: str
    compound: object = None
    buildings: list = field(default_factory=list)
    households: object = None  # a queryset of Household; None for "the submitter" (``phones``)
    phones: list = field(default_factory=list)  # (household or None, phone) when not households


@dataclass
class Queued:
    messages: list
    job: Job | None
    notice_job: Job | None
    queued: int
    skipped: dict


def _recipients(draft: Draft) -> list[tuple]:
    if draft.households is None:
        return [(household, phone) for household, phone in draft.phones]
    return [(h, h.phone) for h in draft.households.only("pk", "phone").order_by("pk")]


def _sms_deliveries(message: Message, recipients: list[tuple], now: datetime) -> tuple[list[Delivery], dict]:
    consent = policy.consented_phones(message.community_id, [phone for _h, phone in recipients])
    rows, skipped = [], {}
    first_try = policy.next_allowed(now)
    for household, phone in recipients:
        number = policy.normalize_phone(phone)
        if not number:
            reason = SkipReason.NO_PHONE
        else:
            answer = consent.get(number)
            reason = None if answer else SkipReason.NO_CONSENT if answer is None else SkipReason.OPTED_OUT
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
        rows.append(
            Delivery(
                message=message,
                household=household,
                phone=number,
                status=DeliveryStatus.SKIPPED if reason else DeliveryStatus.QUEUED,
                skip_reason=reason or "",
                next_attempt_at=first_try,
            )
        )
    return rows, skipped


def groups_for(draft: Draft):
    """The residents' groups a message reaches: the compound's groups, else the community's."""
    groups = GroupWebhook.objects.filter(community=draft.community, active=True)
    if draft.compound is not None:
        return groups.filter(compound=draft.compound) or groups.filter(compound__isnull=True)
    return groups.filter(compound__isnull=True)


def queue(draft: Draft, *, channels: set[str], by, base_url: str = "", now: datetime | None = None) -> Queued:
    """Write the messages for ``channels`` and enqueue the jobs that send and print them."""
    from .jobs import start_job

    now = now or timezone.now()
    channels = set(channels)
    if not channels or not channels <= set(MessageChannel.values):
        raise OutboxError(_("Choose online, print, or both."), field="channels")
    if MessageChannel.GROUP in channels and PHONE_LIKE.search(draft.notice_text.replace(" ", "")):
        raise OutboxError(_("A group message must not contain a phone number."), field="channels")
    with transaction.atomic():
        messages, deliveries, skipped = [], [], {}
        send_job = None
        needs_sending = channels & {MessageChannel.SMS, MessageChannel.GROUP}
        if needs_sending:
            send_job = Job.objects.create(
                community=draft.community, kind=JobKind.SEND, title=draft.subject, created_by=by, created_at=now
            )
        for channel in sorted(channels):
            message = Message.objects.create(
                community=draft.community,
                kind=draft.kind,
                channel=channel,
                ref=draft.ref,
                scope_label=draft.scope_label,
                compound=draft.compound,
                subject=draft.subject,
                text=draft.sms_text if channel == MessageChannel.SMS else draft.notice_text,
                triggered_by=by,
                created_at=now,
                job=send_job if channel in needs_sending else None,
            )
            if draft.buildings:
                message.buildings.set(draft.buildings)
            messages.append(message)
            if channel == MessageChannel.SMS:
                rows, skipped = _sms_deliveries(message, _recipients(draft), now)
                deliveries += rows
            elif channel == MessageChannel.GROUP:
                groups = list(groups_for(draft))
                if not groups:
                    raise OutboxError(
                        _("No residents' group is set up for %(place)s; choose SMS or print.")
                        % {"place": draft.compound or draft.community},
                        field="channels",
                    )
                deliveries += [
                    Delivery(message=message, group=g, next_attempt_at=policy.next_allowed(now)) for g in groups
                ]
        Delivery.objects.bulk_create(deliveries, batch_size=1000)
        queued = sum(1 for d in deliveries if d.status == DeliveryStatus.QUEUED)
        if send_job is not None:
            send_job.total = queued
            send_job.save(update_fields=["total"])
            start_job(send_job)
        notice_job = None
        if MessageChannel.PRINT in channels:
            notice_job = Job.objects.create(
                community=draft.community,
                kind=JobKind.NOTICES,
                title=_("Notices: %(subject)s") % {"subject": draft.subject},
                base_url=base_url[:200],
                created_by=by,
                created_at=now,
            )
            printed = next(m for m in messages if m.channel == MessageChannel.PRINT)
            printed.job = notice_job
            printed.save(update_fields=["job"])
            start_job(notice_job)
    return Queued(messages=messages, job=send_job, notice_job=notice_job, queued=queued, skipped=skipped)


def record_consent(
    *,
    community,
    phone: str,
    granted: bool,
    channel: str,
    by,
    household=None,
    note: str = "",
    paper_reference: str = "",
    paper_date=None,
    now: datetime | None = None,
) -> ContactConsent:
    """Append a consent (or an opt-out) for a phone number, saying who recorded it and how."""
    number = policy.normalize_phone(phone)
    if len(number) < 7:
        raise OutboxError(_("Enter the phone number the consent is for."), field="phone")
    check_entry(channel=channel, entered_by=by, paper_date=paper_date, error=OutboxError)
    if household is not None and household.unit.building.compound.community_id != community.pk:
        raise OutboxError(_("That household is not in this community."), field="household")
    return ContactConsent.objects.create(
        community=community,
        household=household,
        phone=number,
        granted=granted,
        channel=channel,
        entered_by=by,
        paper_reference=paper_reference,
        paper_date=paper_date,
        note=note,
        recorded_at=now or timezone.now(),
    )
