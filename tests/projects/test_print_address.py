"""Posters and household letters print the address residents will open: SITE_URL when it is
set, otherwise the address the staff member used; a loopback address gets a warning."""

import pytest
from django.urls import reverse

from projects.site_address import is_loopback

pytestmark = pytest.mark.django_db


def _poster(client, world, host):
    client.force_login(world.staff)
    return client.get(reverse("projects:poster", args=[world.compound.pk]), HTTP_HOST=host).content.decode()


def test_without_site_url_the_poster_uses_the_request_address(client, world, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    page = _poster(client, world, "192.168.1.20:8000")
    assert f"http://192.168.1.20:8000/c/{world.compound.pk}/" in page
    assert "127.0.0.1" not in page
    assert 'data-testid="loopback-warning"' not in page


def test_a_loopback_address_is_flagged_before_printing(client, world, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    page = _poster(client, world, "127.0.0.1:8000")
    assert 'data-testid="loopback-warning"' in page
    assert "只能在本机打开" in page


def test_site_url_wins_over_the_request(client, world, settings):
    settings.SITE_URL = "https://gaizao.example.cn/"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    page = _poster(client, world, "127.0.0.1:8000")
    assert f"https://gaizao.example.cn/c/{world.compound.pk}/" in page
    assert 'data-testid="loopback-warning"' not in page


def test_letters_use_the_request_address(client, world, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["10.0.0.8"]
    client.force_login(world.staff)
    response = client.post(
        reverse("projects:unit_letters", args=[world.unit.pk]), {"replace": "missing"}, HTTP_HOST="10.0.0.8"
    )
    letters = response.context["letters"]
    assert letters and all(letter["url"].startswith("http://10.0.0.8/h/#") for letter in letters)
    assert 'data-testid="loopback-warning"' not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("http://[::1]:8000", True),
        ("http://127.8.0.1", True),
        ("http://192.168.1.20:8000", False),
        ("https://gaizao.example.cn", False),
    ],
)
def test_loopback_addresses(url, loopback):
    assert is_loopback(url) is loopback
