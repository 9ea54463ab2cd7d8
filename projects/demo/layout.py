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
    fixed: bool = False  # a building the story needs as it is (the 16-floor riser tower)

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
        return [] if self.fixed else [u for u in self.units if u.own_floors is None]


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
    exactly ``target`` households. Random improving moves spread the changes over many
    buildings instead of stretching a few; a pair of moves closes the last small gap (+6 −5).
    """
    diff = target - sum(b.household_count for b in buildings)
    for _ in range(100_000):
        if diff == 0:
            return
        moves = _moves(buildings, shape)
        improving = [m for m in moves if abs(diff - m.change) < abs(diff)]
        chosen = [rng.choice(improving)] if improving else _closing_pair(moves, diff, rng)
        if not chosen:
            break
        for move in chosen:  # moves on different buildings: their changes simply add up
            move.apply()
            diff -= move.change
    raise ValueError(f"cannot fit {len(buildings)} buildings to exactly {target} households")


def _closing_pair(moves: list[_Move], diff: int, rng: random.Random) -> tuple[_Move, ...]:
    """Two moves on different buildings whose changes together bring the gap closer to 0."""
    sample = rng.sample(moves, min(len(moves), 300))
    best = None
    for i, a in enumerate(sample):
        for b in sample[i + 1 :]:
            if a.building is b.building:
                continue
            gap = abs(diff - a.change - b.change)
            if gap < abs(diff) and (best is None or gap < best[0]):
                best = (gap, a, b)
                if gap == 0:
                    return a, b
    return () if best is None else (best[1], best[2])


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
