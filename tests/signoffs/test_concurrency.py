"""Two staff members ticking the same household at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from projects.models import DecisionRule, SignoffEvent, SignoffRecord, Stage
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"),
]


def run_at_once(funcs):
    barrier = threading.Barrier(len(funcs))
    errors = []

    def worker(func):
        try:
            barrier.wait()
            func()
        except Exception as error:  # re-raised in the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(func,)) for func in funcs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_simultaneous_ticks_chain_cleanly_and_the_record_matches_the_last_event(world):
    project = f.project(community=world.community, stage=Stage.CONSENT)
    project.units.set([world.unit])
    campaign = svc.signoff_campaign_open(
        project=project,
        data={"title": "t", "consent_text": "c", "rule": DecisionRule.UNANIMOUS, "paper_required": False},
        by=world.staff,
    )
    household = world.household
    statuses = [S.TALKED, S.AGREED, S.REFUSED, S.TALKED, S.AGREED, S.REFUSED]
    run_at_once(
        [
            lambda status=status: svc.signoff_tick(
                campaign=campaign, household=household, status=status, by=world.staff
            )
            for status in statuses
        ]
    )
    events = list(SignoffEvent.objects.filter(household=household).order_by("pk"))
    assert SignoffRecord.objects.filter(campaign=campaign, household=household).count() == 1  # created once
    # Each event's previous status is the status of the one before: nothing was lost.
    chain = [S.NOT_CONTACTED] + [e.status for e in events]
    assert [e.previous_status for e in events] == chain[:-1]
    assert all(a.status != b.status for a, b in zip(events, events[1:], strict=False))  # double taps skipped
    record = SignoffRecord.objects.get(campaign=campaign, household=household)
    assert record.status == events[-1].status and record.last_event_id == events[-1].pk


def test_twenty_simultaneous_online_confirmations_write_one_event(world):
    """Issue 17: 20 simultaneous confirmations from one household wrote 20 identical events."""
    project = f.project(community=world.community, stage=Stage.CONSENT)
    project.units.set([world.unit])
    campaign = svc.signoff_campaign_open(
        project=project,
        data={"title": "t", "consent_text": "c", "rule": DecisionRule.UNANIMOUS, "paper_required": False},
        by=world.staff,
    )
    household = world.household
    answers = []
    run_at_once(
        [
            lambda: answers.append(
                svc.signoff_confirm_online(campaign=campaign, household=household, agree=True, signer_name="王秀兰")
            )
            for _ in range(20)
        ]
    )
    events = SignoffEvent.objects.filter(campaign=campaign, household=household)
    assert events.count() == 1 and {a.pk for a in answers} == {events.get().pk}
    record = SignoffRecord.objects.get(campaign=campaign, household=household)
    assert record.status == S.AGREED and record.last_event_id == events.get().pk
