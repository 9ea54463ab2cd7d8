"""Every registry view against every role. 200 = allowed, 403 = signed in but refused,
"login" = sent to the login page."""

import pytest
from django.urls import reverse

from tests.helpers import ROLES

pytestmark = pytest.mark.django_db

# view name, object attribute on the world fixture, expected result per role (in ROLES order)
MATRIX = [
    ("projects:community", "community", ["login", "login", "login", 200, 200, 403, 200, 200, 200, 200]),
    ("projects:household_search", "community", ["login", "login", "login", 200, 200, 403, 403, 200, 200, 200]),
    ("projects:compound", "compound", ["login", "login", "login", 200, 200, 403, 403, 200, 200, 200]),
    ("projects:building", "building", ["login", "login", "login", 200, 200, 403, 403, 200, 200, 200]),
    ("projects:building", "other_building", ["login", "login", "login", 200, 200, 403, 403, 403, 200, 200]),
    ("projects:unit", "unit", ["login", "login", "login", 200, 200, 403, 403, 200, 200, 200]),
    ("projects:unit", "other_unit", ["login", "login", "login", 200, 200, 403, 403, 403, 200, 200]),
    ("projects:household", "household", ["login", "login", "login", 200, 200, 403, 403, 200, 200, 200]),
    ("projects:household", "other_household", ["login", "login", "login", 200, 200, 403, 403, 403, 200, 200]),
    ("projects:household", "foreign_household", ["login", "login", "login", 403, 403, 200, 403, 403, 200, 200]),
    ("projects:household_edit", "household", ["login", "login", "login", 200, 200, 403, 403, 403, 403, 200]),
]


@pytest.mark.parametrize("view,attr,expected", MATRIX, ids=[f"{v}:{a}" for v, a, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_registry_permission_matrix(client, act_as, world, view, attr, expected, role_index):
    role = ROLES[role_index]
    act_as(client, role)
    response = client.get(reverse(view, args=[getattr(world, attr).pk]))
    want = expected[role_index]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize(
    "role,sees_full",
    [("staff", True), ("admin", True), ("building_head", True), ("sub_district_staff", False), ("superuser", True)],
)
def test_phone_masked_for_roles_that_do_not_need_it(client, world, role, sees_full):
    client.force_login(getattr(world, role))
    body = client.get(reverse("projects:unit", args=[world.unit.pk])).content.decode()
    assert ("13812341234" in body) is sees_full
    assert ("138****1234" in body) is not sees_full


def test_building_head_search_is_limited_to_their_buildings(client, world):
    client.force_login(world.building_head)
    body = client.get(reverse("projects:household_search", args=[world.community.pk])).content.decode()
    assert world.household.owner_names in body
    assert world.other_household.owner_names not in body


def test_building_head_overview_counts_only_their_buildings(client, world):
    client.force_login(world.building_head)
    response = client.get(reverse("projects:community", args=[world.community.pk]))
    assert response.context["totals"]["households"] == 1


def test_department_sees_no_registry_on_the_overview(client, world):
    client.force_login(world.department)
    response = client.get(reverse("projects:community", args=[world.community.pk]))
    assert response.status_code == 200
    assert "totals" not in response.context
    assert world.household.owner_names not in response.content.decode()


def test_edit_post_refused_for_sub_district_staff(client, world):
    client.force_login(world.sub_district_staff)
    response = client.post(reverse("projects:household_edit", args=[world.household.pk]), {"room": "999"})
    assert response.status_code == 403
    world.household.refresh_from_db()
    assert world.household.room == "101"


@pytest.mark.parametrize("view", ["projects:community", "projects:household", "projects:unit"])
def test_unknown_ids_are_404_not_500(client, world, view):
    client.force_login(world.staff)
    assert client.get(reverse(view, args=[999999])).status_code == 404
