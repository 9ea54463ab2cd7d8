"""Two staff typing the same sheet, or a resident tapping twice on a slow connection: the
row lock on the meeting and the database constraints leave one row and a clear message."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from consult.models import Attendance, MeetingRSVP
from consult.services.meeting_attendance import attendance_sign_in_household, rsvp_say_coming

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"),
    pytest.mark.django_db(transaction=True),
]


def _race(func, n=6):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            func()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_simultaneous_rsvps_of_one_household_leave_one_row(world, upcoming):
    outcomes = _race(lambda: rsvp_say_coming(meeting=upcoming, household=world.household, people=2))
    assert outcomes.count("ok") == 6  # saying it again is fine…
    assert MeetingRSVP.objects.filter(meeting=upcoming, household=world.household).count() == 1  # …one row


def test_simultaneous_sign_ins_of_one_household_leave_one_line(world, held):
    outcomes = _race(lambda: attendance_sign_in_household(meeting=held, household=world.household, by=world.staff))
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Attendance.objects.filter(meeting=held, household=world.household).count() == 1
