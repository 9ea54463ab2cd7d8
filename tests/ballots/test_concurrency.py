"""Twenty simultaneous submissions for one household leave exactly one ballot and no
server error (real row locks: PostgreSQL only)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from consult.models import CastBallot, OptionKind
from consult.services import ballots as services
from projects.models import Channel

from .conftest import make_ballot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises every writer anyway",
    ),
    pytest.mark.django_db(transaction=True),
]
THREADS = 20


def run_together(work):
    """Run ``work(i)`` in THREADS threads released at the same instant."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_simultaneous_online_votes(act_as, world):
    ballot = make_ballot(world)
    options = list(ballot.options.all())
    clients = []
    for _ in range(THREADS):
        client = Client(raise_request_exception=False)
        act_as(client, world.household)
        clients.append(client)
    url = reverse("consult:ballot_vote", args=[ballot.pk])

    statuses = run_together(lambda i: clients[i].post(url, {"option": options[i % 3].pk}).status_code)

    assert all(isinstance(s, int) for s in statuses), statuses
    assert sorted(statuses).count(302) == 1  # one recorded …
    assert statuses.count(200) == THREADS - 1  # … the others told "already voted"
    assert CastBallot.objects.filter(ballot=ballot, household=world.household).count() == 1


def test_twenty_simultaneous_paper_entries(world):
    ballot = make_ballot(world)
    agree = ballot.options.get(kind=OptionKind.FOR)

    def enter(i):
        try:
            services.cast_ballot(
                ballot=ballot,
                household=world.household,
                option=agree,
                channel=Channel.PAPER,
                entered_by=world.staff,
                paper_serial=f"P-{i}",
                staff_entry=True,
            )
            return "ok"
        except services.AlreadyVoted:
            return "refused"

    results = run_together(enter)
    assert results.count("ok") == 1 and results.count("refused") == THREADS - 1, results
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
