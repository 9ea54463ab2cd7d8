"""The shape of demo buildings, and how to make a set of them hold an exact number of flats.

Pure planning, no ORM: a ``BuildingPlan`` says how many floors a building has and how many
flats each unit (stairwell) has per floor. ``fit_to_total`` then nudges floors and flats per
floor, within realistic bounds, until the estate holds exactly the number of households the
news reports give (北门社区: 800) or the benchmark asks for (50,000). Room numbers follow the
usual Chinese convention: floor followed by a two-digit position, so 302 is floor 3, flat 2.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class UnitPlan:
    name: str
    per_floor: int
    kind: str = "residential"
    # A unit with its own floors (a row of shops, one floor) is left alone by the fitter.
    own_floors: int | None = None
    first_floor: int = 1


@dataclass
class BuildingPlan:
    name: str
    floors: int  # residential floors
    units: list[UnitPlan] = field(default_factory=list)

    def floors_of(self, unit: UnitPlan) -> range:
        count = unit.own_floors if unit.own_floors is not None else self.floors
        return range(unit.first_floor, unit.first_floor + count)

    def flats(self) -> Iterator[tuple[UnitPlan, int, int, str]]:
        """Every flat as (unit, floor, position, room number), bottom floor first."""
        for unit in self.units:
            for floor in self.floors_of(unit):
                for position in range(1, unit.per_floor + 1):
                    yield unit, floor, position, f"{floor}{position:02d}"

    @property
    def household_count(self) -> int:
        return sum(len(self.floors_of(u)) * u.per_floor for u in self.units)

    def adjustable_units(self) -> list[UnitPlan]:
        return [u for u in self.units if u.own_floors is None]


@dataclass(frozen=True)
class Shape:
    """Bounds and weights for generated buildings: {value: weight}."""

    floors: dict[int, float]
    units: dict[int, float]
    per_floor: dict[int, float]

    def bounds(self, attr: str) -> tuple[int, int]:
        values = getattr(self, attr)
        return min(values), max(values)


OLD_WALKUP = Shape(floors={5: 0.4, 6: 0.6}, units={2: 0.45, 3: 0.55}, per_floor={2: 0.6, 3: 0.4})


def _pick(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def sample_building(rng: random.Random, name: str, shape: Shape, *, first_floor: int = 1) -> BuildingPlan:
    per_floor = _pick(rng, shape.per_floor)
    units = [UnitPlan(f"{i}单元", per_floor, first_floor=first_floor) for i in range(1, _pick(rng, shape.units) + 1)]
    return BuildingPlan(name, _pick(rng, shape.floors), units)


@dataclass
class _Move:
    change: int
    building: BuildingPlan
    unit: UnitPlan | None  # None: the move adds or removes a floor of the whole building
    delta: int

    def apply(self) -> None:
        if self.unit is None:
            self.building.floors += self.delta
        else:
            self.unit.per_floor += self.delta


def _moves(buildings: list[BuildingPlan], shape: Shape) -> list[_Move]:
    floors_lo, floors_hi = shape.bounds("floors")
    pf_lo, pf_hi = shape.bounds("per_floor")
    moves = []
    for b in buildings:
        units = b.adjustable_units()
        if not units:
            continue
        per_floor_sum = sum(u.per_floor for u in units)
        for delta in (1, -1):
            if floors_lo <= b.floors + delta <= floors_hi:
                moves.append(_Move(per_floor_sum * delta, b, None, delta))
            for u in units:
                if pf_lo <= u.per_floor + delta <= pf_hi:
                    moves.append(_Move(b.floors * delta, b, u, delta))
    return moves


def fit_to_total(buildings: list[BuildingPlan], target: int, rng: random.Random, shape: Shape) -> None:
    """Adjust floors and flats per floor (within ``shape``'s bounds) until the buildings hold
    exactly ``target`` households, or raise ``ValueError`` when no shapes can.

    First random improving moves spread the change over many buildings instead of
    stretching a few. They stall near the target (not every total is reachable with one
    step: two-unit walk-ups hold 20, 24, 25, 30 or 36 flats, never 35), so an exact finish
    then keeps each building as it is unless the rest could no longer make up the total.
    """
    diff = target - sum(b.household_count for b in buildings)
    while diff:
        improving = [m for m in _moves(buildings, shape) if abs(diff - m.change) < abs(diff)]
        if not improving:
            break
        rng.shuffle(improving)
        touched = set()  # one move per building per round: a move list is only valid until used
        for move in improving:
            if id(move.building) not in touched and abs(diff - move.change) < abs(diff):
                move.apply()
                diff -= move.change
                touched.add(id(move.building))
    if diff:
        _finish_exactly(buildings, target, rng, shape)


def _options(building: BuildingPlan, shape: Shape) -> list[tuple[int, int, int]]:
    """Every allowed shape of a building as (households, floors, flats per floor summed over units)."""
    units = building.adjustable_units()
    if not units:
        return [(building.household_count, building.floors, 0)]
    per_floor_sum = sum(u.per_floor for u in units)
    others = building.household_count - building.floors * per_floor_sum
    floors_lo, floors_hi = shape.bounds("floors")
    pf_lo, pf_hi = shape.bounds("per_floor")
    return [
        (others + floors * total, floors, total)
        for floors in range(floors_lo, floors_hi + 1)
        for total in range(pf_lo * len(units), pf_hi * len(units) + 1)
    ]


def _finish_exactly(buildings: list[BuildingPlan], target: int, rng: random.Random, shape: Shape) -> None:
    """Subset-sum over building shapes, with Python integers as bit sets of reachable totals:
    ``reachable[i]`` has bit t set when buildings i.. can hold exactly t households."""
    order = rng.sample(buildings, len(buildings))
    options = [_options(b, shape) for b in order]
    reachable = [0] * len(order) + [1]
    for i in range(len(order) - 1, -1, -1):
        for count in {o[0] for o in options[i]}:
            reachable[i] |= reachable[i + 1] << count
    if not reachable[0] >> target & 1:
        raise ValueError(f"no shapes of these {len(buildings)} buildings hold exactly {target} households")
    remaining = target
    for i, building in enumerate(order):
        current = building.household_count
        # the building's own shape first, then the nearest one that still lets the rest fit
        ranked = sorted(options[i], key=lambda o: (abs(o[0] - current), o[1] != building.floors))
        count, floors, per_floor_sum = next(
            o for o in ranked if o[0] <= remaining and reachable[i + 1] >> (remaining - o[0]) & 1
        )
        _reshape(building, floors, per_floor_sum, rng, shape)
        remaining -= count


def _reshape(building: BuildingPlan, floors: int, per_floor_sum: int, rng: random.Random, shape: Shape) -> None:
    units = building.adjustable_units()
    if not units:
        return
    building.floors = floors
    pf_lo, pf_hi = shape.bounds("per_floor")
    while (gap := per_floor_sum - sum(u.per_floor for u in units)) != 0:
        step = 1 if gap > 0 else -1
        rng.choice([u for u in units if pf_lo <= u.per_floor + step <= pf_hi]).per_floor += step


def split(total: int, parts: int, rng: random.Random, *, spread: float = 0.3) -> list[int]:
    """``total`` shared over ``parts`` uneven but similar portions (each ≥ 1), summing exactly."""
    if parts <= 0 or total < parts:
        raise ValueError("need at least one item per part")
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(sizes)):
        sizes[i] += 1
    return sizes
