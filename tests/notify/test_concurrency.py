"""Four workers drain one reminder at the same instant: each row is claimed by one of them
and the provider hears every key once (real row locks and SKIP LOCKED: PostgreSQL only)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from notify.models import Delivery, DeliveryStatus, MessageChannel
from notify.services import delivery
from notify.services.outbox import queue
from tests import factories as f

from .conftest import DAYTIME, consent
from .test_delivery import draft

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises every writer anyway",
    ),
    pytest.mark.django_db(transaction=True),
]
WORKERS = 4


def test_four_workers_share_the_rows_and_send_each_once(world, provider):
    households = [world.household, *f.households(world.unit, 119, start_floor=2, per_floor=4)]
    for i, household in enumerate(households):
        household.phone = f"1350000{i:04d}"
        household.save(update_fields=["phone"])
        consent(household, world.staff)
    queue(draft(world), channels={MessageChannel.SMS}, by=world.staff, now=DAYTIME)
    barrier = threading.Barrier(WORKERS)
    errors = []

    def work(i):
        try:
            barrier.wait()
            delivery.drain(worker=f"w{i}", now_func=lambda: DAYTIME, batch=10)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT: 120}
    keys = Counter(r["key"] for r in provider.requests)
    assert len(keys) == 120 and max(keys.values()) == 1
