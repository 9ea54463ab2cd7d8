"""The tab row of a community's staff pages comes from the tabs each feature registers."""

import pytest
from django.urls import reverse

from projects.sections import Tab, community_tabs

pytestmark = pytest.mark.django_db


def keys(user, community):
    return [tab.key for tab in community_tabs.visible(user, community)]


def test_every_feature_registers_its_tab_in_order(world):
    assert keys(world.admin, world.community) == [
        "overview",
        "projects",
        "meetings",
        "wishes",
        "ballots",
        "signoffs",
        "search",
        "roster",
        "outbox",
        "members",
        "settings",
    ]


def test_a_building_head_gets_the_export_link_instead_of_the_import_tab(world):
    head = keys(world.building_head, world.community)
    assert "roster_export" in head
    assert "roster" not in head
    assert "members" not in head


def test_a_department_does_not_see_the_registry_tabs(world):
    department = keys(world.department, world.community)
    assert not {"search", "roster", "roster_export", "members"} & set(department)


def test_the_page_renders_the_registered_tabs_with_the_current_one_marked(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("consult:ballot_list", args=[world.community.pk])).content.decode()
    assert '<nav class="no-print" aria-label="社区">' in page
    ballots = reverse("consult:ballot_list", args=[world.community.pk])
    assert f'class="nav-link active" href="{ballots}" aria-current="page">表决</a>' in page
    assert reverse("consult:wish_queue", args=[world.community.pk]) in page


def test_a_new_feature_adds_a_tab_without_touching_the_template(client, world):
    community_tabs.register(Tab("extra", "Extra", "projects:community", order=99, permission="projects.view_registry"))
    try:
        assert keys(world.staff, world.community)[-1] == "extra"
        assert "extra" not in keys(world.department, world.community)
    finally:
        community_tabs._tabs.pop("extra")
