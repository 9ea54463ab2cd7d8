import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from projects.models import Membership, Role

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_admin_adds_a_new_building_head_with_an_account(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("projects:member_add", args=[world.community.pk]),
        {
            "username": "louzhang_li",
            "full_name": "李大爷",
            "password": "Zhuhu-2026-safe",
            "role": Role.BUILDING_HEAD,
            "buildings": [world.building.pk],
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="louzhang_li")
    assert membership.role == Role.BUILDING_HEAD
    assert list(membership.buildings.all()) == [world.building]
    assert client.login(username="louzhang_li", password="Zhuhu-2026-safe")


def test_existing_account_joins_without_password(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("projects:member_add", args=[world.community.pk]),
        {"username": world.other_staff.username, "role": Role.STAFF},
    )
    assert Membership.objects.filter(user=world.other_staff, community=world.community, role=Role.STAFF).exists()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"username": "new1", "role": "staff"}, "password", "新账号需要设置初始密码"),
        (
            {"username": "new2", "password": "Zhuhu-2026-safe", "role": "building_head"},
            "buildings",
            "请选择该楼门长负责的楼栋",
        ),
        (
            {"username": "new3", "password": "Zhuhu-2026-safe", "role": "department"},
            "department",
            "请选择此人所在的职能部门",
        ),
        ({"username": "staff_bm", "role": "staff"}, "username", "已经是本社区成员"),
    ],
)
def test_bad_member_forms_explain_in_chinese(client, world, data, field, message):
    client.force_login(world.admin)
    response = client.post(reverse("projects:member_add", args=[world.community.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not get_user_model().objects.filter(username__in=["new1", "new2", "new3"]).exists()


def test_buildings_of_another_community_cannot_be_chosen(client, world):
    foreign_building = f.building(compound=world.other_compound)
    client.force_login(world.admin)
    response = client.post(
        reverse("projects:member_add", args=[world.community.pk]),
        {"username": "x1", "password": "Zhuhu-2026-safe", "role": "building_head", "buildings": [foreign_building.pk]},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="x1").exists()


def test_last_admin_cannot_be_demoted_or_removed(client, world):
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.admin)
    response = client.post(reverse("projects:member_edit", args=[membership.pk]), {"role": Role.STAFF})
    assert response.status_code == 200
    assert "至少需要一名管理员" in response.content.decode()
    client.post(reverse("projects:member_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_remove_member(client, world):
    client.force_login(world.admin)
    membership = Membership.objects.get(user=world.staff)
    client.post(reverse("projects:member_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    "role,status",
    [
        ("admin", 200),
        ("superuser", 200),
        ("staff", 403),
        ("building_head", 403),
        ("department", 403),
        ("other_staff", 403),
        ("sub_district_staff", 403),
    ],
)
def test_only_community_admins_manage_members(client, world, role, status):
    client.force_login(getattr(world, role))
    assert client.get(reverse("projects:members", args=[world.community.pk])).status_code == status
    assert client.get(reverse("projects:member_add", args=[world.community.pk])).status_code == status
    membership = Membership.objects.get(user=world.staff)
    assert client.get(reverse("projects:member_edit", args=[membership.pk])).status_code == status
    response = client.post(reverse("projects:member_remove", args=[membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists() is (status == 403)
    if status == 403:
        assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("projects:members", args=[world.community.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("extra", [1, 20])
def test_member_list_queries_flat(client, world, django_assert_max_num_queries, extra):
    for _ in range(extra):
        f.member(world.community, Role.BUILDING_HEAD, buildings=[world.building, world.other_building])
    client.force_login(world.admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("projects:members", args=[world.community.pk])).status_code == 200
