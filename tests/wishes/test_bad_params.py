"""Out-of-range pages, unknown sort keys and absurd parameters give the default page, never
a 500, on the lists this feature pages through (public list, staff queue, noticeboard)."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

BAD = [
    {"page": "99999999"},
    {"page": "99999999999999999999999999"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "abc"},
    {"page": "1e9"},
    {"sort": "-support_count; drop table"},
    {"sort": "title"},
    {"status": "nonsense", "category": "x" * 500},
    {"building": "999999999"},
    {"per_page": "1000000", "page_size": "1000000", "limit": "-5"},
]


@pytest.mark.parametrize("params", BAD)
def test_public_wish_list(client, world, params):
    for i in range(3):
        f.wish(world.compound, household=world.household if i == 0 else None, title=f"愿望{i}")
    response = client.get(reverse("consult:wish_list", args=[world.compound.pk]), params)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert len(response.context["page_obj"]) <= 20


@pytest.mark.parametrize("params", BAD)
def test_staff_queue(client, world, params):
    f.wish(world.compound, household=world.household)
    client.force_login(world.staff)
    response = client.get(reverse("consult:wish_queue", args=[world.community.pk]), params)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert len(response.context["page_obj"]) <= 50


@pytest.mark.parametrize("params", BAD[:3])
def test_noticeboard(client, world, params):
    response = client.get(reverse("projects:noticeboard", args=[world.compound.pk]), params)
    assert response.status_code == 200


def test_an_unknown_compound_is_a_404(client):
    assert client.get(reverse("consult:wish_list", args=[987654321])).status_code == 404
    assert client.get(reverse("projects:noticeboard", args=[987654321])).status_code == 404
