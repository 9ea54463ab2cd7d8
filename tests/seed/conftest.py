import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The named demo, seeded once per test module inside a transaction that is rolled
    back afterwards (seeding takes a couple of seconds; the tests only read it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
