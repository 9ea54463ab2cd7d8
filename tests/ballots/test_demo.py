"""The seed step on a small registry carrying the shared demo names."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.demo import ballots as ballots_demo
from consult.models import Ballot, BallotStatus, CastBallot
from consult.selectors.ballots import tally
from projects.demo import DemoContext, demo_steps
from projects.models import HouseholdCode, Role
from projects.services.identity import check_household_code
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_registry():
    def compound(community_name, name, buildings):
        community = f.community(name=community_name)
        c = f.compound(community=community, name=name)
        for building_name, units, per_unit in buildings:
            b = f.building(compound=c, name=building_name)
            for u in range(1, units + 1):
                f.households(f.unit(building=b, name=f"{u}单元"), per_unit, area=Decimal("68.40"))
        return c

    compound("南路一社区", "南路一", [("5号楼", 1, 32)])
    beimen = compound("北门社区", "北门东院", [("1号楼", 2, 12), ("2号楼", 2, 12)])
    compound("小阳泉北社区", "蕴园", [("1号楼", 2, 12)])
    compound("上林苑社区", "上林苑", [("1号楼", 2, 10), ("2号楼", 2, 10)])
    staff = f.user(username="demo_staff")
    f.member(beimen.community, Role.STAFF, username="bm_staff")
    return staff


def run(scale):
    lines = []
    ctx = DemoContext(scale=scale, rng=random.Random(6), now=timezone.now(), log=lines.append)
    ballots_demo.seed_ballots(ctx)
    return ctx, "\n".join(lines)


def test_step_is_registered_at_order_50():
    assert any(step.order == 50 and step.func is ballots_demo.seed_ballots for step in demo_steps())


def test_demo_scale(demo_registry):
    ctx, log = run("demo")
    # every household has a code; the two README codes work and are printed
    assert HouseholdCode.objects.filter(revoked_at__isnull=True).count() == 32 + 48 + 24 + 40
    assert set(ctx.data["household_codes"].values()) == {"NAN5 HAPP YDAY", "BEMN HAPP YDAY"}
    assert "NAN5 HAPP YDAY" in log and "南路一 5号楼1单元101" in log
    household = check_household_code(raw_code="nan5-happ-yday", client_address="127.0.0.1").household
    assert household.address == "南路一 5号楼1单元101"
    assert "sample code" in log

    elevator = Ballot.objects.get(title__contains="蕴园")
    assert elevator.status == BallotStatus.CLOSED and elevator.passed and elevator.published_at
    assert elevator.rule == "art278_major" and elevator.objections.exclude(reply="").exists()
    assert tally(elevator).passed
    (under_proxy,) = CastBallot.objects.filter(ballot=elevator, proxy__isnull=False).select_related("proxy")
    assert under_proxy.proxy.grantor_name == "刘淑珍" and under_proxy.proxy.grantor is None  # no owners recorded here
    assert under_proxy.proxy.household_id == under_proxy.household_id
    late = CastBallot.objects.filter(ballot=elevator, cast_at__gt=elevator.closes_at)
    assert late.count() == 1 and all(c.paper_date <= elevator.last_voting_day for c in late)
    stored = {row["channel"]: row for row in elevator.result["channels"]}
    assert stored["paper"]["entered_after_closing"] == 1
    square = Ballot.objects.get(title__contains="上林苑")
    assert square.status == BallotStatus.OPEN and square.option_set == "choice" and square.rule == "simple_majority"
    doors = Ballot.objects.get(title__contains="北门")
    assert doors.status == BallotStatus.OPEN and doors.rule == "art278_ordinary"
    channels = list(CastBallot.objects.filter(ballot=doors).values_list("channel", flat=True))
    assert channels and channels.count("paper") > len(channels) / 2
    assert all(c.paper_reference for c in CastBallot.objects.filter(ballot=doors, channel="paper"))


def test_district_scale_adds_a_bulk_ballot(demo_registry, monkeypatch):
    monkeypatch.setattr(ballots_demo, "DISTRICT_BALLOT_SIZE", 60)
    ctx, log = run("district")
    big = Ballot.objects.get(title__contains="规模测试")
    result = tally(big)
    # 北门社区 is the largest community (48 households); the scope stays inside it.
    assert result.eligible_heads == 48 and 0 < result.participating_heads < result.eligible_heads
    assert "tally in one query" in log


def test_missing_places_are_skipped_with_a_note(db):
    f.user(username="demo_staff")
    ctx, log = run("demo")
    assert "not found" in log and not Ballot.objects.exists()


def test_yunyuan_building_2_is_held_back_by_its_ballot(db):
    """The projects step and the ballots step together: 蕴园2号楼加装电梯 waits in the notice
    stage, its ballot passed but still under public notice with an objection unanswered, and
    the project page's gate says both; 1号楼's ballot is linked to 1号楼's project."""
    from projects.demo.projects import seed_projects
    from projects.models import Stage
    from projects.services.stages import blocking_reasons

    yunyuan = f.compound(community=f.community(name="小阳泉北社区"), name="蕴园")
    for name in ("1号楼", "2号楼", "3号楼"):
        f.households(f.unit(building=f.building(compound=yunyuan, name=name), name="1单元"), 12, area=Decimal("68.40"))
    f.member(yunyuan.community, Role.ADMIN, username="demo_staff")
    ctx = DemoContext(scale="demo", rng=random.Random(6), now=timezone.now(), log=lambda line: None)
    seed_projects(ctx)
    ballots_demo.seed_ballots(ctx)
    project = ctx.data["projects"]["yunyuan_elevator_2"]
    assert project.stage == Stage.NOTICE and project.requires_passed_ballot == "art278_major"
    ballot = Ballot.objects.get(project=project)
    assert ballot.passed and ballot.in_notice_period(ctx.now)
    assert ballot.objections.filter(replied_at__isnull=True).count() == 1
    reasons = blocking_reasons(project, Stage.CONSTRUCTION, now=ctx.now)
    assert any("公示" in r for r in reasons) and "还有1条异议未答复。" in reasons
    assert Ballot.objects.get(title="蕴园1号楼加装电梯表决").project == ctx.data["projects"]["yunyuan_elevator_1"]
