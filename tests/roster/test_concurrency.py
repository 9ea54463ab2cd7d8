"""Two commits at the same moment (PostgreSQL only: SQLite has no row locks)."""

import io
import threading

import pytest
from django.db import connection

from projects.models import Building, Household, RosterImport
from projects.roster.reader import read_roster
from projects.services.roster import RosterCommitError, roster_import_commit, roster_import_create

from .conftest import rows_for, xlsx_bytes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"),
]


def make_import(world, rows):
    content = xlsx_bytes(rows)
    table = read_roster(name="r.xlsx", file=io.BytesIO(content), size=len(content), max_bytes=10**7, max_rows=10**4)
    return roster_import_create(community=world.community, uploaded_by=world.staff, filename="r.xlsx", table=table)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            outcomes[index] = job()
        except RosterCommitError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_double_submit_at_once_commits_once(world):
    roster_import = make_import(world, rows_for(200))
    before = Household.objects.count()
    outcomes = run_together(
        lambda: roster_import_commit(roster_import=RosterImport.objects.get(pk=roster_import.pk), by=world.staff),
        lambda: roster_import_commit(roster_import=RosterImport.objects.get(pk=roster_import.pk), by=world.admin),
    )
    errors = [o for o in outcomes if isinstance(o, RosterCommitError)]
    assert len(errors) == 1 and errors[0].already_committed
    assert Household.objects.count() == before + 200


def test_two_files_creating_the_same_building_at_once(world):
    first = make_import(world, rows_for(50, building="9号楼"))
    second = make_import(world, rows_for(50, building="9号楼", unit="2单元"))
    outcomes = run_together(
        lambda: roster_import_commit(roster_import=first, by=world.staff),
        lambda: roster_import_commit(roster_import=second, by=world.admin),
    )
    assert not any(isinstance(o, RosterCommitError) for o in outcomes)
    assert Building.objects.filter(compound=world.compound, name="9号楼").count() == 1
    assert Household.objects.filter(unit__building__name="9号楼").count() == 100
