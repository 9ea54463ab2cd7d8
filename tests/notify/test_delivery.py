"""Delivery against a provider on 127.0.0.1: sent once, retried on 500s and time-outs with
back-off, never twice after a worker died, and never to a phone without consent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notify.models import (
    Delivery,
    DeliveryStatus,
    GroupWebhook,
    Job,
    JobStatus,
    MessageChannel,
    MessageKind,
    SkipReason,
)
from notify.services import delivery
from notify.services.jobs import run_send_job
from notify.services.outbox import Draft, OutboxError, queue
from projects.models import Household

from .conftest import DAYTIME, consent

pytestmark = pytest.mark.django_db


def draft(world, households=None, **kw):
    values = {
        "community": world.community,
        "kind": MessageKind.CONSTRUCTION,
        "ref": "project:1",
        "subject": "停水通知",
        "sms_text": "1号楼周四停水",
        "notice_text": "1号楼周四 9:00–17:00 停水",
        "scope_label": "佳和园 1号楼",
        "compound": world.compound,
        "households": households if households is not None else Household.objects.filter(unit=world.unit),
    }
    values.update(kw)
    return Draft(**values)


def clock(start):
    """A clock the test moves: ``now()`` for services, ``advance(seconds)``."""
    state = {"now": start}

    def now():
        return state["now"]

    def advance(**delta):
        state["now"] += timedelta(**delta)

    now.advance = advance
    return now


def test_each_consenting_phone_gets_the_text_once(world, stairwell, provider):
    queued = queue(draft(world), channels={MessageChannel.SMS}, by=world.staff, now=DAYTIME)
    assert queued.queued == 6
    job = run_send_job(queued.job.pk, now_func=clock(DAYTIME))

    assert job.status == JobStatus.DONE and (job.done, job.total, job.failed) == (6, 6, 0)
    assert sorted(r["body"]["phone"] for r in provider.requests) == sorted(h.phone for h in stairwell)
    first = provider.requests[0]["body"]
    assert first["template_param"]["text"] == "1号楼周四停水"
    assert first["sign_name"] == "北门社区" and first["template_code"] == "SMS_0001"
    assert first["out_id"] == provider.requests[0]["key"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_no_consent_and_opt_out_are_never_sent(world, stairwell, provider):
    no_consent = stairwell[1]
    no_consent.phone = "13600000001"  # a new number: the consent was for the old one
    no_consent.save(update_fields=["phone"])
    consent(stairwell[2], world.staff, granted=False, now=DAYTIME - timedelta(days=1))
    queued = queue(draft(world), channels={MessageChannel.SMS}, by=world.staff, now=DAYTIME)
    # Opting out after the message was queued still holds when the worker gets to it.
    consent(stairwell[3], world.staff, granted=False, now=DAYTIME + timedelta(minutes=1))

    run_send_job(queued.job.pk, now_func=clock(DAYTIME + timedelta(minutes=2)))

    sent_to = {r["body"]["phone"] for r in provider.requests}
    assert sent_to == {stairwell[0].phone, stairwell[4].phone, stairwell[5].phone}
    reasons = dict(Delivery.objects.filter(status=DeliveryStatus.SKIPPED).values_list("household_id", "skip_reason"))
    assert reasons == {
        no_consent.pk: SkipReason.NO_CONSENT,
        stairwell[2].pk: SkipReason.OPTED_OUT,
        stairwell[3].pk: SkipReason.OPTED_OUT,
    }
    assert queued.skipped == {SkipReason.NO_CONSENT: 1, SkipReason.OPTED_OUT: 1}


def test_consent_given_again_after_an_opt_out_counts(world, stairwell, provider):
    household = stairwell[0]
    consent(household, world.staff, granted=False, now=DAYTIME - timedelta(days=2))
    consent(household, world.staff, granted=True, now=DAYTIME - timedelta(days=1))
    queue(draft(world, Household.objects.filter(pk=household.pk)), channels={"sms"}, by=world.staff, now=DAYTIME)
    delivery.drain(worker="w", now_func=clock(DAYTIME))
    assert [r["body"]["phone"] for r in provider.requests] == [household.phone]


def test_quiet_hours_hold_messages_until_eight(world, stairwell, provider):
    night = DAYTIME.replace(hour=22, minute=30)
    queued = queue(draft(world), channels={"sms"}, by=world.staff, now=night)
    now = clock(night)

    job = run_send_job(queued.job.pk, now_func=now)
    assert provider.requests == [] and job.status == JobStatus.QUEUED
    first = Delivery.objects.order_by("next_attempt_at").first().next_attempt_at
    assert timezone.localtime(first).hour == 8 and first.date() == (night + timedelta(days=1)).date()

    now.advance(hours=3)  # 01:30: still quiet
    assert delivery.drain(worker="w", now_func=now).sent == 0
    now.advance(hours=6, minutes=31)  # 08:01
    job = run_send_job(queued.job.pk, now_func=now)
    assert len(provider.requests) == 6 and job.status == JobStatus.DONE


def test_quiet_hours_boundaries():
    from notify.policy import in_quiet_hours

    assert in_quiet_hours(DAYTIME.replace(hour=21, minute=0))
    assert in_quiet_hours(DAYTIME.replace(hour=7, minute=59))
    assert not in_quiet_hours(DAYTIME.replace(hour=8, minute=0))
    assert not in_quiet_hours(DAYTIME.replace(hour=20, minute=59))


def test_500s_and_time_outs_are_retried_with_backoff(world, stairwell, provider, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    only = Household.objects.filter(pk=stairwell[0].pk)
    queue(draft(world, only), channels={"sms"}, by=world.staff, now=DAYTIME)
    provider.script = ["500", "timeout"]
    now = clock(DAYTIME)

    first = delivery.drain(worker="w", now_func=now)
    row = Delivery.objects.get()
    assert (first.retried, row.status, row.attempts, row.last_error) == (1, DeliveryStatus.QUEUED, 1, "HTTP 500")
    assert row.next_attempt_at == DAYTIME + timedelta(seconds=60)
    assert delivery.drain(worker="w", now_func=now).sent == 0  # not due before the back-off

    now.advance(seconds=61)
    delivery.drain(worker="w", now_func=now)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.QUEUED, 2, "timed out")
    assert row.next_attempt_at == now() + timedelta(seconds=120)  # doubled

    now.advance(seconds=121)
    delivery.drain(worker="w", now_func=now)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 3)
    # Every attempt carried the same key; the provider accepted it once.
    assert len({r["key"] for r in provider.requests}) == 1 and len(provider.accepted) == 1


def test_gives_up_after_the_last_attempt_and_a_4xx_at_once(world, stairwell, provider, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    queue(
        draft(world, Household.objects.filter(pk__in=[stairwell[0].pk, stairwell[1].pk])),
        channels={"sms"},
        by=world.staff,
        now=DAYTIME,
    )
    provider.script = ["500", "400", "500"]
    now = clock(DAYTIME)
    delivery.drain(worker="w", now_func=now)
    now.advance(minutes=5)
    delivery.drain(worker="w", now_func=now)
    statuses = sorted(Delivery.objects.values_list("status", "attempts", "last_error"))
    assert statuses == [(DeliveryStatus.FAILED, 1, "HTTP 400 scripted"), (DeliveryStatus.FAILED, 2, "HTTP 500")]


def test_a_restarted_job_does_not_send_twice(world, stairwell, provider):
    """A worker claims a batch, the provider accepts it, and the worker dies before it records
    anything. The job restarted later sends the unsent rows, resends the orphaned ones with
    their old keys (the provider drops the repeats), and leaves the sent ones alone."""
    queued = queue(draft(world), channels={"sms"}, by=world.staff, now=DAYTIME)
    claimed, _settled = delivery.claim(worker="dead", now=DAYTIME, batch=3)
    # The dead worker got one message out and recorded it, and one out without recording it.
    delivery.send_claimed(claimed[:1], worker="dead", now_func=lambda: DAYTIME)
    from notify.backends import get_backend
    from notify.services.delivery import _outgoing

    get_backend("sms").send(_outgoing(claimed[1]))
    assert len(provider.accepted) == 2

    now = clock(DAYTIME + timedelta(minutes=1))
    run_send_job(queued.job.pk, now_func=now)  # too early to take over the dead worker's rows
    assert Delivery.objects.filter(status=DeliveryStatus.SENDING).count() == 2
    now.advance(minutes=10)
    job = run_send_job(queued.job.pk, now_func=now)

    assert job.status == JobStatus.DONE and job.done == 6
    assert len(provider.accepted) == 6  # each household's text accepted once
    keys = [r["key"] for r in provider.requests]
    assert len(keys) == 7 and keys.count(str(claimed[1].idempotency_key)) == 2  # the one repeat, dropped
    assert str(claimed[0].idempotency_key) not in keys[1:]  # the recorded one never again
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_daily_limit_per_household(world, stairwell, provider, settings):
    settings.NOTIFY_DAILY_LIMIT = 2
    one = Household.objects.filter(pk=stairwell[0].pk)
    for _ in range(3):
        queue(draft(world, one), channels={"sms"}, by=world.staff, now=DAYTIME)
    delivery.drain(worker="w", now_func=clock(DAYTIME))
    assert len(provider.requests) == 2
    waiting = Delivery.objects.get(status=DeliveryStatus.QUEUED)
    assert timezone.localtime(waiting.next_attempt_at).hour == 8
    delivery.drain(worker="w", now_func=clock(DAYTIME + timedelta(days=1)))
    assert len(provider.requests) == 3


def test_group_robot_gets_the_notice_text_without_personal_data(world, stairwell, provider):
    GroupWebhook.objects.create(community=world.community, compound=world.compound, name="旧改大家谈", url=provider.url)
    queued = queue(draft(world), channels={"group"}, by=world.staff, now=DAYTIME)
    run_send_job(queued.job.pk, now_func=clock(DAYTIME))
    assert [r["body"] for r in provider.requests] == [
        {"msgtype": "text", "text": {"content": "1号楼周四 9:00–17:00 停水"}}
    ]
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.SENT and row.household is None and row.phone == ""


def test_group_message_refuses_phone_numbers_and_missing_groups(world, stairwell):
    with pytest.raises(OutboxError):
        queue(draft(world, notice_text="有事打 138 1234 5678"), channels={"group"}, by=world.staff, now=DAYTIME)
    with pytest.raises(OutboxError):
        queue(draft(world), channels={"group"}, by=world.staff, now=DAYTIME)
    assert not Job.objects.exists()


def test_group_delivery_of_a_dead_worker_is_not_resent(world, stairwell, provider):
    GroupWebhook.objects.create(community=world.community, name="社区群", url=provider.url)
    queue(draft(world, compound=None), channels={"group"}, by=world.staff, now=DAYTIME)
    delivery.claim(worker="dead", now=DAYTIME)
    delivery.drain(worker="w", now_func=clock(DAYTIME + timedelta(minutes=11)))
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.FAILED and "worker stopped" in row.last_error
    assert provider.requests == []
