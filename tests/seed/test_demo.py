"""The named demo: the exact places and sizes every feature's demo step relies on."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min

from projects.demo.registry import RESTAURANT_NOTE
from projects.models import (
    Building,
    Community,
    Compound,
    Department,
    Household,
    HouseholdKind,
    Membership,
    Role,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)
from projects.validators import validate_phone

pytestmark = pytest.mark.django_db

SHARED_PLACES = {
    # sub-district: {community: [compounds]}
    "旧宫镇": {"佳和园社区": ["佳和园"], "清逸园社区": ["清逸园"], "上林苑社区": ["上林苑"]},
    "大峪街道": {"南路一社区": ["南路一"]},
    "古槐街道": {"北门社区": ["北门东院", "北门西院", "北门南院"]},
    "上站街道": {"小阳泉北社区": ["蕴园"]},
    "南山路街道": {"南山南路社区": ["体委小区"]},
}


def test_every_shared_name_exists_where_the_brief_puts_it(demo_output):
    for sd_name, communities in SHARED_PLACES.items():
        for community_name, compounds in communities.items():
            community = Community.objects.get(name=community_name, sub_district__name=sd_name)
            assert sorted(community.compounds.values_list("name", flat=True)) == sorted(compounds)
    assert SubDistrict.objects.count() == len(SHARED_PLACES)
    assert set(Department.objects.filter(sub_district__name="旧宫镇").values_list("name", flat=True)) == {
        "旧宫镇水务站",
        "城管队",
        "经发办",
        "社区办",
        "物业公司",
        "设计单位",
        "施工单位",
    }
    jiahe = Compound.objects.get(name="佳和园")
    assert {f"{n}号楼" for n in range(1, 7)} <= set(jiahe.buildings.values_list("name", flat=True))
    assert Unit.objects.filter(building__compound__name="蕴园", building__name="3号楼", name="3单元").exists()
    assert Building.objects.filter(compound__name="蕴园", name__in=["1号楼", "2号楼", "3号楼"]).count() == 3


def test_beimen_has_exactly_800_households(demo_output):
    beimen = Household.objects.filter(unit__building__compound__community__name="北门社区")
    assert beimen.count() == 800
    per_compound = dict(beimen.values_list("unit__building__compound__name").annotate(n=Count("pk")))
    assert set(per_compound) == {"北门东院", "北门西院", "北门南院"}
    assert all(n > 150 for n in per_compound.values())


def test_beimen_care_flags_at_realistic_rates(demo_output):
    beimen = Household.objects.filter(unit__building__compound__community__name="北门社区")
    # exact shares per compound, so at most one off per compound from rounding
    assert abs(beimen.filter(elderly_alone=True).count() - 64) <= 3  # 8%
    assert abs(beimen.filter(mobility_impaired=True).count() - 40) <= 3  # 5%
    assert abs(beimen.filter(bedridden=True).count() - 8) <= 3  # 1%
    assert not beimen.filter(bedridden=True, mobility_impaired=False).exists()


def test_jiaheyuan_has_21_ground_floor_shops_16_of_them_restaurants(demo_output):
    shops = Household.objects.filter(unit__building__compound__name="佳和园", kind=HouseholdKind.SHOP)
    assert shops.count() == 21
    assert shops.filter(notes=RESTAURANT_NOTE).count() == 16
    assert set(shops.values_list("floor", flat=True)) == {1}
    assert all(Decimal(20) <= area <= Decimal(150) for area in shops.values_list("area", flat=True))
    names = list(shops.values_list("owner_names", flat=True))
    assert len(set(names)) == 21
    assert any(name.startswith("老北京炸酱面馆（") for name in names)
    assert all(re.fullmatch(r"\S+（\S{2,4}）", name) for name in names)
    # no other compound has shops: feature steps can find these 21 by kind alone
    assert Household.objects.filter(kind=HouseholdKind.SHOP).count() == 21


def test_jiaheyuan_flats_above_the_shops_start_on_the_second_floor(demo_output):
    above_shops = Household.objects.filter(
        unit__building__compound__name="佳和园", unit__building__name__in=["1号楼", "2号楼"], kind="residential"
    )
    assert above_shops.aggregate(low=Min("floor"))["low"] == 2


def test_nanluyi_riser_tower_has_32_households_on_16_floors(demo_output):
    riser = Household.objects.filter(
        unit__building__compound__name="南路一", unit__building__name="5号楼", unit__name="1单元"
    )
    assert riser.count() == 32
    expected = {f"{floor}{pos:02d}" for floor in range(1, 17) for pos in (1, 2)}
    assert set(riser.values_list("room", flat=True)) == expected
    assert riser.aggregate(low=Min("floor"), high=Max("floor")) == {"low": 1, "high": 16}
    assert riser.filter(bedridden=True).exists()  # "老人卧病在床怎么办"
    assert Unit.objects.filter(building__compound__name="南路一", building__name="5号楼").count() == 1


def test_total_size_keeps_seeding_quick(demo_output):
    assert 3000 <= Household.objects.count() <= 4000


def test_areas_are_positive_realistic_and_have_two_decimals(demo_output):
    # The demo keeps exactly one flat without a recorded area (3号楼2单元101 of 体委小区), to show
    # that a decision counting area refuses to open until it is entered.
    assert Household.objects.filter(area__isnull=True).count() == 1
    flats = Household.objects.filter(kind=HouseholdKind.RESIDENTIAL, area__isnull=False)
    bounds = flats.aggregate(low=Min("area"), high=Max("area"))
    assert Decimal(45) <= bounds["low"] and bounds["high"] <= Decimal(120)
    areas = list(flats.values_list("area", flat=True))
    assert len(set(areas)) > len(areas) // 10  # varied, not one area copied everywhere
    assert all(a.as_tuple().exponent == -2 for a in areas)
    assert not Household.objects.filter(area__lte=0).exists()


def test_rooms_are_unique_per_unit_and_match_their_floor(demo_output):
    rows = list(Household.objects.values_list("unit_id", "room", "floor"))
    assert len({(unit, room) for unit, room, _ in rows}) == len(rows)
    for _unit, room, floor in rows:
        assert re.fullmatch(r"\d{3,4}", room)
        assert int(room[:-2]) == floor and int(room[-2:]) >= 1


def test_buildings_are_five_or_six_floors_except_the_riser(demo_output):
    heights = dict(
        Household.objects.values_list("unit__building_id")
        .annotate(top=Max("floor"))
        .values_list("unit__building_id", "top")
    )
    riser = Building.objects.get(compound__name="南路一", name="5号楼")
    assert heights.pop(riser.pk) == 16
    assert set(heights.values()) <= {5, 6}
    units_per_building = Unit.objects.exclude(name="底商").values("building").annotate(n=Count("pk"))
    assert {row["n"] for row in units_per_building if row["building"] != riser.pk} <= {2, 3, 4}


def test_phones_are_valid_mobiles_or_local_landlines(demo_output):
    phones = [p for p in Household.objects.values_list("phone", flat=True) if p]
    assert len(phones) > 0.9 * Household.objects.count()
    for phone in phones:
        validate_phone(phone)
    mobiles = [p for p in phones if not p.startswith("0")]
    assert all(p[:2] in {"13", "15", "18"} and len(p) == 11 for p in mobiles)
    assert len(mobiles) > 0.9 * len(phones)


def test_owner_names_are_chinese_names_with_common_surnames(demo_output):
    names = list(Household.objects.filter(kind="residential").values_list("owner_names", flat=True))
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}(、[\u4e00-\u9fff]{2,3})?", n) for n in names)
    couples = sum("、" in n for n in names)
    assert 0.2 * len(names) < couples < 0.4 * len(names)
    assert len(set(names)) > 0.8 * len(names)


ACCOUNTS = ["admin", "demo_staff", "bm_staff", "nly_staff", "nly_head", "jh_water", "jgz_street"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_logs_in_with_the_demo_password(demo_output, client, username):
    assert client.login(username=username, password="demo12345")
    assert not client.login(username=username, password="wrong-password")


def test_demo_accounts_hold_the_roles_of_the_brief(demo_output):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    assert set(users) == set(ACCOUNTS)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[name].is_superuser for name in ACCOUNTS if name != "admin")

    def roles(username):
        return {
            (m.community.name, m.role)
            for m in Membership.objects.filter(user=users[username]).select_related("community")
        }

    all_communities = {name for communities in SHARED_PLACES.values() for name in communities}
    assert roles("demo_staff") == {(name, Role.ADMIN) for name in all_communities}
    assert roles("bm_staff") == {("北门社区", Role.STAFF)}
    assert roles("nly_staff") == {("南路一社区", Role.STAFF)}
    assert roles("nly_head") == {("南路一社区", Role.BUILDING_HEAD)}
    head = Membership.objects.get(user=users["nly_head"])
    assert [(b.compound.name, b.name) for b in head.buildings.all()] == [("南路一", "5号楼")]
    water = Membership.objects.get(user=users["jh_water"])
    assert (water.community.name, water.role, water.department.name) == ("佳和园社区", Role.DEPARTMENT, "旧宫镇水务站")
    assert list(
        SubDistrictMembership.objects.filter(user=users["jgz_street"]).values_list("sub_district__name", flat=True)
    ) == ["旧宫镇"]


def test_demo_roles_give_the_expected_access(demo_output):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    beimen = Community.objects.get(name="北门社区")
    nanluyi = Community.objects.get(name="南路一社区")
    jiahe = Community.objects.get(name="佳和园社区")
    assert users["bm_staff"].has_perm("projects.view_registry", beimen)
    assert not users["bm_staff"].has_perm("projects.view_community", nanluyi)
    assert users["demo_staff"].has_perm("projects.manage_community", nanluyi)
    assert users["jgz_street"].has_perm("projects.view_community", jiahe)
    assert not users["jgz_street"].has_perm("projects.view_community", beimen)


def test_staff_pages_of_the_demo_open(demo_output, client):
    beimen = Community.objects.get(name="北门社区")
    assert client.login(username="bm_staff", password="demo12345")
    assert client.get(beimen.get_absolute_url()).status_code == 200
    assert client.get(Compound.objects.get(name="北门东院").get_absolute_url()).status_code == 200


def test_seeding_reports_each_step_with_its_time_and_rows(demo_output):
    assert re.search(r"\[10\] registry\s+\d+\.\d\d s\s+.*3,\d{3}", demo_output)
