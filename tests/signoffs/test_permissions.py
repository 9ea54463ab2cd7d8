"""The permission matrix: every sign-off view against every role.

Building heads reach only the households of their own building (1号楼); department viewers
and sub-district staff see the aggregate board only; residents act only through their
household code, on the online confirmation page."""

import pytest
from django.urls import reverse

from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from tests import factories as f
from tests.helpers import OFFICE, RESIDENTS, ROLES

from .conftest import at

pytestmark = pytest.mark.django_db

LOGIN = "login"  # redirected to the login page


def expect(allowed: dict, denied=403):
    """Anonymous visitors and residents (no account) go to the login page on staff views."""
    result = dict.fromkeys(RESIDENTS, LOGIN)
    for role in ROLES:
        if role in RESIDENTS:
            continue
        result[role] = allowed.get(role, denied)
    return result


def ok(roles, code=200):
    return {role: code for role in roles}


EVERY_STAFF_ROLE = {"staff", "admin", "superuser", "building_head", "department", "sub_district_staff"}
HOUSEHOLD_ROLES = OFFICE | {"building_head"}

# name → (method, url builder, expected per role)
VIEWS = {
    "campaigns": (
        "get",
        lambda s: reverse("projects:signoff_campaigns", args=[s.world.community.pk]),
        expect(ok(EVERY_STAFF_ROLE)),
    ),
    "board": ("get", lambda s: reverse("projects:signoff_board", args=[s.campaign.pk]), expect(ok(EVERY_STAFF_ROLE))),
    "create": (
        "get",
        lambda s: reverse("projects:signoff_campaign_create", args=[s.bare_project.pk]),
        expect(ok(OFFICE)),
    ),
    "edit": ("get", lambda s: reverse("projects:signoff_campaign_edit", args=[s.campaign.pk]), expect(ok(OFFICE))),
    "state": (
        "post",
        lambda s: reverse("projects:signoff_campaign_state", args=[s.campaign.pk]),
        expect(ok(OFFICE, 302)),
    ),
    "unit": (
        "get",
        lambda s: reverse("projects:signoff_unit", args=[s.campaign.pk, s.world.unit.pk]),
        expect(ok(HOUSEHOLD_ROLES)),
    ),
    "unit_other_building": (
        "get",
        lambda s: reverse("projects:signoff_unit", args=[s.campaign.pk, s.world.other_unit.pk]),
        expect(ok(OFFICE)),
    ),
    "household": (
        "get",
        lambda s: reverse("projects:signoff_household", args=[s.campaign.pk, s.mine.pk]),
        expect(ok(HOUSEHOLD_ROLES)),
    ),
    "household_other_building": (
        "get",
        lambda s: reverse("projects:signoff_household", args=[s.campaign.pk, s.theirs.pk]),
        expect(ok(OFFICE)),
    ),
    "tick": (
        "post",
        lambda s: reverse("projects:signoff_tick", args=[s.campaign.pk, s.mine.pk]),
        expect(ok(HOUSEHOLD_ROLES, 302)),
    ),
    "tick_other_building": (
        "post",
        lambda s: reverse("projects:signoff_tick", args=[s.campaign.pk, s.theirs.pk]),
        expect(ok(OFFICE, 302)),
    ),
    "contact": (
        "post",
        lambda s: reverse("projects:signoff_household", args=[s.campaign.pk, s.mine.pk]),
        expect(ok(HOUSEHOLD_ROLES, 302)),
    ),
    "assign": (
        "post",
        lambda s: reverse("projects:signoff_household", args=[s.campaign.pk, s.mine.pk]),
        expect(ok(OFFICE, 302)),
    ),
    "blockers": (
        "get",
        lambda s: reverse("projects:signoff_blockers", args=[s.campaign.pk]),
        expect(ok(HOUSEHOLD_ROLES)),
    ),
    "bulk_assign": (
        "post",
        lambda s: reverse("projects:signoff_bulk_assign", args=[s.campaign.pk]),
        expect(ok(OFFICE, 302)),
    ),
    "sheets": ("get", lambda s: reverse("projects:signoff_sheets", args=[s.campaign.pk]), expect(ok(HOUSEHOLD_ROLES))),
    "visits": ("get", lambda s: reverse("projects:signoff_visits", args=[s.campaign.pk]), expect(ok(HOUSEHOLD_ROLES))),
    "export": ("get", lambda s: reverse("projects:signoff_export", args=[s.campaign.pk]), expect(ok(OFFICE))),
    "photo": ("get", lambda s: reverse("projects:signoff_photo", args=[s.photo_event.pk]), expect(ok(HOUSEHOLD_ROLES))),
    "photo_other_building": (
        "get",
        lambda s: reverse("projects:signoff_photo", args=[s.other_photo_event.pk]),
        expect(ok(OFFICE)),
    ),
}

POST_DATA = {
    "state": {"open": "0"},
    "tick": {"status": S.TALKED},
    "tick_other_building": {"status": S.TALKED},
    "contact": {"action": "contact", "kind": "visit", "contacted_on": "2025-03-04", "outcome": "上门沟通"},
    "assign": {"action": "assign", "assignee": "", "note": ""},
    "bulk_assign": {"households": [], "assignee": ""},
}


@pytest.fixture
def setup(so, world, photo_jpeg):
    so.mine, so.theirs = so.head_households[1], so.other_households[1]
    so.bare_project = f.project(community=world.community)
    so.photo_event = svc.signoff_record_status(
        campaign=so.campaign,
        household=so.mine,
        status=S.AGREED,
        by=world.staff,
        signer_name="甲",
        signed_on=at(1).date(),
        form_photo=photo_jpeg(),
        now=at(1),
    )
    so.other_photo_event = svc.signoff_record_status(
        campaign=so.campaign,
        household=so.theirs,
        status=S.AGREED,
        by=world.staff,
        signer_name="乙",
        signed_on=at(1).date(),
        form_photo=photo_jpeg(),
        now=at(1),
    )
    POST_DATA["bulk_assign"]["households"] = [so.mine.pk]
    POST_DATA["contact"]["staff"] = world.staff.pk
    return so


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_permission_matrix(client, act_as, setup, world, view, role):
    method, url, expected = VIEWS[view]
    act_as(client, role)
    response = getattr(client, method)(url(setup), POST_DATA.get(view, {}))
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), response
    else:
        assert response.status_code == want, (view, role, response.status_code)
        if want == 302:
            assert not response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role,expected",
    [
        ("resident", 200),
        ("resident_elsewhere", 403),
        ("anonymous", 403),
        ("staff", 403),  # staff record answers for residents on the staff pages, not here
        ("building_head", 403),
    ],
)
def test_online_confirmation_only_for_households_in_scope(client, act_as, setup, world, role, expected):
    act_as(client, role)
    response = client.get(reverse("projects:signoff_confirm", args=[setup.campaign.pk]))
    assert response.status_code == expected


def test_department_and_sub_district_see_numbers_but_no_names(client, setup, world):
    for user in (world.department, world.sub_district_staff):
        client.force_login(user)
        page = client.get(reverse("projects:signoff_board", args=[setup.campaign.pk])).content.decode()
        assert setup.mine.owner_names not in page and "甲" not in page
        assert reverse("projects:signoff_unit", args=[setup.campaign.pk, world.unit.pk]) not in page
        assert reverse("projects:signoff_blockers", args=[setup.campaign.pk]) not in page


def test_head_board_and_lists_are_narrowed_to_their_buildings(client, setup, world):
    client.force_login(world.building_head)
    board = client.get(reverse("projects:signoff_board", args=[setup.campaign.pk])).content.decode()
    assert "1号楼" in board and f'data-unit="{world.other_unit.pk}"' not in board
    blockers = client.get(reverse("projects:signoff_blockers", args=[setup.campaign.pk])).content.decode()
    assert setup.head_households[0].owner_names in blockers
    assert all(h.owner_names not in blockers for h in setup.other_households)
    sheets = client.get(reverse("projects:signoff_sheets", args=[setup.campaign.pk])).content.decode()
    assert "1号楼1单元" in sheets and "2号楼1单元" not in sheets
    visits = client.get(reverse("projects:signoff_visits", args=[setup.campaign.pk])).content.decode()
    assert all(h.owner_names not in visits for h in setup.other_households)


def test_head_cannot_bulk_assign_households_outside_their_building_by_posting_ids(client, setup, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("projects:signoff_bulk_assign", args=[setup.campaign.pk]),
        {"households": [setup.theirs.pk], "assignee": world.building_head.pk},
        follow=True,
    )
    assert response.status_code == 200
    from projects.models import SignoffRecord

    assert SignoffRecord.objects.get(campaign=setup.campaign, household=setup.theirs).assignee is None
