"""The registry's invariants hold in the database itself, not only in forms."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from projects.models import Household, Membership, Role

from .. import factories as f

pytestmark = pytest.mark.django_db


def _insert(unit, **kw):
    data = {"unit": unit, "room": "101", "floor": 1, "area": Decimal("50.00")} | kw
    with transaction.atomic():
        Household.objects.create(**data)


@pytest.mark.parametrize("area", [Decimal("0"), Decimal("-1.50")])
def test_area_must_be_positive(area):
    unit = f.unit()
    with pytest.raises(IntegrityError):
        _insert(unit, area=area)
    assert not Household.objects.exists()


def test_bulk_update_cannot_bypass_area_check():
    household = f.household()
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(area=0)
    household.refresh_from_db()
    assert household.area > 0


def test_room_is_unique_within_a_unit_but_not_across_units():
    unit, other = f.unit(), f.unit()
    _insert(unit, room="302")
    with pytest.raises(IntegrityError):
        _insert(unit, room="302")
    _insert(other, room="302")
    assert Household.objects.filter(room="302").count() == 2


def test_household_kind_is_checked():
    with pytest.raises(IntegrityError):
        _insert(f.unit(), kind="office")


def test_department_role_requires_a_department():
    community = f.community()
    user = f.user()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, community=community, role=Role.DEPARTMENT)


def test_one_membership_per_user_and_community():
    community = f.community()
    user = f.member(community, Role.STAFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, community=community, role=Role.ADMIN)
