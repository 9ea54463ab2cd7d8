"""Registry pages cost the same number of queries whatever the data size."""

import pytest
from django.urls import reverse

from tests import page_budgets

from .. import factories as f

pytestmark = pytest.mark.django_db


def _grow(world, buildings: int, per_unit: int):
    for _ in range(buildings):
        building = f.building(compound=world.compound)
        for _ in range(2):
            f.households(f.unit(building=building), per_unit)
    f.households(world.unit, per_unit, start_floor=2)


@pytest.mark.parametrize("size", [(1, 2), (8, 20)], ids=["small", "large"])
@pytest.mark.parametrize(
    "view,attr,bound",
    [
        ("projects:community", "community", page_budgets.COMMUNITY_OVERVIEW),
        ("projects:compound", "compound", 12),
        ("projects:building", "building", 12),
        ("projects:unit", "unit", 12),
        ("projects:household_search", "community", 12),
    ],
)
def test_registry_list_queries_are_flat(client, world, django_assert_max_num_queries, view, attr, bound, size):
    _grow(world, *size)
    client.force_login(world.staff)
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(view, args=[getattr(world, attr).pk]))
    assert response.status_code == 200
