"""The owners demo on a small 体委小区: 市体校 holds the first stairwell of every building and
counts once in the owners' decision, every household counts in the residents' consultation,
and the flat without an area keeps the compound-wide owners' decision a draft."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.demo import owners as consult_owners
from consult.models import Ballot, BallotStatus
from consult.selectors.ballots import stored_result
from projects.demo import DemoContext
from projects.demo import owners as projects_owners
from projects.models import Household, Owner, OwnerKind, SignoffCampaign, WorkType
from projects.selectors import signoffs as sel
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiwei():
    compound = f.compound(community=f.community(name="南山南路社区"), name="体委小区")
    for b in (1, 2, 3):
        building = f.building(compound=compound, name=f"{b}号楼", sort_key=b)
        for u in (1, 2):
            f.households(f.unit(building=building, name=f"{u}单元", sort_key=u), 4, area=Decimal("62.50"))
    project = f.project(community=compound.community, title="体委小区增设电动车充电桩", work_type=WorkType.CHARGING)
    project.compounds.set([compound])
    f.user(username="demo_staff", is_superuser=True)
    return compound


def test_tiwei_owners_and_residents(tiwei):
    lines = []
    ctx = DemoContext(scale="demo", rng=random.Random(3), now=timezone.now(), log=lines.append)
    projects_owners.seed_owners(ctx)
    consult_owners.seed_owner_decisions(ctx)
    projects_owners.seed_tiwei_consultation(ctx)

    school = Owner.objects.get(name="市体校")
    assert school.kind == OwnerKind.PROPERTY_UNIT and school.households.count() == 12
    unsurveyed = Household.objects.get(unit__building__name="3号楼", unit__name="2单元", room="101")
    assert unsurveyed.area is None

    doors = Ballot.objects.get(title__contains="1号楼")
    assert doors.status == BallotStatus.CLOSED and doors.published_at
    result = stored_result(doors, list(doors.options.all()))
    assert result.counts_owners and result.eligible_heads == 1 + 4  # 市体校 once, four private flats

    draft = Ballot.objects.get(title__contains="充电桩选址")
    assert draft.status == BallotStatus.DRAFT
    assert any("3号楼2单元101" in line for line in lines)

    campaign = SignoffCampaign.objects.get(project__compounds=tiwei)
    progress = sel.campaign_progress(campaign, now=timezone.now())
    assert campaign.decision_kind == "residents" and progress.outcome.tally.eligible_heads == 24
