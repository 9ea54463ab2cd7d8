"""Building shapes and the exact fit to a household total (pure, no database)."""

import random

import pytest

from projects.demo.layout import OLD_WALKUP, BuildingPlan, UnitPlan, fit_to_total, sample_building, split


def walkups(seed: int, count: int) -> list[BuildingPlan]:
    rng = random.Random(seed)
    return [sample_building(rng, f"{n}号楼", OLD_WALKUP) for n in range(1, count + 1)]


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("count,target", [(24, 800), (9, 300), (12, 400), (40, 1500)])
def test_fit_reaches_the_exact_total_within_realistic_bounds(seed, count, target):
    buildings = walkups(seed, count)
    units_before = [len(b.units) for b in buildings]
    fit_to_total(buildings, target, random.Random(seed), OLD_WALKUP)
    assert sum(b.household_count for b in buildings) == target
    assert [len(b.units) for b in buildings] == units_before
    for b in buildings:
        assert 5 <= b.floors <= 6
        assert all(2 <= u.per_floor <= 3 for u in b.units)


def test_fit_leaves_a_building_alone_when_it_already_fits():
    buildings = walkups(1, 10)
    before = [(b.floors, [u.per_floor for u in b.units]) for b in buildings]
    fit_to_total(buildings, sum(b.household_count for b in buildings), random.Random(1), OLD_WALKUP)
    assert [(b.floors, [u.per_floor for u in b.units]) for b in buildings] == before


def test_fit_refuses_totals_no_shapes_can_hold():
    two_units = [BuildingPlan("1号楼", 5, [UnitPlan("1单元", 2), UnitPlan("2单元", 2)])]
    # 2 units × 5–6 floors × 2–3 flats: 20, 24, 25, 30 or 36 flats, never 35 or 37
    for target in (35, 37, 19):
        with pytest.raises(ValueError):
            fit_to_total(two_units, target, random.Random(0), OLD_WALKUP)
    fit_to_total(two_units, 30, random.Random(0), OLD_WALKUP)
    assert two_units[0].household_count == 30


def test_fit_leaves_shop_rows_and_their_count_alone():
    building = BuildingPlan(
        "1号楼", 5, [UnitPlan("1单元", 2, first_floor=2), UnitPlan("底商", 11, "shop", own_floors=1)]
    )
    fit_to_total([building, *walkups(3, 3)], 150, random.Random(3), OLD_WALKUP)
    shops = [flat for flat in building.flats() if flat[0].kind == "shop"]
    assert [room for _u, _f, _p, room in shops] == [f"1{n:02d}" for n in range(1, 12)]


def test_room_numbers_are_floor_then_two_digit_position():
    tower = BuildingPlan("5号楼", 16, [UnitPlan("1单元", 2)])
    rooms = [(floor, room) for _unit, floor, _pos, room in tower.flats()]
    assert rooms[:3] == [(1, "101"), (1, "102"), (2, "201")]
    assert rooms[-1] == (16, "1602")
    assert len(rooms) == tower.household_count == 32


@pytest.mark.parametrize("total,parts", [(900, 60), (60, 12), (7, 7), (1000, 3)])
def test_split_shares_a_total_exactly(total, parts):
    sizes = split(total, parts, random.Random(total))
    assert len(sizes) == parts and sum(sizes) == total and min(sizes) >= 1


def test_split_refuses_fewer_items_than_parts():
    with pytest.raises(ValueError):
        split(3, 5, random.Random(0))
