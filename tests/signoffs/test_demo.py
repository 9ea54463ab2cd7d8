"""The seed step: the 南路一 riser tower story and the district-scale bulk campaign."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from projects.demo import DemoContext, demo_steps
from projects.demo.signoffs import seed_district_campaign, seed_signoffs
from projects.models import Role, SignoffCampaign, SignoffContact, SignoffEvent, SignoffRecord, Stage
from projects.models import SignoffStatus as S
from projects.selectors import signoffs as sel
from projects.services.stages import blocking_reasons
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def context(scale="demo"):
    return DemoContext(scale=scale, rng=random.Random(7), now=NOW, log=lambda message: None)


@pytest.fixture
def nanluyi(db):
    community = f.community(sub_district=f.sub_district(name="大峪街道"), name="南路一社区")
    compound = f.compound(community=community, name="南路一")
    building = f.building(compound=compound, name="5号楼")
    unit = f.unit(building=building, name="1单元")
    f.households(unit, 32)  # 16 floors × 2: rooms 101 … 1602
    f.member(community, Role.STAFF, username="nly_staff")
    f.member(community, Role.BUILDING_HEAD, buildings=[building], username="nly_head")
    return unit


def test_step_is_registered_at_order_60():
    assert any(step.order == 60 and step.func is seed_signoffs for step in demo_steps())


def test_riser_campaign_story(nanluyi):
    seed_signoffs(context())
    campaign = SignoffCampaign.objects.get()
    assert campaign.rule == "unanimous" and campaign.paper_required
    assert campaign.project.title == "南路一上下水改造" and campaign.project.stage == Stage.CONSENT
    progress = sel.campaign_progress(campaign, now=NOW)
    t = progress.totals
    assert (t.total, t.agreed, t.refused, t.concerns, t.talked, t.not_contacted) == (32, 26, 2, 3, 1, 0)
    words = set(SignoffRecord.objects.filter(campaign=campaign).values_list("concern_text", flat=True))
    assert any("刚装修完" in w for w in words)
    assert any("橱柜" in w for w in words) and any("卧病在床" in w for w in words)
    events = list(SignoffEvent.objects.filter(campaign=campaign))
    assert any(e.is_withdrawal for e in events)
    assert any(e.previous_status == S.REFUSED and e.status == S.AGREED for e in events)
    agreed = [e for e in events if e.status == S.AGREED]
    assert all(e.paper_reference.startswith(f"{campaign.pk}-{nanluyi.pk}-") and e.signer_name for e in agreed)
    assert len({e.signer_relation for e in agreed}) > 1
    assert SignoffContact.objects.filter(campaign=campaign).count() >= 32 + 2 * 4 + 3
    holdouts = SignoffRecord.objects.filter(campaign=campaign, status=S.REFUSED)
    assert all(r.assignee.username == "nly_staff" for r in holdouts)
    with translation.override("zh-hans"):
        reasons = blocking_reasons(campaign.project, Stage.CONSTRUCTION, now=NOW)
    assert "5号楼1单元还有6户未同意：301、701、902、1101、1502、1601" in reasons
    seed_signoffs(context())  # a second run adds nothing
    assert SignoffCampaign.objects.count() == 1 and SignoffEvent.objects.count() == len(events)


def test_riser_step_skips_without_the_registry(db):
    seed_signoffs(context())
    assert not SignoffCampaign.objects.exists()


def test_district_campaign_in_bulk(world):
    for b in range(5):
        building = f.building(compound=world.compound, name=f"{20 + b}号楼")
        for u in range(4):
            f.households(f.unit(building=building, name=f"{u + 1}单元"), 100)
    campaign = seed_district_campaign(context("district"), target=2000)
    progress = sel.campaign_progress(campaign, now=NOW)
    assert progress.totals.total >= 2000
    assert campaign.rule == "art278_major"
    # The records rebuilt in bulk say what the last event of each household says.
    last = {}
    for household_id, status in (
        SignoffEvent.objects.filter(campaign=campaign)
        .order_by("recorded_at", "pk")
        .values_list("household_id", "status")
    ):
        last[household_id] = status
    records = dict(SignoffRecord.objects.filter(campaign=campaign).values_list("household_id", "status"))
    assert records == last
    assert progress.totals.agreed == sum(1 for s in last.values() if s == S.AGREED) > 1000
    assert seed_district_campaign(context("district"), target=2000) is None
