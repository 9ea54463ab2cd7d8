"""Demo owners' decisions in 体委小区 (seed step 55), next to the residents' consultation of
``projects.demo.owners``:

- 1号楼: an owners' joint decision (业主共同决定, Art. 278 ordinary matter) on using
  maintenance funds for new entrance doors. 市体校, the 产权单位 of the 公房 stairwell, votes
  with every one of its flats and counts once; its area counts in full.
- the whole compound: an owners' decision on where the charging posts go, still a draft,
  because 3号楼2单元101 has no recorded area and a decision that counts area refuses to open.
"""

from datetime import timedelta

from projects.demo import DemoContext, register_demo_step
from projects.errors import ServiceError
from projects.models import Building, Compound, DecisionKind, DecisionRule, Household

from ..models import OptionKind, OptionSet, ScopeKind
from ..services.ballots import agree_options, ballot_close, ballot_create, ballot_open, ballot_publish
from .ballots import _staff, _vote_all


def tiwei_doors(ctx: DemoContext, staff) -> None:
    building = Building.objects.filter(compound__name="体委小区", name="1号楼").select_related("compound").first()
    if building is None:
        ctx.log("  · 体委小区 1号楼 not found, owners' decision skipped")
        return
    opens, closes = ctx.now - timedelta(days=20), ctx.now - timedelta(days=6)
    ballot = ballot_create(
        community=building.compound.community,
        title="体委小区1号楼使用维修资金更换单元门",
        description="拟使用专项维修资金更换1号楼各单元门禁。依《民法典》第278条属于使用维修资金，"
        "须经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。市体校作为公房产权单位，"
        "名下各套房屋按一人计算（《建筑物区分所有权解释》第9条）。",
        option_set=OptionSet.AGREE,
        options=agree_options(),
        rule=DecisionRule.ART278_ORDINARY,
        decision_kind=DecisionKind.OWNERS,
        scope_kind=ScopeKind.BUILDING,
        target=building,
        opens_at=opens,
        closes_at=closes,
        by=staff,
        now=opens - timedelta(days=1),
    )
    ballot_open(ballot=ballot, by=staff, now=opens)
    households = list(
        Household.objects.filter(unit__building=building)
        .select_related("unit")
        .order_by("unit__sort_key", "floor", "room")
    )
    plan = []
    for i, household in enumerate(households):
        if household.unit.sort_key == 1:
            plan.append(OptionKind.FOR)  # 市体校 signs for each of its flats
        else:
            plan.append([OptionKind.FOR, OptionKind.AGAINST, OptionKind.FOR, None][i % 4])
    _vote_all(ballot, households, plan, staff, start=opens + timedelta(hours=3), end=closes)
    result = ballot_close(ballot=ballot, by=staff, now=closes + timedelta(hours=1))
    ballot_publish(ballot=ballot, by=staff, now=closes + timedelta(days=1))
    ctx.log(
        f"  · 体委小区 1号楼 owners' decision: {len(households)} flats, {result.eligible_heads} owners, "
        f"{'passed' if result.passed else 'NOT passed'}"
    )


def tiwei_charging_draft(ctx: DemoContext, staff) -> None:
    compound = Compound.objects.filter(name="体委小区").select_related("community").first()
    if compound is None:
        return
    ballot = ballot_create(
        community=compound.community,
        title="体委小区充电桩选址（业主共同决定）",
        description="充电桩拟设在小区东侧空地，改变共有部分用途，须经业主共同决定。",
        option_set=OptionSet.AGREE,
        options=agree_options(),
        rule=DecisionRule.ART278_MAJOR,
        decision_kind=DecisionKind.OWNERS,
        scope_kind=ScopeKind.COMPOUND,
        target=compound,
        opens_at=ctx.now + timedelta(days=1),
        closes_at=ctx.now + timedelta(days=15),
        by=staff,
        now=ctx.now,
    )
    try:
        ballot_open(ballot=ballot, by=staff, now=ctx.now + timedelta(days=1))
    except ServiceError as refusal:
        ctx.log(f"  · 体委小区 charging ballot stays a draft: {refusal}")


def seed_owner_decisions(ctx: DemoContext) -> None:
    staff = _staff()
    if staff is None:
        return
    tiwei_doors(ctx, staff)
    tiwei_charging_draft(ctx, staff)


register_demo_step(55, "owners' decisions", seed_owner_decisions)
