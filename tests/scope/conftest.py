"""A 南路一-like riser for the scope log: one unit of 10 households under a unanimous
sign-off campaign, 4 agreed and 6 not yet (``riser.agreed`` / ``riser.holdouts``), and a
second office member ``staff_b`` of the same community."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from projects.models import DecisionRule, Role, Stage
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def riser(world):
    class Riser:
        pass

    r = Riser()
    r.world = world
    r.households = [world.household, *f.households(world.unit, 9, start_floor=2)]
    r.project = f.project(community=world.community, title="南路一上下水改造", stage=Stage.CONSENT, stage_changed_at=T0)
    r.project.units.set([world.unit])
    r.campaign = svc.signoff_campaign_open(
        project=r.project,
        data={
            "title": "5号楼1单元签字",
            "consent_text": "同意施工",
            "rule": DecisionRule.UNANIMOUS,
            "paper_required": False,
        },
        by=world.staff,
        now=T0,
    )
    r.agreed, r.holdouts = r.households[:4], r.households[4:]
    for h in r.agreed:
        svc.signoff_tick(campaign=r.campaign, household=h, status=S.AGREED, by=world.staff, now=T0)
    r.staff_b = f.member(world.community, Role.STAFF, username="staff_b")
    return r
