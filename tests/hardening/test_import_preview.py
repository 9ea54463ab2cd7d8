"""Issue 17: a roster round-tripped through LibreOffice came back with rooms 101 for 0101
and the import accepted it without a word. The preview now shows what it read for each new
household and warns about rooms that lost the leading zero the building's other rooms have."""

import pytest

from projects.roster.leading_zeros import lost_zero_warnings

from .. import factories as f
from ..roster.conftest import csv_bytes, last_import, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def zero_building(world):
    """1号楼 numbers its rooms with a leading zero in the registry: 0101 and 0102."""
    world.household.room = "0101"
    world.household.save()
    f.household(unit=world.unit, room="0102", floor=1)
    return world


def test_csv_that_lost_leading_zeros_is_flagged_in_the_preview(client, zero_building):
    world = zero_building
    client.force_login(world.staff)
    # What LibreOffice makes of the exported 0101 and 0201, and a room typed correctly.
    file = csv_bytes([row(room="101", floor=1), row(room="201", floor=2, phone="13912340000"), row(room="0301")])
    response = upload(client, world.community, file, name="roster.csv")
    preview = client.get(response.url)
    assert preview.status_code == 200
    page = preview.content.decode()
    warned = {w.number: w for w in preview.context["warnings"]}
    assert set(warned) == {2, 3}, "101 (the registry has 0101) and 201 (the building pads to four digits)"
    assert "0101" in warned[2].messages[0] and "0201" in warned[3].messages[0]
    assert 'data-testid="warnings"' in page and "前导零" in page

    created = {c.room: c for c in preview.context["creations"]}
    assert set(created) == {"101", "201", "0301"}
    assert created["201"].area == "85.50" and created["201"].phone == "13912340000" and created["201"].floor == 2
    assert "13912340000" in page and "85.50" in page


def test_no_warning_when_the_building_never_uses_leading_zeros(client, world):
    client.force_login(world.staff)
    response = upload(client, world.community, csv_bytes([row(room="101", floor=1)]), name="roster.csv")
    assert client.get(response.url).context["warnings"] == []
    assert last_import(world.community).status == "pending"


@pytest.mark.parametrize(
    ("room", "known", "like"),
    [
        ("101", ["0101"], "0101"),
        ("701", ["0101", "0102"], "0701"),
        ("1101", ["0101"], None),  # as wide as the padded rooms: a real room 1101
        ("0101", ["0102"], None),
        ("101", ["101", "102"], None),
        ("1A", ["0101"], None),
        ("101", ["000"], None),
    ],
)
def test_lost_zero_rule(room, known, like):
    key = (1, "1号楼")
    warnings = lost_zero_warnings([(5, {"compound_id": 1, "building": "1号楼", "room": room})], {key: known})
    assert (warnings[5]["like"] if warnings else None) == like


def test_rooms_in_the_file_itself_set_the_pattern():
    rooms = ("0101", "0102", "103")
    rows = [(number, {"compound_id": 1, "building": "2号楼", "room": room}) for number, room in enumerate(rooms, 2)]
    assert lost_zero_warnings(rows, {}) == {
        4: {"code": "leading_zero", "room": "103", "like": "0103", "building": "2号楼"}
    }
