"""The bulk writer behind the demo steps: a plan of places in, saved rows out.

One ``bulk_create`` per table (batched), children after parents, so the number of queries
depends on the number of tables and batches, never on the number of households; that is
what lets the district benchmark write 50,000 households in seconds. Households get their
details here: one layout area per stack of flats, owner names, phones, notes, and care flags
on an exact share of each estate's flats.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Model

from ..models import (
    Building,
    Community,
    Compound,
    Department,
    Household,
    HouseholdKind,
    Membership,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)
from .layout import BuildingPlan
from .people import landline, mobile_phone, owner_names, person_name

DEMO_PASSWORD = "demo12345"
BATCH_SIZE = 2000


@dataclass(frozen=True)
class CareRates:
    """Share of households with each care flag. Bedridden members count as mobility impaired."""

    elderly_alone: float = 0.05
    mobility_impaired: float = 0.03
    bedridden: float = 0.006


@dataclass(frozen=True)
class Shop:
    owner_names: str
    notes: str
    area_range: tuple[float, float]


@dataclass
class CompoundPlan:
    name: str
    address: str
    built_year: int
    buildings: list[BuildingPlan]
    area_range: tuple[float, float] = (50, 100)  # flat layouts of this estate, m²
    care: CareRates = CareRates()
    shops: list[Shop] = field(default_factory=list)  # filled into the kind="shop" units, in order
    # (building, unit, room) → field values the demo story needs, e.g. the bedridden elder in the riser
    overrides: dict[tuple[str, str, str], dict] = field(default_factory=dict)


@dataclass
class CommunityPlan:
    name: str
    address: str
    compounds: list[CompoundPlan]


@dataclass
class SubDistrictPlan:
    name: str
    area_code: str  # for office phones and landlines
    communities: list[CommunityPlan]
    departments: list[str] = field(default_factory=list)


@dataclass
class Written:
    """What the bulk writer saved, for accounts and for ``ctx.data``."""

    sub_districts: list[SubDistrict]
    communities: list[Community]
    compounds: list[Compound]
    departments: list[Department]
    buildings: dict[tuple[str, str], Building]  # (compound name, building name) → building
    units: int
    households: int
    shops: int
    households_by_community: dict[str, int]


def _sort_key(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 99


def write_places(plans: list[SubDistrictPlan], rng: random.Random) -> Written:
    """Save the whole plan with one bulk insert per table (batched), children after parents."""
    sub_districts, departments, communities, compounds, buildings, units = [], [], [], [], [], []
    unit_of: dict[int, Unit] = {}  # id(unit plan) → unit
    building_rows = []  # (building plan, compound plan, community)
    for sd_plan in plans:
        sd = SubDistrict(name=sd_plan.name)
        sub_districts.append(sd)
        departments += [Department(sub_district=sd, name=name) for name in sd_plan.departments]
        for c_plan in sd_plan.communities:
            office = landline(rng, sd_plan.area_code)
            community = Community(sub_district=sd, name=c_plan.name, address=c_plan.address, phone=office)
            communities.append(community)
            for cp_plan in c_plan.compounds:
                compound = Compound(
                    community=community, name=cp_plan.name, address=cp_plan.address, built_year=cp_plan.built_year
                )
                compounds.append(compound)
                for b_plan in cp_plan.buildings:
                    building = Building(compound=compound, name=b_plan.name, sort_key=_sort_key(b_plan.name))
                    buildings.append(building)
                    building_rows.append((b_plan, cp_plan, community))
                    for u_plan in b_plan.units:
                        unit = Unit(building=building, name=u_plan.name, sort_key=_sort_key(u_plan.name))
                        units.append(unit)
                        unit_of[id(u_plan)] = unit
    _bulk(sub_districts)
    _bulk(departments)
    _bulk(communities)
    _bulk(compounds)
    _bulk(buildings)
    _bulk(units)

    households = []
    per_community: dict[str, int] = {}
    flats_by_compound: dict[int, list[Household]] = {}
    overridden = []
    shop_queues = {id(cp): iter(cp.shops) for sd in plans for c in sd.communities for cp in c.compounds}
    for b_plan, cp_plan, community in building_rows:
        layouts: dict[tuple[int, int], float] = {}  # flats stacked above each other share a layout
        for u_plan, floor, position, room in b_plan.flats():
            unit = unit_of[id(u_plan)]
            if u_plan.kind == HouseholdKind.SHOP:
                household = _shop(rng, unit, room, floor, next(shop_queues[id(cp_plan)]))
            else:
                if (id(u_plan), position) not in layouts:
                    layouts[id(u_plan), position] = rng.uniform(*cp_plan.area_range)
                household = _flat(rng, unit, room, floor, layouts[id(u_plan), position])
                flats_by_compound.setdefault(id(cp_plan), []).append(household)
            if override := cp_plan.overrides.get((b_plan.name, u_plan.name, room)):
                overridden.append((household, override))
            households.append(household)
            per_community[community.name] = per_community.get(community.name, 0) + 1
    for sd_plan in plans:
        for c_plan in sd_plan.communities:
            for cp_plan in c_plan.compounds:
                _assign_care(rng, flats_by_compound.get(id(cp_plan), []), cp_plan.care, sd_plan.area_code)
    for household, override in overridden:
        for name, value in override.items():
            setattr(household, name, value)
    _bulk(households)
    return Written(
        sub_districts=sub_districts,
        communities=communities,
        compounds=compounds,
        departments=departments,
        buildings={(b.compound.name, b.name): b for b in buildings},
        units=len(units),
        households=len(households),
        shops=sum(1 for h in households if h.kind == HouseholdKind.SHOP),
        households_by_community=per_community,
    )


def _bulk(objs: list[Model]) -> None:
    if objs:
        type(objs[0]).objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _flat(rng: random.Random, unit: Unit, room: str, floor: int, layout: float) -> Household:
    # Registered areas of stacked flats differ slightly now and then (re-measured, balcony enclosed).
    area = layout + rng.uniform(-2.5, 2.5) if rng.random() < 0.15 else layout
    roll = rng.random()
    return Household(
        unit=unit,
        room=room,
        floor=floor,
        area=_money(min(max(area, 45.0), 120.0)),
        kind=HouseholdKind.RESIDENTIAL,
        owner_names=owner_names(rng),
        # a few have no number on file yet: staff will ask on the next visit
        phone="" if rng.random() < 0.03 else mobile_phone(rng),
        notes="出租户，业主不在本小区居住" if roll < 0.06 else "房屋空置" if roll < 0.09 else "",
    )


def _assign_care(rng: random.Random, flats: list[Household], care: CareRates, area_code: str) -> None:
    """Care flags on exactly the estate's share of flats (not a coin per flat), so 北门's 800
    households always have their 8% elderly living alone. Many of them keep a landline."""
    n = len(flats)
    for household in rng.sample(flats, round(n * care.elderly_alone)):
        household.elderly_alone = True
        if rng.random() < 0.3:
            household.phone = landline(rng, area_code)
    impaired = rng.sample(flats, round(n * care.mobility_impaired))
    for household in impaired:
        household.mobility_impaired = True
    for household in impaired[: round(n * care.bedridden)]:
        household.bedridden = True


def _shop(rng: random.Random, unit: Unit, room: str, floor: int, shop: Shop) -> Household:
    return Household(
        unit=unit,
        room=room,
        floor=floor,
        area=_money(rng.uniform(*shop.area_range)),
        kind=HouseholdKind.SHOP,
        owner_names=shop.owner_names,
        phone=mobile_phone(rng),
        notes=shop.notes,
    )


# --- accounts -------------------------------------------------------------------------------


class Accounts:
    """Demo staff accounts, saved in bulk with one shared password hash: hashing
    ``demo12345`` once instead of per account keeps seeding fast."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.users: dict[str, Model] = {}
        self.memberships: list[tuple[str, Membership, list[Building]]] = []
        self.street_memberships: list[tuple[str, SubDistrict]] = []

    def _user(self, username: str, display_name: str | None = None, **flags):
        if username not in self.users:
            self.users[username] = get_user_model()(
                username=username, first_name=display_name or person_name(self.rng, younger_share=0.6), **flags
            )
        return self.users[username]

    def superuser(self, username: str, display_name: str) -> None:
        self._user(username, display_name, is_staff=True, is_superuser=True)

    def member(self, username, communities, role, *, buildings=(), department=None) -> None:
        self._user(username)
        for community in communities:
            membership = Membership(community=community, role=role, department=department)
            self.memberships.append((username, membership, list(buildings)))

    def street(self, username: str, sub_district: SubDistrict) -> None:
        self._user(username)
        self.street_memberships.append((username, sub_district))

    def save(self) -> dict:
        password = make_password(DEMO_PASSWORD)
        for user in self.users.values():
            user.password = password
        _bulk(list(self.users.values()))
        for username, membership, _buildings in self.memberships:
            membership.user = self.users[username]
        _bulk([m for _u, m, _b in self.memberships])
        _bulk(
            [
                Membership.buildings.through(membership_id=m.pk, building_id=b.pk)
                for _u, m, buildings in self.memberships
                for b in buildings
            ]
        )
        _bulk([SubDistrictMembership(user=self.users[u], sub_district=sd) for u, sd in self.street_memberships])
        return self.users
