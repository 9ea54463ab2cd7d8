"""HTML is compressed for anonymous visitors (``projects.middleware.PublicGZipMiddleware``),
not for signed-in staff or an acting household (BREACH), and the first load of a public page
(the page and every stylesheet and script it names, compressed) stays within 60 KB."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

FIRST_LOAD_BUDGET = 60 * 1024


def noticeboard(client, world):
    return client.get(reverse("projects:noticeboard", args=[world.compound.pk]), HTTP_ACCEPT_ENCODING="gzip")


def test_anonymous_pages_are_compressed(client, world):
    f.wish(world.compound, household=world.household)
    response = noticeboard(client, world)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in gzip.decompress(response.content)


@pytest.mark.parametrize("who", ["staff", "household"])
def test_pages_of_a_signed_in_visitor_are_not(client, act_as, world, who):
    act_as(client, world.staff if who == "staff" else world.household)
    response = noticeboard(client, world)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_first_load_of_the_noticeboard_fits_a_phone_budget(client, world):
    for i in range(8):
        f.wish(world.compound, household=world.household if i == 0 else None, title=f"愿望 {i}")
    response = noticeboard(client, world)
    html = gzip.decompress(response.content).decode()
    total = len(response.content)
    assets = re.findall(r'(?:src|href)="/static/([^"?]+)', html)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for asset in set(assets):
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as file:
            # WhiteNoise serves the .gz it made at collectstatic; level 9 like it does.
            total += len(gzip.compress(file.read(), compresslevel=9))
    assert total <= FIRST_LOAD_BUDGET, f"{total / 1024:.1f} KB"
