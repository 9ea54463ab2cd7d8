"""Demo data for household codes and ballots (seed step 50).

Demo scale:
- a code for every household, two of them fixed and printed for the README
  (南路一 5号楼1单元101 and one 北门 household), a few random ones printed to the log;
- 蕴园 1号楼: elevator ballot under Art. 278 (major matter), closed, passed, result
  published with a low-floor objection and the office's reply; one ballot cast under a
  written authorisation (委托书) and a box paper typed in after closing, dated in time
  (``consult.demo.proxies``);
- 蕴园 2号楼: the same, published four days ago: still under public notice, with a
  low-floor objection not yet answered, so its project (in the notice stage) is held back
  from construction by the passed-ballot gate;
- 上林苑: square design choice by simple majority, open, votes coming in;
- 北门东院: an ordinary matter (using maintenance funds for entrance doors), open, mostly
  paper ballots entered by staff.

District scale adds codes for every household (bulk, timed) and a 10,000-household ballot
with about three quarters of the households voting (bulk), for the tally benchmark.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from projects.demo import DemoContext, register_demo_step
from projects.models import Building, Channel, Compound, DecisionRule, Household, Project, WorkType
from projects.services.identity import format_code, issue_household_code, issue_household_codes

from ..models import Ballot, CastBallot, EligibleHousehold, Meeting, OptionKind, OptionSet, ScopeKind
from ..selectors.ballots import tally
from ..services.ballots import (
    agree_options,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    cast_ballot,
    choice_options,
    objection_record,
    objection_reply,
)
from .proxies import late_papers_and_proxy

# Printed in the README so a visitor can try voting at once. Demo data only.
DEMO_CODES = {
    ("南路一", "5号楼", "1单元", "101"): "NAN5HAPPYDAY",
    ("北门东院", None, None, None): "BEMNHAPPYDAY",
}
DISTRICT_BALLOT_SIZE = 10_000


def _staff():
    users = get_user_model().objects
    return users.filter(username="demo_staff").first() or users.filter(is_superuser=True).order_by("pk").first()


def _find_household(compound: str, building, unit, room):
    qs = Household.objects.filter(unit__building__compound__name=compound).select_related(
        "unit__building__compound__community"
    )
    if building:
        qs = qs.filter(unit__building__name=building, unit__name=unit, room=room)
    return qs.order_by("unit__building__sort_key", "unit__building__name", "unit__sort_key", "floor", "room").first()


def issue_demo_codes(ctx: DemoContext, staff) -> None:
    fixed = {}
    for (compound, building, unit, room), code in DEMO_CODES.items():
        household = _find_household(compound, building, unit, room)
        if household is None:
            ctx.log(f"  · household codes: {compound} {building or ''}{unit or ''}{room or ''} not found, skipped")
            continue
        issue_household_code(household=household, by=staff, code=code, now=ctx.now)
        fixed[household.address] = format_code(code)
    started = time.perf_counter()
    issued = issue_household_codes(
        households=Household.objects.select_related("unit__building__compound").order_by("pk"),
        by=staff,
        replace=False,
        now=ctx.now,
    )
    elapsed = time.perf_counter() - started
    ctx.log(f"  · household codes: {len(issued) + len(fixed)} issued in {elapsed:.2f} s (bulk, HMAC-SHA256)")
    for address, code in fixed.items():
        ctx.log(f"  · README demo code  {code}  →  {address}")
    for item in issued[:2]:
        ctx.log(f"  · sample code       {item.formatted}  →  {item.household.address}")
    ctx.data["household_codes"] = fixed


def _vote_all(ballot, households, plan, staff, *, start, end, meeting=None) -> None:
    """Cast the planned choice of each household through the real service (demo scale),
    spread between ``start`` and ``end``."""
    options = {o.kind if o.kind != OptionKind.CHOICE else o.label: o for o in ballot.options.all()}
    eligible = {e.household_id: e for e in EligibleHousehold.objects.filter(ballot=ballot)}
    step = (end - start) / max(1, len(plan))
    for i, (household, choice, channel) in enumerate(zip(households, plan, _channels(len(plan)), strict=True)):
        if choice is None:
            continue
        if channel == Channel.MEETING and meeting is None:
            channel = Channel.HOME_VISIT
        cast_ballot(
            ballot=ballot,
            household=household,
            option=options[choice],
            channel=channel,
            entered_by=None if channel == Channel.ONLINE else staff,
            paper_serial=eligible[household.pk].paper_serial if channel == Channel.PAPER else "",
            meeting=meeting if channel == Channel.MEETING else None,
            staff_entry=channel != Channel.ONLINE,
            now=start + step * i,
        )


def _channels(n: int) -> list[str]:
    cycle = [Channel.ONLINE, Channel.PAPER, Channel.PAPER, Channel.MEETING, Channel.ONLINE, Channel.HOME_VISIT]
    return [cycle[i % len(cycle)] for i in range(n)]


@dataclass(frozen=True)
class ElevatorBallot:
    building: str
    project_key: str  # the demo project the ballot decides (``ctx.data["projects"]``)
    voting_days: int
    closed_days_ago: int
    notice_days: int
    objection: str
    reply: str  # "" leaves the objection unanswered, which keeps the project's gate closed


ELEVATOR_BALLOTS = (
    ElevatorBallot(
        "1号楼",
        "yunyuan_elevator_1",
        voting_days=18,
        closed_days_ago=12,
        notice_days=20,
        objection="一楼采光和通风会受电梯井影响，希望先明确补偿标准和施工期间的出入安排。",
        reply="已与设计单位确认电梯井外移0.6米，补偿标准将在协调会上与一楼住户逐户商定，施工期间保留单元门通行。",
    ),
    ElevatorBallot(
        "2号楼",
        "yunyuan_elevator_2",
        voting_days=14,
        closed_days_ago=4,
        notice_days=20,
        objection="电梯井紧贴我家卧室窗户，运行噪音怎么解决？没有解决方案前不同意施工。",
        reply="",
    ),
)


def yunyuan_elevator(ctx: DemoContext, staff, plan: ElevatorBallot) -> None:
    building = Building.objects.filter(compound__name="蕴园", name=plan.building).select_related("compound").first()
    if building is None:
        ctx.log(f"  · 蕴园 {plan.building} not found, elevator ballot skipped")
        return
    community = building.compound.community
    project = ctx.data.get("projects", {}).get(plan.project_key)
    meeting = Meeting.objects.filter(community=community).order_by("starts_at").first()
    closes = ctx.now - timedelta(days=plan.closed_days_ago)
    opens = closes - timedelta(days=plan.voting_days)
    ballot = ballot_create(
        community=community,
        title=f"蕴园{plan.building}加装电梯表决",
        description=f"拟为{plan.building}各单元加装电梯，费用按楼层分摊，低层住户可获补偿。依《民法典》第278条，"
        "属于改建、重建建筑物及其附属设施，须经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。",
        option_set=OptionSet.AGREE,
        options=agree_options(),
        rule=DecisionRule.ART278_MAJOR,
        scope_kind=ScopeKind.BUILDING,
        target=building,
        meeting=meeting,
        opens_at=opens,
        closes_at=closes,
        notice_days=plan.notice_days,
        by=staff,
        now=opens - timedelta(days=2),
    )
    if project is not None:
        Ballot.objects.filter(pk=ballot.pk).update(project=project)
    ballot_open(ballot=ballot, by=staff, now=opens)
    households = list(Household.objects.filter(unit__building=building).order_by("-floor", "unit__sort_key", "room"))
    n = len(households)
    votes = []
    for i, household in enumerate(households):
        if i >= n - max(1, n // 12):  # a few of the lowest floors did not take part
            votes.append(None)
        elif household.floor <= 2 and i % 3 == 0:
            votes.append(OptionKind.AGAINST)
        elif household.floor <= 2 and i % 3 == 1:
            votes.append(OptionKind.ABSTAIN)
        else:
            votes.append(OptionKind.FOR)
    _vote_all(ballot, households, votes, staff, start=opens + timedelta(hours=2), end=closes, meeting=meeting)
    if plan.building == "1号楼":
        not_voted = [household for household, vote in zip(households, votes, strict=True) if vote is None]
        late_papers_and_proxy(ctx, ballot, not_voted[::-1], staff)
    result = ballot_close(ballot=ballot, by=staff, now=closes + timedelta(hours=2))
    ballot_publish(ballot=ballot, by=staff, now=closes + timedelta(days=1))
    low = next((h for h in reversed(households) if h.floor == 1), households[-1])
    objection = objection_record(
        ballot=ballot,
        household=low,
        text=plan.objection,
        channel=Channel.OFFICE,
        entered_by=staff,
        now=closes + timedelta(days=2),
    )
    if plan.reply:
        objection_reply(objection=objection, reply=plan.reply, by=staff, now=closes + timedelta(days=4))
    verdict = "passed" if result.passed else "NOT passed"
    answered = "answered" if plan.reply else "NOT answered (the project's construction gate stays closed)"
    ctx.log(
        f"  · 蕴园 {plan.building} elevator ballot: {result.participating_heads}/{result.eligible_heads} voted, "
        f"{verdict}; objection {answered}"
    )


def shanglinyuan_square(ctx: DemoContext, staff) -> None:
    compound = Compound.objects.filter(name="上林苑").select_related("community").first()
    if compound is None:
        ctx.log("  · 上林苑 not found, square ballot skipped")
        return
    designs = [
        "方案一：保留中心花坛，增加健身器材",
        "方案二：中心改为硬质铺装，方便跳广场舞",
        "方案三：分区设计，老人休憩区加儿童游戏区",
    ]
    opens = ctx.now - timedelta(days=3)
    ballot = ballot_create(
        community=compound.community,
        title="上林苑500平方米小广场设计方案选择",
        description="“我当设计师”活动征集到三个方案，请每户选择一个。按投票户数简单多数决定。",
        option_set=OptionSet.CHOICE,
        options=choice_options(designs, with_abstain=True),
        rule=DecisionRule.SIMPLE_MAJORITY,
        scope_kind=ScopeKind.COMPOUND,
        target=compound,
        opens_at=opens,
        closes_at=ctx.now + timedelta(days=11),
        notice_days=7,
        by=staff,
        now=opens - timedelta(days=1),
    )
    ballot_open(ballot=ballot, by=staff, now=opens)
    households = list(Household.objects.filter(unit__building__compound=compound).order_by("pk"))
    rng = ctx.rng
    weights = [designs[0]] * 2 + [designs[1]] * 3 + [designs[2]] * 5 + [OptionKind.ABSTAIN]
    plan = [rng.choice(weights) if rng.random() < 0.35 else None for _ in households]
    _vote_all(ballot, households, plan, staff, start=opens + timedelta(minutes=30), end=ctx.now)
    ctx.log(f"  · 上林苑 square design ballot: open, {sum(p is not None for p in plan)} of {len(plan)} voted so far")


def beimen_doors(ctx: DemoContext, staff) -> None:
    compound = Compound.objects.filter(name="北门东院").select_related("community").first()
    if compound is None:
        ctx.log("  · 北门东院 not found, entrance-door ballot skipped")
        return
    bm_staff = get_user_model().objects.filter(username="bm_staff").first() or staff
    opens = ctx.now - timedelta(days=5)
    ballot = ballot_create(
        community=compound.community,
        title="北门东院使用公共维修资金更换单元门禁",
        description="各单元门禁老化损坏，拟使用公共维修资金更换。属于《民法典》第278条一般事项：参与表决的专有面积"
        "和人数均达三分之二以上，且经参与表决面积过半数、人数过半数的业主同意。",
        option_set=OptionSet.AGREE,
        options=agree_options(),
        rule=DecisionRule.ART278_ORDINARY,
        scope_kind=ScopeKind.COMPOUND,
        target=compound,
        opens_at=opens,
        closes_at=ctx.now + timedelta(days=9),
        by=bm_staff,
        now=opens - timedelta(days=1),
    )
    ballot_open(ballot=ballot, by=bm_staff, now=opens)
    eligible = list(EligibleHousehold.objects.filter(ballot=ballot).select_related("household").order_by("serial"))
    options = {o.kind: o for o in ballot.options.all()}
    rng = ctx.rng
    entered = 0
    for i, row in enumerate(eligible):
        if rng.random() > 0.55:
            continue
        choice = rng.choice([OptionKind.FOR] * 7 + [OptionKind.AGAINST] * 2 + [OptionKind.ABSTAIN])
        online = i % 9 == 0
        cast_ballot(
            ballot=ballot,
            household=row.household,
            option=options[choice],
            channel=Channel.ONLINE if online else Channel.PAPER,
            entered_by=None if online else bm_staff,
            paper_serial="" if online else row.paper_serial,
            staff_entry=not online,
            now=opens + (ctx.now - opens) * i / max(1, len(eligible)),
        )
        entered += 1
    ctx.log(f"  · 北门东院 entrance-door ballot: open, {entered} of {len(eligible)} ballots entered (mostly paper)")


def bulk_votes(ballot: Ballot, *, rng, share: float, staff, now) -> int:
    """Votes for ``share`` of an open ballot's households in bulk inserts (district scale and
    benchmarks; the demo-scale ballots go through ``cast_ballot`` one by one)."""
    options = list(ballot.options.all())
    weights = [o for o in options for _ in range(6 if o.kind in (OptionKind.FOR, OptionKind.CHOICE) else 2)]
    channels = [Channel.ONLINE] * 5 + [Channel.PAPER] * 4 + [Channel.MEETING, Channel.HOME_VISIT]
    meeting = Meeting.objects.filter(community=ballot.community).first()
    rows = []
    for eligible in EligibleHousehold.objects.filter(ballot=ballot).only("pk", "household_id", "serial").iterator():
        if rng.random() >= share:
            continue
        channel = rng.choice(channels)
        if channel == Channel.MEETING and meeting is None:
            channel = Channel.HOME_VISIT
        rows.append(
            CastBallot(
                ballot=ballot,
                eligible_id=eligible.pk,
                household_id=eligible.household_id,
                option=rng.choice(weights),
                channel=channel,
                entered_by=None if channel == Channel.ONLINE else staff,
                paper_reference=f"{ballot.pk}-{eligible.serial:04d}" if channel == Channel.PAPER else "",
                meeting=meeting if channel == Channel.MEETING else None,
                cast_at=now,
            )
        )
    with transaction.atomic():
        CastBallot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def district_ballot(ctx: DemoContext, staff) -> None:
    """A ballot over about 10,000 households: whole compounds of the largest community (a
    project's scope never leaves its community), taken until the size is reached."""
    largest = (
        Compound.objects.values("community_id")
        .annotate(n=Count("buildings__units__households"))
        .order_by("-n", "community_id")
        .first()
    )
    compounds = list(
        Compound.objects.filter(community_id=largest["community_id"] if largest else None)
        .annotate(n=Count("buildings__units__households"))
        .filter(n__gt=0)
        .select_related("community")
        .order_by("-n", "pk")
    )
    chosen, total = [], 0
    for compound in compounds:
        if total >= DISTRICT_BALLOT_SIZE:
            break
        chosen.append(compound)
        total += compound.n
    if not chosen:
        ctx.log("  · no households: district ballot skipped")
        return
    community = chosen[0].community
    project = Project.objects.create(
        community=community,
        title="（规模测试）街道范围停车管理方案",
        description="District-scale demo: a ballot over about 10,000 households for the tally benchmark.",
        work_type=WorkType.PARKING,
        created_by=staff,
    )
    project.compounds.set(chosen)
    opens = ctx.now - timedelta(days=2)
    ballot = ballot_create(
        community=community,
        title="（规模测试）停车管理方案表决",
        description="一万户规模的表决，用于测试计票性能。",
        option_set=OptionSet.AGREE,
        options=agree_options(),
        rule=DecisionRule.ART278_ORDINARY,
        scope_kind=ScopeKind.PROJECT,
        target=project,
        opens_at=opens,
        closes_at=ctx.now + timedelta(days=7),
        by=staff,
        now=opens,
    )
    started = time.perf_counter()
    eligible = ballot_open(ballot=ballot, by=staff, now=opens)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    cast = bulk_votes(ballot, rng=ctx.rng, share=0.75, staff=staff, now=ctx.now - timedelta(hours=1))
    voted = time.perf_counter() - started
    started = time.perf_counter()
    result = tally(ballot)
    counted = time.perf_counter() - started
    ctx.log(
        f"  · district ballot: {eligible} eligible (snapshot {opened:.2f} s), {cast} votes (bulk {voted:.2f} s), "
        f"tally in one query {counted * 1000:.0f} ms, {'passes' if result.passed else 'fails'} so far"
    )


def seed_ballots(ctx: DemoContext) -> None:
    staff = _staff()
    if staff is None:
        ctx.log("  · no staff account: household codes and ballots skipped")
        return
    issue_demo_codes(ctx, staff)
    for plan in ELEVATOR_BALLOTS:
        yunyuan_elevator(ctx, staff, plan)
    shanglinyuan_square(ctx, staff)
    beimen_doors(ctx, staff)
    if ctx.scale == "district":
        district_ballot(ctx, staff)


register_demo_step(50, "household codes and ballots", seed_ballots)
