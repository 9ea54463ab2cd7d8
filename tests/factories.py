"""Small builders for test data. Plain functions: each returns saved objects with sensible
defaults, and any field can be overridden by keyword."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from projects.models import (
    Building,
    Community,
    Compound,
    Department,
    Household,
    Membership,
    Project,
    Role,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def sub_district(**kw) -> SubDistrict:
    kw.setdefault("name", f"街道{_n()}")
    return SubDistrict.objects.create(**kw)


def community(**kw) -> Community:
    if "sub_district" not in kw:
        kw["sub_district"] = sub_district()
    kw.setdefault("name", f"社区{_n()}")
    return Community.objects.create(**kw)


def compound(**kw) -> Compound:
    if "community" not in kw:
        kw["community"] = community()
    kw.setdefault("name", f"小区{_n()}")
    return Compound.objects.create(**kw)


def building(**kw) -> Building:
    if "compound" not in kw:
        kw["compound"] = compound()
    kw.setdefault("name", f"{_n()}号楼")
    return Building.objects.create(**kw)


def unit(**kw) -> Unit:
    if "building" not in kw:
        kw["building"] = building()
    kw.setdefault("name", f"{_n()}单元")
    return Unit.objects.create(**kw)


def household(**kw) -> Household:
    if "unit" not in kw:
        kw["unit"] = unit()
    n = _n()
    kw.setdefault("room", str(100 + n))
    kw.setdefault("floor", 1)
    kw.setdefault("area", Decimal("60.00"))
    kw.setdefault("owner_names", f"业主{n}")
    kw.setdefault("phone", "13800138000")
    return Household.objects.create(**kw)


def households(unit_obj: Unit, count: int, *, area=Decimal("60.00"), start_floor=1, per_floor=2) -> list[Household]:
    """``count`` households stacked floor by floor in one unit, inserted in one query."""
    rows = []
    for i in range(count):
        floor = start_floor + i // per_floor
        rows.append(
            Household(
                unit=unit_obj,
                room=f"{floor}{(i % per_floor) + 1:02d}",
                floor=floor,
                area=area,
                owner_names=f"业主{_n()}",
                phone="13900139000",
            )
        )
    return Household.objects.bulk_create(rows)


def user(**kw):
    kw.setdefault("username", f"user{_n()}")
    password = kw.pop("password", "pass-for-tests-1")
    u = get_user_model().objects.create_user(password=password, **kw)
    return u


def member(community_obj: Community, role: str = Role.STAFF, *, buildings=(), department=None, **kw):
    u = user(**kw)
    if role == Role.DEPARTMENT and department is None:
        department = Department.objects.create(sub_district=community_obj.sub_district, name=f"部门{_n()}")
    m = Membership.objects.create(user=u, community=community_obj, role=role, department=department)
    if buildings:
        m.buildings.set(buildings)
    return u


def sub_district_staff(sub_district_obj: SubDistrict, **kw):
    u = user(**kw)
    SubDistrictMembership.objects.create(user=u, sub_district=sub_district_obj)
    return u


def project(**kw) -> Project:
    if "community" not in kw:
        kw["community"] = community()
    kw.setdefault("title", f"改造项目{_n()}")
    return Project.objects.create(**kw)
