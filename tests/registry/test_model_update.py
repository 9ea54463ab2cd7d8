"""``model_update``: the one lock → diff → save → log helper behind every logged edit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Household, HouseholdChange
from projects.services.model_update import model_update
from projects.services.registry import household_update
from tests import factories as f


def _log(rows):
    def history(locked, diff):
        rows.append(diff)
        return len(rows)

    return history


@pytest.mark.django_db
def test_nothing_changed_writes_nothing_and_logs_nothing():
    household = f.household(room="101", floor=1)
    rows = []
    with CaptureQueriesContext(connection) as queries:
        result = model_update(household, ["room", "floor"], {"room": "101", "floor": 1}, history=_log(rows))
    assert result is None and rows == []
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


@pytest.mark.django_db
def test_only_changed_fields_are_saved_and_the_diff_is_handed_to_history():
    household = f.household(room="101", floor=1, notes="old")
    Household.objects.filter(pk=household.pk).update(notes="changed by someone else")
    rows = []
    with CaptureQueriesContext(connection) as queries:
        result = model_update(household, ["room", "floor"], {"room": "102", "floor": 1}, history=_log(rows))
    assert result == 1 and rows == [{"room": ("101", "102")}]
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "room" in updates[0] and "notes" not in updates[0]
    household.refresh_from_db()
    # The concurrent edit of a field this update did not touch survives.
    assert household.room == "102" and household.notes == "changed by someone else"


@pytest.mark.django_db
def test_keys_outside_fields_are_ignored_and_touch_is_set_only_on_change():
    household = f.household(room="101", notes="")
    rows = []
    assert (
        model_update(household, ["room"], {"room": "101", "notes": "x"}, history=_log(rows), touch={"notes": "t"})
        is None
    )
    household.refresh_from_db()
    assert household.notes == ""
    model_update(household, ["room"], {"room": "103"}, history=_log(rows), touch={"notes": "t"})
    household.refresh_from_db()
    assert (household.room, household.notes) == ("103", "t") and rows == [{"room": ("101", "103")}]


@pytest.mark.django_db
def test_invalid_data_is_refused_before_anything_is_written():
    household = f.household(room="101")
    rows = []
    with pytest.raises(ValidationError):
        model_update(household, ["room"], {"room": ""}, history=_log(rows))
    household.refresh_from_db()
    assert household.room == "101" and rows == []


@pytest.mark.django_db
def test_the_row_is_read_under_a_lock():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; the PostgreSQL run checks FOR UPDATE")
    household = f.household()
    with CaptureQueriesContext(connection) as queries:
        model_update(household, ["room"], {"room": "909"}, history=_log([]))
    assert "FOR UPDATE" in queries.captured_queries[0]["sql"] or "FOR UPDATE" in queries.captured_queries[1]["sql"]


@pytest.mark.django_db
def test_household_history_rows_keep_their_format(world):
    household = f.household(area=Decimal("60.00"), room="101")
    assert household_update(household=household, data={"area": "60", "room": "101"}, by=world.staff) is None
    change = household_update(household=household, data={"area": "61.5", "room": "101"}, by=world.staff)
    assert change.changes == {"area": ["60.00", "61.50"]}
    assert HouseholdChange.objects.filter(household=household).count() == 1
