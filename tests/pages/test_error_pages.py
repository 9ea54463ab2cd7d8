"""The error pages speak Chinese, carry the site header, say what to do and link home."""

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from projects.permission_roles import roles_for, who_can
from projects.views.errors import server_error

pytestmark = pytest.mark.django_db


def _assert_error_page(response, status):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-hans"' in html
    assert 'href="/"' in html  # the way home
    assert "navbar" in html  # the site header
    return html


def test_a_refusal_names_the_roles_that_may(client, world):
    client.force_login(world.department)
    response = client.get(reverse("projects:members", args=[world.community.pk]))
    html = _assert_error_page(response, 403)
    assert "您无法打开此页面" in html
    assert "能做这件事的是：社区管理员。" in html
    assert "Forbidden" not in html


def test_a_refusal_in_english_names_the_roles_in_english(client, world):
    client.force_login(world.department)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("projects:members", args=[world.community.pk]))
    assert "Who can do this: Community admin." in response.content.decode()


@translation.override("en")
def test_roles_are_read_from_the_rules():
    assert roles_for("projects.manage_members") == ["Community admin"]
    assert roles_for("consult.view_wish_queue") == [
        "Community admin",
        "Community staff",
        "Department viewer",
        "Sub-district staff",
        "Building head",
    ]
    assert roles_for("projects.view_sub_district") == ["Sub-district staff"]
    assert who_can([]) == ""


def test_a_missing_page_is_chinese(client):
    html = _assert_error_page(client.get("/no-such-page/"), 404)
    assert "找不到" in html
    assert "Not Found" not in html


def test_an_expired_form_is_chinese_and_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("projects:text_size"), {"size": "large"}, HTTP_REFERER="http://testserver/c/1/")
    html = _assert_error_page(response, 403)
    assert "表单已过期" in html
    assert 'href="http://testserver/c/1/"' in html
    assert "CSRF verification failed" not in html


def test_an_expired_form_never_links_to_another_site():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("projects:text_size"), HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    get_token(request)
    with django_assert_num_queries(0):
        response = server_error(request)
    html = _assert_error_page(response, 500)
    assert "出错了" in html
