"""Simultaneous answers for one household: the project row lock and the unique constraint
leave exactly one satisfaction response (PostgreSQL only: SQLite has no row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from projects.models import Channel, SatisfactionResponse, Stage
from projects.services.evaluation import satisfaction_record_for, satisfaction_submit_online
from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"),
    pytest.mark.django_db(transaction=True),
]


def test_a_paper_answer_and_an_online_answer_at_the_same_moment_make_one_response(world):
    project = f.project(community=world.community, stage=Stage.EVALUATION)
    project.compounds.set([world.compound])
    barrier = threading.Barrier(4)
    outcomes = []

    def staff_enters(score):
        try:
            barrier.wait()
            satisfaction_record_for(
                project=project, household=world.household, score=score, channel=Channel.PAPER, by=world.staff
            )
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    def resident_answers(score):
        try:
            barrier.wait()
            satisfaction_submit_online(project=project, household=world.household, score=score)
            outcomes.append("online")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=staff_enters, args=(s,)) for s in (4, 5)]
    threads += [threading.Thread(target=resident_answers, args=(s,)) for s in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert SatisfactionResponse.objects.filter(project=project, household=world.household).count() == 1
    assert len(outcomes) == 4
    assert outcomes.count("created") <= 1  # a second paper entry is refused, never a duplicate
