"""Issue 17: 40 wrong passwords at /accounts/login/ and /admin/login/ met no refusal, and
the right password still worked after them. Now django-axes locks the account and the
address, the lockout says when to try again, and a community admin can unlock."""

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from projects.models import AuditAction, AuditEvent, Membership, Role

from .. import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "pass-for-tests-1"


def hammer(client, url, username, times=40, address="10.20.0.1"):
    return [
        client.post(url, {"username": username, "password": f"wrong-{i}"}, REMOTE_ADDR=address).status_code
        for i in range(times)
    ]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_forty_wrong_passwords_lock_the_account(client, world, url, caplog):
    with caplog.at_level(logging.WARNING):
        statuses = hammer(client, url, "root" if "admin" in url else "staff_bm")
    assert statuses[:9] == [200] * 9 and set(statuses[9:]) == {429}
    assert any("login locked out" in r.getMessage() for r in caplog.records)
    # the right password is refused while locked, from this address …
    username = "root" if "admin" in url else "staff_bm"
    right = client.post(url, {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.20.0.1")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # … and from any other: the account itself is locked
    elsewhere = client.post(url, {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.20.0.99")
    assert elsewhere.status_code == 429 and "_auth_user_id" not in client.session


def test_lockout_page_says_when_to_try_again_in_chinese(client, world):
    response = client.post(
        "/accounts/login/", {"username": "staff_bm", "password": "x"}, REMOTE_ADDR="10.20.0.2"
    )  # warm up one failure
    for _ in range(10):
        response = client.post("/accounts/login/", {"username": "staff_bm", "password": "x"}, REMOTE_ADDR="10.20.0.2")
    body = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂停" in body and "分钟" in body and "后再试" in body
    assert 'data-testid="lockout"' in body


def test_the_address_is_locked_across_accounts(client, world):
    for i in range(10):
        client.post("/accounts/login/", {"username": f"nobody{i}", "password": "x"}, REMOTE_ADDR="10.20.0.3")
    right = client.post("/accounts/login/", {"username": "admin_bm", "password": PASSWORD}, REMOTE_ADDR="10.20.0.3")
    assert right.status_code == 429
    # the account is fine from another address
    ok = client.post("/accounts/login/", {"username": "admin_bm", "password": PASSWORD}, REMOTE_ADDR="10.20.0.4")
    assert ok.status_code == 302


def test_lockout_is_in_the_audit_trail_of_the_members_communities(client, world):
    hammer(client, "/accounts/login/", "staff_bm", times=10)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_LOCKED)
    assert event.actor == world.staff and event.community == world.community
    assert event.after == {"address": "10.20.0.1"}


def test_community_admin_unlocks_their_member(client, world):
    hammer(client, "/accounts/login/", "staff_bm")
    membership = Membership.objects.get(user=world.staff, community=world.community)
    client.force_login(world.admin)
    page = client.get(reverse("projects:members", args=[world.community.pk])).content.decode()
    assert page.count('data-testid="unlock"') == 1 and 'data-testid="locked"' in page
    response = client.post(reverse("projects:member_unlock", args=[membership.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff_bm").exists()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_UNLOCKED)
    assert (event.actor, event.community, event.object_label) == (world.admin, world.community, "staff_bm")
    client.logout()
    ok = client.post("/accounts/login/", {"username": "staff_bm", "password": PASSWORD}, REMOTE_ADDR="10.20.0.9")
    assert ok.status_code == 302 and ok["Location"] == reverse("projects:home")


@pytest.mark.parametrize("role", ["staff", "other_admin", "anonymous"])
def test_only_the_members_own_admin_may_unlock(client, world, role):
    hammer(client, "/accounts/login/", "staff_bm", times=10)
    membership = Membership.objects.get(user=world.staff, community=world.community)
    if role == "staff":
        client.force_login(world.building_head)
    elif role == "other_admin":
        client.force_login(f.member(world.other_community, Role.ADMIN, username="admin_nl"))
    response = client.post(reverse("projects:member_unlock", args=[membership.pk]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]
    assert AccessAttempt.objects.filter(username="staff_bm").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_UNLOCKED).exists()


def test_logins_and_logouts_are_recorded(client, world):
    client.post("/accounts/login/", {"username": "staff_bm", "password": PASSWORD})
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.filter(actor=world.staff).order_by("pk").values_list("action", flat=True))
    assert actions == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_members_page_query_count_does_not_grow_with_locked_members(client, world, django_assert_max_num_queries):
    client.force_login(world.admin)
    url = reverse("projects:members", args=[world.community.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(8):
        f.member(world.community, Role.STAFF, username=f"extra{i}")
        hammer(client, "/accounts/login/", f"extra{i}", times=10, address=f"10.30.0.{i}")
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(url).content.decode().count('data-testid="unlock"') == 8


def test_behind_a_proxy_logins_count_per_visitor_address(client, world, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for i in range(10):
        client.post(
            "/accounts/login/",
            {"username": f"nobody{i}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.7",
        )
    other = client.post(
        "/accounts/login/",
        {"username": "admin_bm", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="203.0.113.8",
    )
    assert other.status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip == "203.0.113.8"
