"""The outbox demo step: consents with who recorded them, reminders only to non-voters, and
a history that includes failed deliveries and skipped phones."""

import random

import pytest
from django.utils import timezone

from notify.demo.outbox import seed_outbox
from notify.models import ContactConsent, Delivery, DeliveryStatus, Message, MessageKind, SkipReason
from projects.demo import DemoContext
from tests import factories as f
from tests.ballots.conftest import vote

pytestmark = pytest.mark.django_db


def test_seed_outbox_writes_a_realistic_history(world):
    households = [world.household, *f.households(world.unit, 59, start_floor=2)]
    for i, household in enumerate(households):
        household.phone = f"1360000{i:04d}"
        household.save(update_fields=["phone"])
    f.user(username="demo_staff")
    ballot = f.ballot(world)
    ballot.title = "北门东院使用公共维修资金更换单元门禁"
    ballot.save(update_fields=["title"])
    for household in households[:10]:
        vote(ballot, household)
    ctx = DemoContext(scale="demo", rng=random.Random(3), now=timezone.now(), log=lambda message: None)

    seed_outbox(ctx)

    consents = ContactConsent.objects.all()
    assert consents.exists() and not consents.filter(entered_by=None).exists()
    reminder = Message.objects.get(kind=MessageKind.BALLOT_OPENED, channel="sms")
    reminded = set(reminder.deliveries.values_list("household_id", flat=True))
    assert reminded == {h.pk for h in households[10:]}  # never those who voted
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert {DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED} <= statuses
    assert Delivery.objects.filter(skip_reason=SkipReason.NO_CONSENT).exists()
    assert not Delivery.objects.filter(status=DeliveryStatus.FAILED, last_error="").exists()
