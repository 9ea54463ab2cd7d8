"""The affected households derived from each kind of scope, and single-household changes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.forms.projects import ProjectForm
from projects.models import HouseholdKind, ScopeEvent
from projects.selectors.scope import affected_by_building, affected_households
from projects.services.projects import check_scope_in_community
from projects.services.scope import scope_adjust, scope_undo
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(world):
    """World's compound: 1号楼 with units 1 (world.household + 4) and 2 (3, one shop); 2号楼 (1)."""
    e = type("Estate", (), {})()
    e.unit1 = world.unit
    e.unit1_more = f.households(world.unit, 4, start_floor=2)
    e.unit2 = f.unit(building=world.building, name="2单元")
    e.unit2_households = f.households(e.unit2, 2)
    e.shop = f.household(unit=e.unit2, room="底商1", kind=HouseholdKind.SHOP)
    return e


def _ids(project):
    return set(affected_households(project).values_list("pk", flat=True))


def test_whole_compound_scope(world, estate):
    project = f.project(community=world.community)
    project.compounds.set([world.compound])
    assert len(_ids(project)) == 1 + 4 + 3 + 1  # both buildings


def test_building_scope(world, estate):
    project = f.project(community=world.community)
    project.buildings.set([world.other_building])
    assert _ids(project) == {world.other_household.pk}


def test_unit_scope(world, estate):
    project = f.project(community=world.community)
    project.units.set([estate.unit2])
    assert _ids(project) == {h.pk for h in estate.unit2_households} | {estate.shop.pk}


def test_overlapping_scopes_count_each_household_once(world, estate):
    project = f.project(community=world.community)
    project.compounds.set([world.compound])
    project.buildings.set([world.building])
    project.units.set([estate.unit2])
    assert affected_households(project).count() == 9


def test_empty_scope_affects_nobody(world, estate):
    assert affected_households(f.project(community=world.community)).count() == 0


def test_adjustments_add_and_remove_single_households(world, estate):
    project = f.project(community=world.community)
    project.units.set([estate.unit2])
    scope_adjust(project=project, household=world.other_household, included=True, reason="同一下水管", by=world.staff)
    scope_adjust(project=project, household=estate.shop, included=False, reason="底商另走管线", by=world.staff)
    expected = {h.pk for h in estate.unit2_households} | {world.other_household.pk}
    assert _ids(project) == expected
    with CaptureQueriesContext(connection) as queries:
        list(affected_households(project))
    assert len(queries) == 1  # the whole derivation is one query


def test_adjustments_that_change_nothing_are_refused(world, estate):
    project = f.project(community=world.community)
    project.units.set([estate.unit2])
    with pytest.raises(ValidationError):
        scope_adjust(project=project, household=estate.shop, included=True, reason="x", by=world.staff)
    with pytest.raises(ValidationError):
        scope_adjust(project=project, household=world.household, included=False, reason="x", by=world.staff)
    with pytest.raises(ValidationError):
        scope_adjust(project=project, household=world.household, included=True, reason="  ", by=world.staff)
    assert not ScopeEvent.objects.exists()


def test_a_household_of_another_community_cannot_be_added(world, estate):
    project = f.project(community=world.community)
    with pytest.raises(ValidationError):
        scope_adjust(project=project, household=world.foreign_household, included=True, reason="x", by=world.staff)


def test_undo_returns_the_household_to_the_scope(world, estate):
    project = f.project(community=world.community)
    project.units.set([estate.unit2])
    removal = scope_adjust(project=project, household=estate.shop, included=False, reason="x", by=world.staff)
    assert estate.shop.pk not in _ids(project)
    undo = scope_undo(event=removal, reason="误操作", by=world.staff)
    assert estate.shop.pk in _ids(project)
    assert undo.reverses == removal and ScopeEvent.objects.count() == 2  # nothing deleted


def test_counts_by_building(world, estate):
    project = f.project(community=world.community)
    project.compounds.set([world.compound])
    rows = {r["unit__building__name"]: (r["households"], r["shops"]) for r in affected_by_building(project)}
    assert rows == {"1号楼": (8, 1), "2号楼": (1, 0)}


def test_form_rejects_a_building_of_another_community(world):
    foreign_building = world.foreign_household.unit.building
    form = ProjectForm(
        data={
            "title": "x",
            "project_class": "basic",
            "work_type": "sewage",
            "buildings": [world.building.pk, foreign_building.pk],
        },
        community=world.community,
    )
    assert not form.is_valid()
    assert "本社区" in str(form.errors["buildings"])


def test_form_rejects_a_unit_of_another_community(world):
    foreign_unit = world.foreign_household.unit
    form = ProjectForm(
        data={"title": "x", "project_class": "basic", "work_type": "sewage", "units": [foreign_unit.pk]},
        community=world.community,
    )
    assert not form.is_valid()
    assert "units" in form.errors


def test_service_check_catches_a_stray_place_written_elsewhere(world):
    project = f.project(community=world.community)
    project.units.set([world.foreign_household.unit])
    with pytest.raises(ValidationError):
        check_scope_in_community(project)


def test_scope_page_adds_a_household_by_unit_and_room(client, world, estate):
    project = f.project(community=world.community)
    project.buildings.set([world.building])
    client.force_login(world.staff)
    url = reverse("projects:project_scope", args=[project.pk])
    page = client.get(url).content.decode()
    assert "1号楼" in page and ">8<" in page
    response = client.post(
        url, {"included": "1", "unit": world.other_unit.pk, "room": world.other_household.room, "reason": "共用立管"}
    )
    assert response.status_code == 302
    assert world.other_household.pk in _ids(project)
    # A room that does not exist is reported next to the field.
    response = client.post(url, {"included": "1", "unit": world.other_unit.pk, "room": "9999", "reason": "x"})
    assert response.status_code == 200
    assert "9999" in response.content.decode()
    # Adding it twice is refused with a message, not an error page.
    response = client.post(
        url, {"included": "1", "unit": world.other_unit.pk, "room": world.other_household.room, "reason": "again"}
    )
    assert response.status_code == 200
    assert ScopeEvent.objects.count() == 1


def test_scope_page_undo(client, world, estate):
    project = f.project(community=world.community)
    project.buildings.set([world.building])
    removal = scope_adjust(project=project, household=estate.shop, included=False, reason="x", by=world.staff)
    client.force_login(world.staff)
    url = reverse("projects:scope_undo", args=[removal.pk])
    # An undo needs its own reason: without one nothing is written.
    assert client.post(url, {"reason": " "}).status_code == 302
    assert ScopeEvent.objects.count() == 1
    response = client.post(url, {"reason": "误操作"})
    assert response.status_code == 302
    assert estate.shop.pk in _ids(project)
    assert ScopeEvent.objects.filter(reverses=removal).count() == 1
    # Undoing twice is refused (the removal is no longer in force), never a second undo.
    client.post(url, {"reason": "again"})
    assert ScopeEvent.objects.count() == 2
    assert client.post(reverse("projects:scope_undo", args=[999999]), {"reason": "x"}).status_code == 404
