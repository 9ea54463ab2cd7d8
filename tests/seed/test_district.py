"""The district benchmark builder, at reduced size: same code path, bulk inserts only."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.demo import DemoContext
from projects.demo.registry import build_district
from projects.models import (
    Building,
    Community,
    Compound,
    Department,
    Household,
    Membership,
    Role,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)

pytestmark = pytest.mark.django_db


def context(seed: int = 1) -> DemoContext:
    return DemoContext(scale="district", rng=random.Random(seed), now=timezone.now(), log=lambda message: None)


def test_district_builder_lands_exactly_on_the_household_target():
    ctx = context()
    build_district(ctx, households_target=2000, communities=3, compounds=6, buildings=36)
    assert Household.objects.count() == 2000 == ctx.data["counts"]["households"]
    assert list(SubDistrict.objects.values_list("name", flat=True)) == ["示范街道"]
    assert Community.objects.count() == 3
    assert Compound.objects.count() == 6
    assert Building.objects.count() == 36
    assert all(n >= 1 for n in Compound.objects.annotate(n=Count("buildings")).values_list("n", flat=True))
    assert Department.objects.count() == 7


def test_district_buildings_have_realistic_shapes():
    build_district(context(2), households_target=2000, communities=2, compounds=4, buildings=36)
    tops = Household.objects.values("unit__building").annotate(low=Min("floor"), high=Max("floor"))
    assert {row["low"] for row in tops} == {1}
    assert {row["high"] for row in tops} <= {5, 6, 7}
    units = Unit.objects.values("building").annotate(n=Count("pk"))
    assert {row["n"] for row in units} <= {2, 3, 4}
    per_landing = Household.objects.values("unit", "floor").annotate(n=Count("pk"))
    assert {row["n"] for row in per_landing} <= {2, 3}
    rows = list(Household.objects.values_list("room", "floor", "area"))
    assert all(int(room[:-2]) == floor for room, floor, _area in rows)
    assert all(area > 0 for _room, _floor, area in rows)


def test_district_staff_accounts_per_community(client):
    build_district(context(3), households_target=1200, communities=2, compounds=4, buildings=24)
    communities = list(Community.objects.order_by("pk"))
    for number, community in enumerate(communities, start=1):
        prefix = f"c{number:02d}"
        roles = dict(
            Membership.objects.filter(community=community, user__username__startswith=prefix).values_list(
                "user__username", "role"
            )
        )
        assert roles == {
            f"{prefix}_admin": Role.ADMIN,
            f"{prefix}_staff1": Role.STAFF,
            f"{prefix}_staff2": Role.STAFF,
            f"{prefix}_head1": Role.BUILDING_HEAD,
            f"{prefix}_head2": Role.BUILDING_HEAD,
            f"{prefix}_dept": Role.DEPARTMENT,
        }
        head = Membership.objects.get(user__username=f"{prefix}_head1")
        assert head.buildings.count() == 3
        assert all(b.compound.community_id == community.pk for b in head.buildings.all())
    assert Membership.objects.filter(user__username="demo_staff", role=Role.ADMIN).count() == 2
    assert SubDistrictMembership.objects.filter(user__username="district_street").exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert client.login(username="c02_staff1", password="demo12345")


def run_counting_queries(**size) -> tuple[int, int, int]:
    """(queries other than INSERT, INSERT statements, rows written) of one district build."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        written = build_district(context(), **size)
        transaction.set_rollback(True)
    inserts = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    rows = written.households + written.units + len(written.buildings) + len(written.compounds)
    return len(captured.captured_queries) - len(inserts), len(inserts), rows


def test_district_builder_query_count_does_not_grow_with_size():
    small = run_counting_queries(households_target=600, communities=2, compounds=4, buildings=16)
    large = run_counting_queries(households_target=2400, communities=2, compounds=4, buildings=48)
    assert large[0] == small[0]  # no per-row reads or updates at all
    assert large[0] <= 5
    # only the number of INSERT batches grows: dozens of rows per statement, never one per row
    assert (large[1] - small[1]) * 40 <= large[2] - small[2]
