"""The one way a POST-only action view shows a service's refusal: a joined error message."""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from projects.errors import ServiceError
from projects.models import Membership
from projects.views.mixins import refusals_as_messages


def request_with_messages():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def refusing_service():
    raise ValidationError(["投票已结束。", "请先登记户号。"])


def test_a_refusal_adds_one_error_with_all_its_messages_and_skips_the_rest():
    request = request_with_messages()
    with refusals_as_messages(request) as outcome:
        refusing_service()
        messages.success(request, "不应出现")
    shown = [(m.level, m.message) for m in get_messages(request)]
    assert outcome.refused
    assert shown == [(messages.ERROR, "投票已结束。 请先登记户号。")]


def test_success_adds_no_error_and_is_not_refused():
    request = request_with_messages()
    with refusals_as_messages(request) as outcome:
        messages.success(request, "已保存。")
    assert not outcome.refused
    assert [(m.level, m.message) for m in get_messages(request)] == [(messages.SUCCESS, "已保存。")]


def test_other_errors_are_not_swallowed():
    request = request_with_messages()
    try:
        with refusals_as_messages(request):
            raise KeyError("bug")
    except KeyError:
        pass
    else:
        raise AssertionError("a bug must not become a message")
    assert list(get_messages(request)) == []


def test_removing_the_last_admin_shows_the_refusal_and_keeps_the_membership(client, world):
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.admin)
    response = client.post(reverse("projects:member_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:members", args=[membership.community_id])
    shown = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and shown[0][0] == messages.ERROR
    assert "至少需要一名管理员" in shown[0][1]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_member_shows_only_the_success(client, world):
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.staff)
    response = client.post(reverse("projects:member_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [messages.SUCCESS]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_service_error_text_is_unchanged_by_the_join():
    request = request_with_messages()
    with refusals_as_messages(request):
        raise ServiceError("表决已结束。")
    assert [m.message for m in get_messages(request)] == ["表决已结束。"]
