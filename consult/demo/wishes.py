"""Seed step 40: the demo wish list.

``demo`` scale tells 北门's story through the real services: several hundred wishes from the
WeChat group "旧改大家谈", a stack of the 1,400 paper questionnaires, home visits and the 28
forums, with supports, answers, plans and merged duplicates; a few wishes for the other demo
compounds from their own reports.

``district`` scale adds bulk rows on top, about 100,000 wishes and 500,000 supports spread
over every compound in proportion to its households, with bulk inserts only: supports are
distinct (wish, household) pairs within the wish's compound, offline rows name the staff
member who entered them, and receipt codes are unique."""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from projects.demo import DemoContext, register_demo_step
from projects.demo.rows import insert_rows
from projects.models import Building, Channel, Community, Compound, Household, Membership, Project, Role, WorkType

from ..counts import recount_supports
from ..demo.wish_texts import CALLS, OTHER_COMPOUNDS, POPULAR, RESPONSES, SURNAMES, TOPICS
from ..models import Meeting, Support, Wish, WishCategory, WishStatus, WishStatusChange
from ..receipts import new_receipt_code
from ..services.wishes import wish_change_status, wish_submit

BEIMEN = "北门社区"
BEIMEN_WISHES = 420
DISTRICT_WISHES = 100_000
DISTRICT_SUPPORTS = 500_000
BATCH = 5_000

S = WishStatus
C = WishCategory

BEIMEN_CHANNELS = [
    (Channel.QUESTIONNAIRE, 45),
    (Channel.ONLINE, 25),
    (Channel.HOME_VISIT, 14),
    (Channel.MEETING, 9),
    (Channel.BUILDING_HEAD, 3),
    (Channel.PHONE, 2),
    (Channel.HOTLINE, 1),
    (Channel.SUGGESTION_BOX, 1),
]
SUPPORT_CHANNELS = [
    (Channel.ONLINE, 40),
    (Channel.QUESTIONNAIRE, 35),
    (Channel.MEETING, 10),
    (Channel.HOME_VISIT, 10),
    (Channel.BUILDING_HEAD, 5),
]
WORK_TYPES = {
    C.PIPES: [WorkType.WATER_PIPES, WorkType.SEWAGE],
    C.ELEVATOR: [WorkType.ELEVATOR],
    C.PARKING: [WorkType.PARKING],
    C.CHARGING: [WorkType.CHARGING],
    C.GREENERY: [WorkType.GREENERY],
    C.LIGHTING: [WorkType.LIGHTING],
    C.ELDERLY: [WorkType.ELDERLY],
    C.PUBLIC_TOILET: [WorkType.PUBLIC_TOILET],
    C.ACTIVITY_SPACE: [WorkType.SQUARE],
    C.OTHER: [WorkType.ROOF_WALLS],
}
# Status → the statuses a wish passed through after "submitted" to get there.
PATHS = {
    S.SUBMITTED: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.PLANNED: [S.ACCEPTED, S.PLANNED],
    S.IN_PROGRESS: [S.ACCEPTED, S.IN_PROGRESS],
    S.DONE: [S.ACCEPTED, S.IN_PROGRESS, S.DONE],
    S.DECLINED: [S.DECLINED],
}


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(CALLS)


def _phone(rng) -> str:
    return rng.choice(["13", "15", "18", "17"]) + str(rng.randint(3, 9)) + f"{rng.randint(0, 99_999_999):08d}"


def _office_staff() -> dict[int, object]:
    """One office member per community to stand as "entered by" on paper rows."""
    staff = {}
    for m in (
        Membership.objects.filter(role__in=[Role.STAFF, Role.ADMIN]).select_related("user").order_by("-role", "pk")
    ):
        staff.setdefault(m.community_id, m.user)
    return staff


def _response(rng, status, category, project=None) -> str:
    options = RESPONSES[status]
    if isinstance(options, dict):
        return options.get(category, options[None])
    return rng.choice(options).format(project=project.title if project else "")


def _render(topic, household, building) -> tuple[str, str, bool]:
    """(title, location, about a building) with the household's building and unit filled in."""
    _category, title, _details, where = topic
    unit = household.unit.name if household is not None else ""
    b = building.name if building is not None else ""
    located = "{b}" in where or "{b}" in title
    location = where.replace("{b}", "").replace("{u}", unit) if located else where.replace("{u}", unit)
    return title.replace("{b}", b).replace("{u}", unit), location, located


# --- demo scale: 北门's story through the services ---------------------------------------------


@dataclass
class Plan:
    when: datetime
    compound: Compound
    topic: tuple
    channel: str
    household: Household | None


def _seed_story(ctx: DemoContext, community: Community, topics, count: int, channels, staff) -> int:
    rng = ctx.rng
    households = list(
        Household.objects.filter(unit__building__compound__community=community).select_related(
            "unit__building__compound"
        )
    )
    if not households:
        ctx.log(f"wishes: {community.name} has no households, skipped")
        return 0
    meetings = [m for m in Meeting.objects.filter(community=community) if m.starts_at <= ctx.now]
    projects = list(Project.objects.filter(community=community))
    weights = [POPULAR.get(t[0], 1) for t in topics]
    plans = []
    for _ in range(count):
        channel = _weighted(rng, channels) if staff is not None else Channel.ONLINE
        household = rng.choice(households)
        when = ctx.now - timedelta(days=rng.uniform(1, 300))
        plans.append(Plan(when, household.unit.building.compound, rng.choices(topics, weights)[0], channel, household))
    plans.sort(key=lambda p: p.when)

    anchors: dict[tuple, Wish] = {}
    paper_numbers = rng.sample(range(1, 1401), k=min(1400, count))
    standing: list[tuple[Wish, datetime]] = []
    for index, plan in enumerate(plans):
        wish = _submit_planned(ctx, plan, staff, meetings, paper_numbers[index])
        key = (plan.compound.pk, plan.topic[1], wish.building_id)
        anchor = anchors.get(key)
        merged_at = wish.submitted_at + timedelta(days=rng.uniform(1, 10))
        # The same thing asked again: staff usually merge it into the first one.
        mergeable = anchor is not None and anchor.status != S.DECLINED and staff is not None and merged_at < ctx.now
        if mergeable and rng.random() < 0.5:
            wish_change_status(wish=wish, to_status=S.MERGED, by=staff, merge_into=anchor, now=merged_at)
            continue
        anchors.setdefault(key, wish)
        standing.append((wish, _answer(ctx, wish, staff, projects)))
    _bulk_supports(ctx, standing, households, staff)
    return len(plans)


def _submit_planned(ctx, plan: Plan, staff, meetings, paper_number) -> Wish:
    rng = ctx.rng
    category, _title, details, _where = plan.topic
    household = plan.household
    channel = plan.channel
    anonymous = channel in (Channel.PHONE, Channel.HOTLINE) or (channel == Channel.ONLINE and rng.random() < 0.4)
    if channel == Channel.SUGGESTION_BOX:
        household, anonymous = None, False
    building = plan.household.unit.building
    title, location, located = _render(plan.topic, plan.household, building)
    meeting = None
    when = plan.when
    if channel == Channel.MEETING and meetings:
        meeting = rng.choice(meetings)
        when = min(ctx.now - timedelta(minutes=10), meeting.starts_at + timedelta(hours=rng.uniform(2, 48)))
    return wish_submit(
        compound=plan.compound,
        title=title,
        category=category,
        channel=channel,
        description=details if rng.random() < 0.7 else "",
        building=building if located else None,
        location=location,
        household=None if anonymous else household,
        contact_name=_person(rng) if anonymous else "",
        contact_phone=_phone(rng) if anonymous else "",
        meeting=meeting,
        paper_reference=f"BM-{paper_number:04d}" if channel == Channel.QUESTIONNAIRE else "",
        entered_by=None if channel == Channel.ONLINE else staff,
        now=when,
    )


def _outcome(rng, age_days: float) -> str:
    if age_days < 20 and rng.random() < 0.7:
        return S.SUBMITTED
    return rng.choices(
        [S.SUBMITTED, S.ACCEPTED, S.PLANNED, S.IN_PROGRESS, S.DONE, S.DECLINED], weights=[6, 14, 18, 14, 40, 8]
    )[0]


def _answer(ctx, wish: Wish, staff, projects) -> datetime:
    """Walk the wish to a plausible status for its age; returns when support closed."""
    rng = ctx.rng
    if staff is None:
        return ctx.now
    target = _outcome(rng, (ctx.now - wish.submitted_at).total_seconds() / 86400)
    matching = [p for p in projects if p.work_type in WORK_TYPES.get(wish.category, [])] or projects
    project = rng.choice(matching) if matching else None
    path = PATHS[target]
    if target == S.PLANNED and project is None:
        path = PATHS[S.IN_PROGRESS]
    if target in (S.IN_PROGRESS, S.DONE) and project is not None and rng.random() < 0.7:
        path = [S.ACCEPTED, S.PLANNED, *path[1:]]
    when = wish.submitted_at
    for status in path:
        when = when + timedelta(days=rng.uniform(2, 40))
        if when >= ctx.now:
            break
        wish_change_status(
            wish=wish,
            to_status=status,
            by=staff,
            response=_response(rng, status, wish.category, project),
            project=project if status == S.PLANNED else None,
            now=when,
        )
    return when if wish.status in (S.DONE, S.DECLINED) else ctx.now


def _bulk_supports(ctx, standing, households, staff) -> int:
    """Neighbours back the standing wishes: more for lifts and parking, mostly from the same building."""
    rng = ctx.rng
    by_building = defaultdict(list)
    by_compound = defaultdict(list)
    for h in households:
        by_building[h.unit.building_id].append(h.pk)
        by_compound[h.unit.building.compound_id].append(h.pk)
    taken = set(
        Support.objects.filter(wish__in=[w for w, _ in standing], withdrawn_at__isnull=True).values_list(
            "wish_id", "household_id"
        )
    )
    rows = []
    for wish, closed_at in standing:
        pool = by_building[wish.building_id] if wish.building_id and wish.category in (C.ELEVATOR, C.PIPES) else []
        pool = pool or by_compound[wish.compound_id]
        mean = 3 * POPULAR.get(wish.category, 1)
        for household_id in rng.sample(pool, k=min(len(pool), int(rng.expovariate(1 / mean)))):
            if (wish.pk, household_id) in taken:
                continue
            taken.add((wish.pk, household_id))
            channel = _weighted(rng, SUPPORT_CHANNELS) if staff is not None else Channel.ONLINE
            span = max(60.0, (closed_at - wish.submitted_at).total_seconds())
            rows.append(
                Support(
                    wish_id=wish.pk,
                    household_id=household_id,
                    channel=channel,
                    entered_by=None if channel == Channel.ONLINE else staff,
                    paper_reference=f"BM-{rng.randint(1, 1400):04d}" if channel == Channel.QUESTIONNAIRE else "",
                    created_at=wish.submitted_at + timedelta(seconds=rng.uniform(30, span)),
                )
            )
    Support.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _seed_other_compounds(ctx, staff_by_community) -> int:
    made = 0
    for name, topics in OTHER_COMPOUNDS.items():
        compound = Compound.objects.filter(name=name).select_related("community").first()
        if compound is None:
            continue
        staff = staff_by_community.get(compound.community_id)
        # 上林苑's elderly "only speak face to face"; the others mix channels.
        channels = (
            [(Channel.HOME_VISIT, 3), (Channel.MEETING, 2)]
            if name == "上林苑"
            else [(Channel.ONLINE, 2), (Channel.MEETING, 2), (Channel.BUILDING_HEAD, 1), (Channel.HOTLINE, 1)]
        )
        households = list(
            Household.objects.filter(unit__building__compound=compound).select_related("unit__building__compound")
        )
        if not households:
            continue
        standing = []
        projects = list(Project.objects.filter(community_id=compound.community_id))
        for topic in topics:
            channel = _weighted(ctx.rng, channels) if staff is not None else Channel.ONLINE
            household = ctx.rng.choice(households)
            plan = Plan(ctx.now - timedelta(days=ctx.rng.uniform(5, 200)), compound, topic, channel, household)
            wish = _submit_planned(ctx, plan, staff, [], ctx.rng.randint(1, 999))
            standing.append((wish, _answer(ctx, wish, staff, projects)))
            made += 1
        _bulk_supports(ctx, standing, households, staff)
    return made


# --- district scale: bulk rows ---------------------------------------------------------------


def _seed_district(ctx: DemoContext, staff_by_community) -> tuple[int, int]:
    rng = ctx.rng
    wishes_left = max(0, DISTRICT_WISHES - Wish.objects.count())
    supports_left = max(0, DISTRICT_SUPPORTS - Support.objects.filter(withdrawn_at__isnull=True).count())
    pools: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, compound_id, building_id in Household.objects.values_list(
        "pk", "unit__building__compound_id", "unit__building_id"
    ).iterator(chunk_size=20_000):
        pools[compound_id].append((pk, building_id))
    if not pools or not wishes_left:
        return 0, 0
    community_of = dict(Compound.objects.filter(pk__in=pools).values_list("pk", "community_id"))
    building_names = dict(Building.objects.filter(compound_id__in=pools).values_list("pk", "name"))
    projects = defaultdict(list)
    for project in Project.objects.filter(community_id__in=set(community_of.values())).only("pk", "community_id"):
        projects[project.community_id].append(project)
    codes = set(Wish.objects.exclude(receipt_code=None).values_list("receipt_code", flat=True))
    total_households = sum(len(p) for p in pools.values())
    mean_supports = supports_left / wishes_left

    # Wishes per compound in proportion to its households (largest remainder keeps the total exact).
    shares = {c: wishes_left * len(p) / total_households for c, p in pools.items()}
    quota = {c: int(s) for c, s in shares.items()}
    for c in sorted(shares, key=lambda c: shares[c] - quota[c], reverse=True)[: wishes_left - sum(quota.values())]:
        quota[c] += 1

    made_wishes = made_supports = 0
    pending: list[tuple[Wish, list, list]] = []
    for compound_id, n in quota.items():
        community_id = community_of[compound_id]
        staff = staff_by_community.get(community_id)
        pool = pools[compound_id]
        for _ in range(n):
            wish, history, supporters = _district_wish(
                ctx,
                compound_id,
                community_id,
                pool,
                building_names,
                staff,
                projects[community_id],
                codes,
                mean_supports,
            )
            pending.append((wish, history, supporters))
            if len(pending) >= BATCH:
                w, s = _flush(pending, staff_by_community, rng)
                made_wishes, made_supports, pending = made_wishes + w, made_supports + s, []
    if pending:
        w, s = _flush(pending, staff_by_community, rng)
        made_wishes, made_supports = made_wishes + w, made_supports + s
    return made_wishes, made_supports


def _district_wish(ctx, compound_id, community_id, pool, building_names, staff, projects, codes, mean_supports):
    rng = ctx.rng
    category, title, details, where = rng.choice(TOPICS)
    household_id, building_id = rng.choice(pool)
    channel = (
        rng.choices(
            [Channel.ONLINE, Channel.QUESTIONNAIRE, Channel.HOME_VISIT, Channel.MEETING, Channel.PHONE],
            weights=[40, 30, 10, 10, 10],
        )[0]
        if staff is not None
        else Channel.ONLINE
    )
    anonymous = channel == Channel.PHONE or (channel == Channel.ONLINE and rng.random() < 0.4)
    located = "{b}" in title or "{b}" in where
    building = building_names[building_id]
    submitted_at = ctx.now - timedelta(days=rng.uniform(1, 700))
    status = rng.choices(list(PATHS), weights=[30, 20, 10 if projects else 0, 10, 25, 5])[0]
    if status != S.SUBMITTED and staff is None:
        status = S.SUBMITTED
    project = rng.choice(projects) if status == S.PLANNED else None
    code = None
    if anonymous:
        code = new_receipt_code()
        while code in codes:
            code = new_receipt_code()
        codes.add(code)
    wish = Wish(
        community_id=community_id,
        compound_id=compound_id,
        building_id=building_id if located else None,
        location=(where.replace("{b}", "") if located else where).replace("{u}", ""),
        title=title.replace("{b}", building).replace("{u}", ""),
        description=details,
        category=category,
        status=status,
        channel=channel,
        household_id=None if anonymous else household_id,
        contact_name=_person(rng) if anonymous else "",
        contact_phone=_phone(rng) if anonymous else "",
        receipt_code=code,
        project=project,
        entered_by=None if channel == Channel.ONLINE else staff,
        submitted_at=submitted_at,
        updated_at=submitted_at,
    )
    history = [(None, S.SUBMITTED, submitted_at, "")]
    when = submitted_at
    previous = S.SUBMITTED
    for step in PATHS[status]:
        when = min(ctx.now, when + timedelta(days=rng.uniform(1, 30)))
        history.append((previous, step, when, _response(rng, step, category, project)))
        previous = step
    wish.updated_at = when
    closed = when if status in (S.DONE, S.DECLINED) else ctx.now
    # The submitting household backs its own wish (as ``wish_submit`` does); neighbours add the rest.
    k = int(rng.expovariate(1 / (mean_supports + 0.35)))  # floor() and the submitter's own support even out
    supporters = [] if anonymous else [household_id]
    wanted = k if anonymous else max(k, 1)
    for h, _b in rng.sample(pool, k=min(len(pool), k + 1)):
        if len(supporters) >= wanted:
            break
        if h not in supporters:
            supporters.append(h)
    span = max(60.0, (closed - submitted_at).total_seconds())
    times = [submitted_at + timedelta(seconds=rng.uniform(30, span)) for _ in supporters]
    if not anonymous:
        times[0] = submitted_at
    return wish, history, list(zip(supporters, times, strict=True))


@transaction.atomic
def _flush(pending, staff_by_community, rng) -> tuple[int, int]:
    wishes = Wish.objects.bulk_create([w for w, _h, _s in pending], batch_size=1000)
    history, supports = [], []
    for wish, (_w, steps, supporters) in zip(wishes, pending, strict=True):
        staff = staff_by_community.get(wish.community_id)
        staff_id = staff.pk if staff is not None else None
        for from_status, to_status, when, response in steps:
            project_id = wish.project_id if to_status == S.PLANNED else None
            changed_by_id = wish.entered_by_id if from_status is None else staff_id
            history.append((wish.pk, from_status or "", to_status, response, project_id, changed_by_id, when))
        for index, (household_id, when) in enumerate(supporters):
            own = index == 0 and wish.household_id == household_id
            if own:
                channel, entered_by_id = wish.channel, wish.entered_by_id
            elif staff is not None and rng.random() < 0.4:
                channel, entered_by_id = Channel.PAPER, staff_id
            else:
                channel, entered_by_id = Channel.ONLINE, None
            supports.append((wish.pk, household_id, channel, entered_by_id, when))
    history_columns = ("wish_id", "from_status", "to_status", "response", "project_id", "changed_by_id", "changed_at")
    insert_rows(WishStatusChange, history_columns, history)
    insert_rows(Support, ("wish_id", "household_id", "channel", "entered_by_id", "created_at"), supports)
    return len(wishes), len(supports)


# --- the step ------------------------------------------------------------------------------


def seed_wishes(ctx: DemoContext) -> None:
    if Wish.objects.exists():
        ctx.log("wishes: a wish list exists already, step skipped")
        return
    staff_by_community = _office_staff()
    started = time.monotonic()
    made = 0
    beimen = Community.objects.filter(name=BEIMEN).first()
    if beimen is None:
        ctx.log(f"wishes: community {BEIMEN} not found, its story skipped")
    else:
        made += _seed_story(ctx, beimen, TOPICS, BEIMEN_WISHES, BEIMEN_CHANNELS, staff_by_community.get(beimen.pk))
    made += _seed_other_compounds(ctx, staff_by_community)
    ctx.log(
        f"wishes: {made} demo wishes, {Support.objects.filter(withdrawn_at__isnull=True).count()} supports "
        f"in {time.monotonic() - started:.1f}s"
    )
    if ctx.scale == "district":
        started = time.monotonic()
        wishes, supports = _seed_district(ctx, staff_by_community)
        ctx.log(f"wishes (district): {wishes} wishes and {supports} supports in {time.monotonic() - started:.1f}s")
    # The bulk supports above bypass the services that keep ``Wish.support_count``.
    recount_supports()


register_demo_step(40, "wishes", seed_wishes)
