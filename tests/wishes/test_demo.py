"""The seed step: 北门's wish list through the services, and the district bulk fill."""

import random
from datetime import timedelta

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from consult.demo import wishes as wishes_demo
from consult.models import Meeting, Support, Wish, WishStatus, WishStatusChange
from projects.demo import DemoContext, demo_steps
from projects.models import Channel, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def beimen(db):
    """A small stand-in for the registry step's 北门社区 (three compounds)."""
    community = f.community(name="北门社区")
    for name in ("北门东院", "北门西院", "北门南院"):
        compound = f.compound(community=community, name=name)
        for b in range(1, 4):
            unit = f.unit(building=f.building(compound=compound, name=f"{b}号楼", sort_key=b), name="1单元")
            f.households(unit, 10)
    staff = f.member(community, Role.STAFF, username="bm_staff")
    Meeting.objects.create(
        community=community, topic="旧改大家谈座谈会", starts_at=timezone.now() - timedelta(days=90), place="活动室"
    )
    f.project(community=community, title="北门社区综合改造", work_type="elevator")
    jiahe = f.compound(community=f.community(name="佳和园社区"), name="佳和园")
    f.households(f.unit(building=f.building(compound=jiahe, name="1号楼")), 6)
    f.member(jiahe.community, Role.STAFF, username="jh_staff")
    return community, staff


def context(scale="demo"):
    return DemoContext(scale=scale, rng=random.Random(7), now=timezone.now(), log=lambda message: None)


def assert_invariants():
    # Every support comes from a household of the wish's compound (merges stay in the community).
    assert not Support.objects.exclude(household__unit__building__compound__community=F("wish__community")).exists()
    # Offline rows name who typed them; online rows do not.
    assert not Wish.objects.filter(~Q(channel=Channel.ONLINE), entered_by__isnull=True).exists()
    assert not Support.objects.filter(~Q(channel=Channel.ONLINE), entered_by__isnull=True).exists()
    # No support before its wish existed (a merge carries a support over with its own date),
    # and every wish has its "submitted" entry.
    assert not Support.objects.filter(created_at__lt=F("wish__submitted_at"), carried_from__isnull=True).exists()
    assert WishStatusChange.objects.filter(from_status="").count() == Wish.objects.count()
    assert (
        not Support.objects.filter(withdrawn_at__isnull=True)
        .values("wish", "household")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )


def test_step_is_registered_at_order_40():
    assert any(step.order == 40 and step.func is wishes_demo.seed_wishes for step in demo_steps())


def test_demo_tells_beimens_story(beimen):
    community, staff = beimen
    wishes_demo.seed_wishes(context())
    ours = Wish.objects.filter(community=community)
    assert 300 <= ours.count() <= 500
    channels = set(ours.values_list("channel", flat=True))
    assert {Channel.QUESTIONNAIRE, Channel.ONLINE, Channel.HOME_VISIT, Channel.MEETING} <= channels
    assert ours.filter(channel=Channel.QUESTIONNAIRE).count() > ours.filter(channel=Channel.ONLINE).count()
    assert ours.filter(channel=Channel.QUESTIONNAIRE).exclude(paper_reference="").exists()
    assert ours.filter(meeting__isnull=False).exists()
    assert ours.filter(status=WishStatus.MERGED).exists() and ours.filter(status=WishStatus.DONE).exists()
    assert ours.filter(status=WishStatus.PLANNED).exists() or ours.filter(project__isnull=False).exists()
    assert ours.filter(receipt_code__isnull=False).exists()
    assert Support.objects.filter(wish__community=community, withdrawn_at__isnull=True).count() > ours.count()
    assert ours.values("category").distinct().count() >= 10
    assert Wish.objects.filter(compound__name="佳和园").exists()
    assert_invariants()
    count = Wish.objects.count()
    wishes_demo.seed_wishes(context())  # a second run leaves the list alone
    assert Wish.objects.count() == count


def test_district_scale_bulk_fill(beimen, monkeypatch):
    monkeypatch.setattr(wishes_demo, "DISTRICT_WISHES", 1500)
    monkeypatch.setattr(wishes_demo, "DISTRICT_SUPPORTS", 6000)
    monkeypatch.setattr(wishes_demo, "BATCH", 400)
    monkeypatch.setattr(wishes_demo, "BEIMEN_WISHES", 40)
    wishes_demo.seed_wishes(context("district"))
    assert Wish.objects.count() == 1500
    supports = Support.objects.filter(withdrawn_at__isnull=True).count()
    assert 4500 <= supports <= 7500, supports
    assert_invariants()
    codes = list(Wish.objects.exclude(receipt_code=None).values_list("receipt_code", flat=True))
    assert len(codes) == len(set(codes)) > 0
    # A district wish shows up with its history and support on the public list.
    wish = Wish.objects.filter(status=WishStatus.DONE).exclude(household=None).last()
    assert wish.history.count() == 4 and wish.supports.filter(household=wish.household).exists()
