import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,attr",
    [
        ("projects:community", "community"),
        ("projects:compound", "compound"),
        ("projects:building", "building"),
        ("projects:unit", "unit"),
        ("projects:household", "household"),
        ("projects:household_edit", "household"),
        ("projects:household_search", "community"),
    ],
)
def test_staff_can_open_registry_pages(client, world, name, attr):
    client.force_login(world.staff)
    response = client.get(reverse(name, args=[getattr(world, attr).pk]))
    assert response.status_code == 200
    assert "13812341234" in response.content.decode() or name in (
        "projects:community",
        "projects:compound",
        "projects:building",
    )
