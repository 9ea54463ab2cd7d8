from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import HouseholdChange, SensitiveDataAccess
from tests import factories as f

pytestmark = pytest.mark.django_db


def _form(household, **overrides):
    data = {
        "room": household.room,
        "floor": household.floor,
        "area": str(household.area),
        "area_source": household.area_source,
        "kind": household.kind,
        "owner_kind": "person",
        "owner_names": household.owner_names,
        "phone": household.phone,
        "notes": household.notes,
    }
    return data | overrides


def test_edit_records_who_when_and_what(client, world):
    client.force_login(world.staff)
    url = reverse("projects:household_edit", args=[world.household.pk])
    response = client.post(url, _form(world.household, area="72.35", owner_names="李桂兰"))
    assert response.status_code == 302
    world.household.refresh_from_db()
    assert world.household.area == Decimal("72.35")
    change = HouseholdChange.objects.get(household=world.household)
    assert change.changed_by == world.staff
    assert change.source == HouseholdChange.Source.EDIT
    assert change.changes["area"] == ["60.00", "72.35"]
    assert change.changes["owner_names"][1] == "李桂兰"
    assert "phone" not in change.changes


def test_saving_without_changes_records_nothing(client, world):
    client.force_login(world.staff)
    client.post(reverse("projects:household_edit", args=[world.household.pk]), _form(world.household))
    assert not HouseholdChange.objects.exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("area", "0", "面积必须大于"),
        ("area", "abc", "输入一个数字"),
        ("phone", "12345", "11位手机号"),
        ("floor", "", "这个字段是必填项"),
    ],
)
def test_bad_input_is_refused_in_chinese_next_to_the_field(client, world, field, value, message):
    client.force_login(world.staff)
    before = world.household.area
    response = client.post(
        reverse("projects:household_edit", args=[world.household.pk]), _form(world.household, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f"id_{field}" in response.content.decode()
    world.household.refresh_from_db()
    assert world.household.area == before
    assert not HouseholdChange.objects.exists()


def test_duplicate_room_in_same_unit_is_a_form_error(client, world):
    from .. import factories as f

    f.household(unit=world.unit, room="102")
    client.force_login(world.staff)
    response = client.post(
        reverse("projects:household_edit", args=[world.household.pk]), _form(world.household, room="102")
    )
    assert response.status_code == 200
    world.household.refresh_from_db()
    assert world.household.room == "101"


def test_viewing_care_flags_is_logged(client, world):
    world.household.elderly_alone = True
    world.household.save()
    client.force_login(world.staff)
    client.get(reverse("projects:household", args=[world.household.pk]))
    access = SensitiveDataAccess.objects.get()
    assert access.user == world.staff and access.household == world.household


def test_households_without_care_flags_log_nothing(client, world):
    client.force_login(world.staff)
    client.get(reverse("projects:household", args=[world.household.pk]))
    assert not SensitiveDataAccess.objects.exists()


def test_owners_are_linked_from_the_form_and_their_kind_is_in_the_history(client, world):
    from projects.models import Owner, OwnerKind

    client.force_login(world.staff)
    url = reverse("projects:household_edit", args=[world.household.pk])
    other = f.household(unit=world.unit, room="102")
    client.post(
        reverse("projects:household_edit", args=[other.pk]),
        _form(other, owner_names="市体校", owner_kind=OwnerKind.PROPERTY_UNIT),
    )
    response = client.post(url, _form(world.household, owner_names="市体校", owner_kind=OwnerKind.PROPERTY_UNIT))
    assert response.status_code == 302
    school = Owner.objects.get(name="市体校")
    assert school.kind == OwnerKind.PROPERTY_UNIT
    assert set(school.households.all()) == {world.household, other}  # one organisation, two flats
    change = HouseholdChange.objects.filter(household=world.household).first()
    assert change.changes["owners"][1] == "市体校（产权单位）"
    page = client.get(reverse("projects:household", args=[world.household.pk])).content.decode()
    assert "市体校" in page and "名下共 2 套房屋" in page


def test_an_empty_area_is_accepted_and_shown_as_not_recorded(client, world):
    client.force_login(world.staff)
    url = reverse("projects:household_edit", args=[world.household.pk])
    assert client.post(url, _form(world.household, area="")).status_code == 302
    world.household.refresh_from_db()
    assert world.household.area is None
    page = client.get(reverse("projects:household", args=[world.household.pk])).content.decode()
    assert "未登记" in page


def test_a_reference_needs_exactly_one_name(client, world):
    client.force_login(world.staff)
    url = reverse("projects:household_edit", args=[world.household.pk])
    response = client.post(url, _form(world.household, owner_names="甲、乙", owner_reference="0417"))
    assert response.status_code == 200
    assert "业主编号只对应一个人" in response.content.decode()
