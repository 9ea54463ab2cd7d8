"""The row rules as a table, without the database or files."""

import pytest
from django.utils import translation

from projects.roster.columns import COLUMNS
from projects.roster.reader import RosterTable
from projects.roster.rows import MESSAGES, check_rows, describe

KEYS = [column.key for column in COLUMNS]
COMPOUNDS = {"佳和园": 1}


def check(**cells):
    values = {"compound": "佳和园", "building": "1号楼", "unit": "1单元", "room": "301", "floor": 3, "area": 80}
    values.update(cells)
    table = RosterTable(file_format="xlsx", columns={key: i for i, key in enumerate(KEYS)}, ignored_headers=[])
    table.rows.append((2, tuple(values.get(key) for key in KEYS)))
    row = check_rows(table, compounds=COMPOUNDS, foreign_compounds={"南路一"}).rows[0]
    return row.values, [error["code"] for error in row.errors]


@pytest.mark.parametrize(
    "cells,field,expected",
    [
        ({"building": "3"}, "building", "3号楼"),
        ({"building": 3}, "building", "3号楼"),
        ({"building": "甲3"}, "building", "甲3"),
        ({"unit": 2.0}, "unit", "2单元"),
        ({"room": 301.0}, "room", "301"),
        ({"room": " 302 "}, "room", "302"),
        ({"area": "85.5㎡"}, "area", "85.50"),
        ({"area": "85.5 m²"}, "area", "85.50"),
        ({"area": "1,234.5"}, "area", "1234.50"),
        ({"area": 85.555}, "area", "85.56"),
        ({"area": 0.004}, "area", None),  # rounds to 0.00: refused, see below
        ({"floor": "3层"}, "floor", 3),
        ({"floor": "-1"}, "floor", -1),
        ({"floor": None, "room": "1602"}, "floor", 16),
        ({"floor": None, "room": "301"}, "floor", 3),
        ({"phone": "138 1234 5678"}, "phone", "13812345678"),
        ({"phone": 13812345678}, "phone", "13812345678"),
        ({"phone": "(010)12345678"}, "phone", "01012345678"),
        ({"phone": None}, "phone", None),
        ({"kind": "底商"}, "kind", "shop"),
        ({"kind": "Shop"}, "kind", "shop"),
        ({"kind": None}, "kind", None),
        ({"elderly_alone": "是"}, "elderly_alone", True),
        ({"elderly_alone": "√"}, "elderly_alone", True),
        ({"elderly_alone": True}, "elderly_alone", True),
        ({"elderly_alone": "N"}, "elderly_alone", False),
        ({"elderly_alone": 0}, "elderly_alone", False),
        ({"elderly_alone": ""}, "elderly_alone", None),
        ({"owners": "  "}, "owner_names", None),
        ({"compound": " 佳和园 "}, "compound_id", 1),
    ],
)
def test_normalisation(cells, field, expected):
    values, _ = check(**cells)
    assert values[field] == expected


@pytest.mark.parametrize(
    "cells,codes",
    [
        ({}, []),
        ({"compound": None}, ["missing"]),
        ({"compound": "南路一"}, ["foreign_compound"]),
        ({"compound": "别处"}, ["unknown_compound"]),
        ({"area": 0.004}, ["area_not_positive"]),
        ({"area": "NaN"}, ["area_not_number"]),
        ({"area": "Infinity"}, ["area_not_number"]),
        ({"area": True}, ["area_not_number"]),
        ({"area": 10**8}, ["area_too_large"]),
        ({"floor": "3.5"}, ["floor_not_integer"]),
        ({"floor": None, "room": "12"}, ["floor_missing"]),
        ({"floor": -6}, ["floor_out_of_range"]),
        ({"kind": "车库"}, ["unknown_kind"]),
        ({"phone": "1381234567"}, ["phone_malformed"]),
        ({"phone": "138-1234-5678-9"}, ["phone_malformed"]),
        ({"phone": "138****5678"}, ["phone_masked"]),
        ({"bedridden": "maybe"}, ["bad_flag"]),
        ({"room": "1" * 21}, ["too_long"]),
        ({"building": None, "unit": None, "room": None}, ["missing", "missing", "missing"]),
        ({"room": None, "floor": None}, ["missing", "floor_missing"]),
    ],
)
def test_problems(cells, codes):
    _, found = check(**cells)
    assert found == codes


def test_duplicates_point_at_the_first_row():
    table = RosterTable(file_format="csv", columns={key: i for i, key in enumerate(KEYS)}, ignored_headers=[])
    same = ("佳和园", "1号楼", "1单元", "301", 3, 80)
    table.rows += [(2, same), (3, ("佳和园", "1", "1单元", "301", 3, 80)), (4, same)]
    rows = check_rows(table, compounds=COMPOUNDS, foreign_compounds=set()).rows
    assert rows[0].errors == []
    assert rows[1].errors == [{"code": "duplicate_room", "other": 2}]  # "1" is 1号楼
    assert rows[2].errors == [{"code": "duplicate_room", "other": 2}]


@pytest.mark.parametrize("code", list(MESSAGES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_message_renders(code, language):
    params = {"value": "x", "column": "area", "limit": 20, "low": -5, "high": 200, "other": 2}
    with translation.override(language):
        text = describe({"code": code, **params})
    assert "%(" not in text and text
