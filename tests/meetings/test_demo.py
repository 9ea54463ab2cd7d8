"""The "meetings" demo step: the seeds' meetings on the shared place names, skipping what
is missing, and four bulk-written meetings per community at district scale."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest

from consult.demo.meetings import seed_meetings
from consult.models import ActionItem, Attendance, Meeting, MeetingStatus
from consult.selectors.action_items import action_item_list
from projects.demo import DemoContext, demo_steps
from projects.models import Department, HouseholdKind, Role
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _ctx(scale="demo"):
    logged = []
    return DemoContext(scale=scale, rng=random.Random(7), now=NOW, log=logged.append), logged


@pytest.fixture
def places(db):
    """The part of the shared demo registry the meetings use: 佳和园 with its 21 shops,
    上林苑, and 南路一's 5号楼; the other named places are absent on purpose."""
    jiugong = f.sub_district(name="旧宫镇")
    for name in ("旧宫镇水务站", "城管队", "经发办", "社区办", "设计单位"):
        Department.objects.create(sub_district=jiugong, name=name)
    jiahe = f.compound(community=f.community(sub_district=jiugong, name="佳和园社区"), name="佳和园")
    shops = f.unit(building=f.building(compound=jiahe, name="1号楼"), name="底商")
    for i in range(21):
        f.household(unit=shops, room=f"S{i + 1:02d}", kind=HouseholdKind.SHOP, owner_names=f"餐馆{i}（店主{i}）")
    f.households(f.unit(building=f.building(compound=jiahe, name="2号楼"), name="1单元"), 20)
    shanglin = f.compound(community=f.community(sub_district=jiugong, name="上林苑社区"), name="上林苑")
    f.households(f.unit(building=f.building(compound=shanglin, name="1号楼"), name="1单元"), 40)
    nanluyi = f.compound(
        community=f.community(sub_district=f.sub_district(name="大峪街道"), name="南路一社区"), name="南路一"
    )
    f.households(f.unit(building=f.building(compound=nanluyi, name="5号楼"), name="1单元"), 32)
    staff = f.user(username="demo_staff", first_name="文静", last_name="潘")
    from projects.models import Community, Membership

    for community in Community.objects.all():
        Membership.objects.create(user=staff, community=community, role=Role.ADMIN)
    return jiahe


def test_step_is_registered_at_order_30():
    assert [(s.order, s.name) for s in demo_steps() if s.name == "meetings"] == [(30, "meetings")]


def test_the_jiahe_sewage_chat_with_departments_and_shops(places):
    ctx, logged = _ctx()
    seed_meetings(ctx)
    chat = Meeting.objects.get(topic="西门底商污水管线问题拉家常")
    assert chat.status == MeetingStatus.REPORTED and chat.kind == "chat"
    assert {d.name for d in chat.invited_departments.all()} == {"旧宫镇水务站", "城管队", "经发办", "社区办"}
    signed_in = Attendance.objects.filter(meeting=chat)
    assert signed_in.filter(household__kind=HouseholdKind.SHOP).count() == 21
    assert signed_in.filter(kind="department").count() == 4
    assert "190" in chat.solutions and "21" in chat.solutions and "异味" in chat.problems
    items = {i.title: i for i in chat.action_items.select_related("owner_department")}
    assert items["更换西门底商污水管线190米"].owner_department.name == "旧宫镇水务站"
    assert all(i.status == "done" for i in items.values())
    assert chat.votes.get().carried
    assert chat.transitions.count() == 5  # created, announced, held, minuted, reported


def test_upcoming_meetings_and_overdue_items(places):
    ctx, _logged = _ctx()
    seed_meetings(ctx)
    forum = Meeting.objects.get(topic__contains="我当设计师")
    assert forum.status == MeetingStatus.ANNOUNCED and forum.starts_at > NOW
    assert forum.rsvps.count() == 16
    assert {r.channel for r in forum.rsvps.all()} >= {"online", "phone"}
    water = Department.objects.get(name="旧宫镇水务站")
    overdue = [
        i.title for i in ActionItem.objects.filter(owner_department=water) if i.deadline < NOW.date() and i.is_open
    ]
    assert overdue == ["汛期前疏通西门检查井"]
    staff = Meeting.objects.get(topic="西门底商污水管线问题拉家常").host
    community = forum.community
    assert action_item_list(staff, community, today=NOW.date(), show="overdue").exists()


def test_missing_places_are_skipped_and_a_second_run_does_nothing(places):
    ctx, logged = _ctx()
    seed_meetings(ctx)
    assert any("清逸园" in line for line in logged) and any("蕴园" in line for line in logged)
    onsite = Meeting.objects.get(topic="5号楼1单元上下水改造现场协商会")
    assert onsite.building.name == "5号楼" and onsite.status == MeetingStatus.MINUTED
    count = Meeting.objects.count()
    ctx2, logged2 = _ctx()
    seed_meetings(ctx2)
    assert Meeting.objects.count() == count and "skipped" in logged2[0]


def test_nothing_to_do_without_places(db):
    ctx, logged = _ctx()
    seed_meetings(ctx)
    assert not Meeting.objects.exists()


def _district(communities: int):
    sub = f.sub_district(name="示范街道")
    Department.objects.create(sub_district=sub, name="示范街道水务站")
    for i in range(communities):
        community = f.community(sub_district=sub, name=f"示范{i}社区")
        f.households(f.unit(building=f.building(compound=f.compound(community=community))), 30)
        f.member(community, Role.STAFF)


@pytest.mark.parametrize("communities", [2, 6])
def test_district_scale_is_bulk(django_assert_max_num_queries, communities):
    """One insert per table (SQLite splits a long insert into a few batches), never one
    query per meeting or per row."""
    _district(communities)
    ctx, _logged = _ctx("district")
    with django_assert_max_num_queries(20):
        seed_meetings(ctx)
    assert Meeting.objects.count() == 4 * communities
    assert Attendance.objects.count() > 20 * communities
    assert set(Meeting.objects.values_list("status", flat=True)) == {"reported", "minuted", "announced", "planned"}
    assert Attendance.objects.filter(meeting__status="reported").exists()
    assert ActionItem.objects.filter(status="open").exists()
