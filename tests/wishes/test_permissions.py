"""Who may open what: every wish view against every role.

Staff pages answer anonymous visitors (and residents, who have no account) with the login
page and signed-in users without the permission with 403. Public pages open for everyone."""

import pytest
from django.urls import reverse

from consult.models import WishStatus
from projects.models import Channel
from tests.helpers import HEAD_SCOPED_ROLES, HEAD_SCOPES, OFFICE

from .conftest import make_wish

pytestmark = pytest.mark.django_db

EVERYONE = set(HEAD_SCOPED_ROLES)
HEADS = set(HEAD_SCOPES)

# view name → (method, target, roles allowed). Target "community" or "wish" (a wish in the
# building head's building for head_inside, in another building for head_outside).
MATRIX = {
    "wish_list": ("get", "compound", EVERYONE),
    "wish_submit": ("get", "compound", EVERYONE),
    "wish": ("get", "wish", EVERYONE),
    "wish_receipt": ("get", None, EVERYONE),
    "wish_queue": ("get", "community", OFFICE | HEADS | {"department", "sub_district_staff"}),
    "wish_enter": ("get", "community", OFFICE | HEADS),
    "wish_export": ("get", "community", OFFICE | {"sub_district_staff"}),
    "sub_district_wish_export": ("get", "sub_district", {"sub_district_staff", "superuser"}),
    "wish_manage": ("get", "wish", OFFICE | {"head_inside", "department", "sub_district_staff"}),
    "wish_manage#post": ("post", "wish", OFFICE),
    "wish_edit": ("get", "wish", OFFICE),
    "wish_supports": ("get", "wish", OFFICE | {"head_inside"}),
    "wish_supports#post": ("post", "wish", OFFICE | {"head_inside"}),
}


def target_args(world, role, target):
    if target is None:
        return []
    if target == "compound":
        return [world.compound.pk]
    if target == "community":
        return [world.community.pk]
    if target == "sub_district":
        return [world.sub_district.pk]
    building = world.other_building if role == "head_outside" else world.building
    return [make_wish(world.compound, building=building, by=world.staff, channel=Channel.PHONE).pk]


POST_DATA = {
    "wish_manage#post": {"to_status": WishStatus.ACCEPTED, "response": "已受理"},
    "wish_supports#post": {"household_address": "1-1-101", "channel": Channel.PAPER},
}


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
@pytest.mark.parametrize("view", list(MATRIX))
def test_permission_matrix(client, act_as, world, view, role):
    method, target, allowed = MATRIX[view]
    url = reverse(f"consult:{view.split('#')[0]}", args=target_args(world, role, target))
    act_as(client, role)
    response = getattr(client, method)(url, POST_DATA.get(view, {}))
    if role in allowed:
        assert response.status_code in (200, 302), (view, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url
    elif role in ("anonymous", "resident", "resident_elsewhere"):
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 403, (view, role, response.status_code)


@pytest.mark.parametrize("role", ["staff", "department", "sub_district_staff", "head_inside"])
def test_withdraw_support_for_a_household_needs_record_support(client, act_as, world, role):
    from consult.services.wishes import support_add

    wish = make_wish(world.compound, building=world.building)
    support = support_add(wish=wish, household=world.household)
    act_as(client, role)
    response = client.post(reverse("consult:wish_support_withdraw", args=[wish.pk, support.pk]))
    support.refresh_from_db()
    if role in ("staff", "head_inside"):
        assert response.status_code == 302 and support.withdrawn_at is not None
    else:
        assert response.status_code == 403 and support.withdrawn_at is None


def test_staff_of_another_community_cannot_triage_by_crafted_post(client, world):
    wish = make_wish(world.compound)
    client.force_login(world.other_staff)
    response = client.post(reverse("consult:wish_manage", args=[wish.pk]), {"to_status": WishStatus.ACCEPTED})
    assert response.status_code == 403
    wish.refresh_from_db()
    assert wish.status == WishStatus.SUBMITTED


def test_phones_on_staff_pages_follow_view_phone(client, world):
    wish = make_wish(world.compound, contact_name="王秀英", contact_phone="13912345678")
    url = reverse("consult:wish_manage", args=[wish.pk])
    client.force_login(world.staff)
    assert "13912345678" in client.get(url).content.decode()
    for user in (world.department, world.sub_district_staff):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "13912345678" not in html and "139****5678" in html and "王秀英" not in html
    queue = reverse("consult:wish_queue", args=[world.community.pk])
    client.force_login(world.department)
    assert "13912345678" not in client.get(queue).content.decode()


def test_bad_ids_are_404_not_500(client, world):
    client.force_login(world.superuser)
    for name in ("wish_manage", "wish_edit", "wish_supports", "wish"):
        assert client.get(reverse(f"consult:{name}", args=[999999])).status_code == 404
    for name in ("wish_queue", "wish_enter", "wish_export"):
        assert client.get(reverse(f"consult:{name}", args=[999999])).status_code == 404
    wish = make_wish(world.compound)
    assert client.post(reverse("consult:wish_support_withdraw", args=[wish.pk, 999999])).status_code == 404
