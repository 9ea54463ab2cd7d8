"""Demo data for the sign-off tracker (seed step 60).

南路一 5号楼1单元 is the 32-household riser tower of the news report: water pipes could not be
replaced until every household had signed, and two refusals held the job up while staff
"visited many times" (多次上门沟通). The story is recorded through the real services, so every
event, contact and follow-up is in the logs as staff would have entered it.

At district scale a second campaign covers about 2,000 households, inserted in bulk (events
and contacts with ``bulk_create``, records rebuilt from the logs in one pass).
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from ..demo import DemoContext, register_demo_step
from ..models import (
    Building,
    Channel,
    Community,
    Compound,
    ConcernCategory,
    ContactKind,
    DecisionRule,
    Household,
    Membership,
    Project,
    ProjectClass,
    Role,
    SignerRelation,
    SignoffCampaign,
    SignoffContact,
    SignoffEvent,
    SignoffStatus,
    Stage,
    Unit,
    WorkType,
)
from ..selectors.scope import affected_households
from ..selectors.signoffs import form_number
from ..services import signoffs as svc

S = SignoffStatus

CONSENT_TEXT = (
    "本户同意对5号楼1单元上下水立管及入户支管进行改造，配合施工单位入户施工，"
    "并在约定时间内为施工人员提供必要的便利。施工期间楼旁设临时卫生间、取水点和淋浴间。"
)

# What residents said (from the 南路一 report), and what staff heard on other doorsteps.
REDECORATED = "我们家刚装修完，再给我刨了，我可不干！"
NEW_FITTINGS = "我们家厨房橱柜、卫生间洁具都是新的，弄坏了可咋整？"
BEDRIDDEN = "改造期间没水，卫生间也不能用，老人卧病在床怎么办？"
COST = "听说入户这段管子要自己掏钱？那我先不签了。"
OLD_BUILDING = "老楼了，凑合用吧，折腾一回太麻烦。"
DISTRICT_CONCERNS = [
    (ConcernCategory.REDECORATED, "去年刚装修，地砖不想再砸。"),
    (ConcernCategory.NEW_FITTINGS, "卫生间马桶、洗手盆都是新换的。"),
    (ConcernCategory.CARE_NEEDS, "家里有老人行动不便，停水那几天怎么办？"),
    (ConcernCategory.COST, "入户部分的费用谁来出？"),
    (ConcernCategory.NOISE, "孩子要中考，施工噪音能不能避开晚上？"),
    (ConcernCategory.OTHER, "等在外地的儿子回来商量一下再说。"),
]

GIVEN_NAMES = ["秀兰", "建国", "淑珍", "志刚", "桂英", "国强", "玉梅", "海燕", "文杰", "丽华", "永红", "春生"]
FAMILY_NAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马"]


def _at(day, hour: int):
    """A local time on a given date, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _people(community: Community):
    """The demo's 南路一 staff member and building head, or whoever runs the community."""
    users = get_user_model().objects
    staff = (
        users.filter(username="nly_staff").first()
        or users.filter(memberships__community=community, memberships__role__in=[Role.ADMIN, Role.STAFF]).first()
        or users.filter(is_superuser=True).first()
    )
    head = (
        users.filter(
            memberships__community=community, memberships__role=Role.BUILDING_HEAD, username="nly_head"
        ).first()
        or users.filter(memberships__community=community, memberships__role=Role.BUILDING_HEAD).first()
    )
    return staff, head


def _riser_project(compound: Compound, unit: Unit, ctx: DemoContext) -> Project:
    community = compound.community
    project = (
        Project.objects.filter(community=community, title__contains="上下水").order_by("pk").first()
        or Project.objects.filter(community=community, work_type=WorkType.WATER_PIPES).order_by("pk").first()
    )
    if project is None:
        project = Project.objects.create(
            community=community,
            title="南路一上下水改造",
            description="5号楼1单元上下水立管老化腐朽，整体更换立管及入户支管。涉及住户全部签字同意后方可施工。",
            project_class=ProjectClass.BASIC,
            work_type=WorkType.WATER_PIPES,
            stage=Stage.CONSENT,
        )
        project.units.add(unit)
        ctx.log(f"sign-offs: created project {project.title}")
    elif not affected_households(project).filter(unit=unit).exists():
        project.units.add(unit)
        ctx.log(f"sign-offs: added {unit} to the scope of {project.title}")
    return project


def _signer(household: Household, relation: str, rng) -> str:
    owner = (household.owner_names or "").split("、")[0].strip() or rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_NAMES)
    if relation == SignerRelation.OWNER:
        return owner
    if relation == SignerRelation.CHILD:
        return owner[0] + rng.choice(GIVEN_NAMES)
    return rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_NAMES)


def seed_riser_campaign(ctx: DemoContext) -> SignoffCampaign | None:
    compound = Compound.objects.select_related("community").filter(name="南路一").first()
    unit = Unit.objects.filter(building__compound=compound, building__name="5号楼", name="1单元").first()
    if compound is None or unit is None:
        ctx.log("sign-offs: 南路一 5号楼1单元 not found (run the registry step first); skipped")
        return None
    project = _riser_project(compound, unit, ctx)
    if SignoffCampaign.objects.filter(project=project).exists():
        ctx.log("sign-offs: the 南路一 campaign exists already")
        return None
    staff, head = _people(compound.community)
    rng, today = ctx.rng, timezone.localdate(ctx.now)
    start = today - timedelta(days=45)
    campaign = svc.signoff_campaign_open(
        project=project,
        data={
            "title": "5号楼1单元上下水改造签字同意",
            "consent_text": CONSENT_TEXT,
            "rule": DecisionRule.UNANIMOUS,
            "paper_required": True,
            "stale_after_days": 7,
            "deadline": today + timedelta(days=10),
        },
        by=staff,
        now=_at(start, 9),
    )
    households = list(affected_households(project).filter(unit=unit).order_by("floor", "room"))
    lines = {h.pk: n for n, h in enumerate(households, start=1)}

    def contact(h, day, kind, outcome, next_step="", who=None):
        svc.signoff_log_contact(
            campaign=campaign,
            household=h,
            kind=kind,
            staff=who or staff,
            contacted_on=day,
            outcome=outcome,
            next_step=next_step,
            by=staff,
            now=_at(day, 18),
        )

    def status(h, day, new_status, hour=10, **details):
        svc.signoff_record_status(
            campaign=campaign, household=h, status=new_status, by=staff, now=_at(day, hour), **details
        )

    def agree(h, day, relation=SignerRelation.OWNER, note=""):
        status(
            h,
            day,
            S.AGREED,
            hour=15,
            signed_on=day,
            signer_name=_signer(h, relation, rng),
            signer_relation=relation,
            paper_reference=form_number(campaign, unit, lines[h.pk]),
            note=note,
        )

    # Who is who in the tower, by position (floor order), so any 32-household roster works.
    n = len(households)
    holdouts = {households[i] for i in (4, 20) if i < n}  # 302 and 1101 refuse
    worried = {households[i]: text for i, text in ((12, NEW_FITTINGS), (17, BEDRIDDEN)) if i < n}
    withdrawn = households[29] if n > 29 else None  # 1502 agrees, then withdraws
    talked_round = households[10] if n > 10 else None  # 601 refuses, then agrees after visits
    undecided = households[30] if n > 30 else None  # 1601: waiting for the son to come home

    relations = [SignerRelation.OWNER] * 6 + [SignerRelation.SPOUSE, SignerRelation.CHILD, SignerRelation.AGENT]
    for i, h in enumerate(households):
        first = start + timedelta(days=1 + i % 6)
        contact(h, first, ContactKind.VISIT, "入户介绍改造内容和施工方案，发放告知书。", "收签字表")
        if h in holdouts or h in worried or h in (withdrawn, talked_round, undecided):
            continue
        status(h, first, S.TALKED)
        sign_day = first + timedelta(days=rng.randint(1, 10))
        if rng.random() < 0.3:
            contact(h, sign_day, ContactKind.CALL, "电话确认在家时间。")
        agree(h, sign_day, rng.choice(relations))

    for h in holdouts:
        redecorated = h is households[4]
        words = REDECORATED if redecorated else "楼上楼下漏水这么多年没人管，现在说改就改？我不签。"
        category = ConcernCategory.REDECORATED if redecorated else ConcernCategory.OTHER
        day = start + timedelta(days=3)
        status(h, day, S.REFUSED, concern_category=category, concern_text=words)
        for k, (kind, outcome, step) in enumerate(
            [
                (ContactKind.VISIT, "再次上门，解释立管不换整栋楼都受影响，住户仍不同意。", "请楼门长一起做工作"),
                (ContactKind.MEETING, "现场协商会：施工单位承诺成品保护、损坏照价修复。", "会后再上门"),
                (ContactKind.VISIT, "邻居陪同上门，将心比心，住户态度有所松动但仍未签字。", "约施工单位上门看现场"),
                (ContactKind.CALL, "电话沟通，住户表示再考虑几天。", "一周后再访"),
            ]
        ):
            contact(h, day + timedelta(days=4 + 6 * k), kind, outcome, step, who=head if k == 2 and head else None)
        svc.signoff_assign(
            campaign=campaign, households=[h], assignee=staff, note="重点户，社区干部包户", by=staff, now=_at(day, 17)
        )

    for h, words in worried.items():
        day = start + timedelta(days=5)
        category = ConcernCategory.NEW_FITTINGS if words == NEW_FITTINGS else ConcernCategory.CARE_NEEDS
        status(h, day, S.CONCERNS, concern_category=category, concern_text=words)
        step = (
            "协调临时取水点和卫生间，安排优先施工"
            if category == ConcernCategory.CARE_NEEDS
            else "施工单位上门做成品保护方案"
        )
        contact(h, day + timedelta(days=7), ContactKind.VISIT, "带施工单位上门查看，记录住户要求。", step)
        if head:
            svc.signoff_assign(campaign=campaign, households=[h], assignee=head, by=staff, now=_at(day, 17))

    if withdrawn is not None:
        day = start + timedelta(days=4)
        status(withdrawn, day, S.TALKED)
        agree(withdrawn, day + timedelta(days=2))
        status(
            withdrawn,
            day + timedelta(days=12),
            S.CONCERNS,
            concern_category=ConcernCategory.COST,
            concern_text=COST,
            note="住户来电撤回同意，签字表作废。",
            channel=Channel.PHONE,
        )
        contact(
            withdrawn,
            day + timedelta(days=12),
            ContactKind.CALL,
            "住户撤回同意，担心费用。",
            "说明入户支管费用由项目承担",
        )

    if talked_round is not None:
        day = start + timedelta(days=2)
        status(talked_round, day, S.REFUSED, concern_category=ConcernCategory.OTHER, concern_text=OLD_BUILDING)
        for k in range(3):
            contact(talked_round, day + timedelta(days=5 + 5 * k), ContactKind.VISIT, "多次上门沟通，讲解改造好处。")
        agree(talked_round, day + timedelta(days=20), note="经多次上门沟通，住户同意改造。")

    if undecided is not None:
        day = start + timedelta(days=6)
        status(undecided, day, S.TALKED, note="等在外地的儿子回来商量。")

    ctx.log(f"sign-offs: 南路一 riser campaign with {len(households)} households")
    return campaign


def seed_district_campaign(ctx: DemoContext, target: int = 2000) -> SignoffCampaign | None:
    """A large campaign over ~``target`` households of the biggest community, in bulk."""
    community = (
        Community.objects.annotate(n=Count("compounds__buildings__units__households"))
        .filter(n__gt=0)
        .order_by("-n")
        .first()
    )
    if community is None:
        return None
    title = f"{community.name}雨污分流及楼内管线改造"
    if Project.objects.filter(community=community, title=title).exists():
        ctx.log("sign-offs: the district campaign exists already")
        return None
    staff, _head = _people(community)
    buildings, covered = [], 0
    for b in (
        Building.objects.filter(compound__community=community)
        .annotate(n=Count("units__households"))
        .order_by("compound__name", "sort_key", "name")
    ):
        if covered >= target:
            break
        buildings.append(b)
        covered += b.n
    rng, today = ctx.rng, timezone.localdate(ctx.now)
    start = today - timedelta(days=60)
    with transaction.atomic():
        project = Project.objects.create(
            community=community,
            title=title,
            description="楼内上下水立管、小区雨污分流管网改造，按《民法典》第二百七十八条征询业主意见。",
            project_class=ProjectClass.BASIC,
            work_type=WorkType.SEWAGE,
            stage=Stage.CONSENT,
        )
        project.buildings.set(buildings)
        campaign = svc.signoff_campaign_open(
            project=project,
            data={
                "title": f"{title}意见征询",
                "consent_text": "本户同意实施雨污分流及楼内管线改造，并配合入户施工。",
                "rule": DecisionRule.ART278_MAJOR,
                "paper_required": False,
                "stale_after_days": 10,
            },
            by=staff,
            now=_at(start, 9),
        )
        staff_ids = list(
            Membership.objects.filter(community=community, role__in=[Role.ADMIN, Role.STAFF]).values_list(
                "user_id", flat=True
            )
        ) or [staff.pk]
        events, contacts = [], []
        for h in affected_households(project).only("pk", "owner_names").iterator(chunk_size=2000):
            roll = rng.random()
            if roll < 0.08:
                continue  # not contacted yet
            day = start + timedelta(days=rng.randint(1, 50))
            who = rng.choice(staff_ids)
            contacts.append(
                SignoffContact(
                    campaign=campaign,
                    household_id=h.pk,
                    kind=rng.choice([ContactKind.VISIT, ContactKind.VISIT, ContactKind.CALL]),
                    staff_id=who,
                    contacted_on=day,
                    outcome="入户宣传改造方案，征询意见。",
                    recorded_by_id=who,
                    recorded_at=_at(day, 18),
                )
            )
            talked = SignoffEvent(
                campaign=campaign,
                household_id=h.pk,
                status=S.TALKED,
                previous_status=S.NOT_CONTACTED,
                channel=Channel.HOME_VISIT,
                entered_by_id=who,
                recorded_at=_at(day, 10),
            )
            events.append(talked)
            answer_day = min(today, day + timedelta(days=rng.randint(0, 7)))
            if roll < 0.78:
                online = rng.random() < 0.25
                events.append(
                    SignoffEvent(
                        campaign=campaign,
                        household_id=h.pk,
                        status=S.AGREED,
                        previous_status=S.TALKED,
                        channel=Channel.ONLINE if online else Channel.PAPER,
                        entered_by_id=None if online else who,
                        recorded_at=_at(answer_day, 16),
                        signed_on=answer_day,
                        signer_name=(h.owner_names or "业主").split("、")[0],
                        signer_relation=SignerRelation.OWNER,
                    )
                )
            elif roll < 0.90:
                category, words = rng.choice(DISTRICT_CONCERNS)
                events.append(
                    SignoffEvent(
                        campaign=campaign,
                        household_id=h.pk,
                        status=S.CONCERNS,
                        previous_status=S.TALKED,
                        channel=Channel.HOME_VISIT,
                        entered_by_id=who,
                        recorded_at=_at(answer_day, 16),
                        concern_category=category,
                        concern_text=words,
                    )
                )
            elif roll < 0.95:
                events.append(
                    SignoffEvent(
                        campaign=campaign,
                        household_id=h.pk,
                        status=S.REFUSED,
                        previous_status=S.TALKED,
                        channel=Channel.HOME_VISIT,
                        entered_by_id=who,
                        recorded_at=_at(answer_day, 16),
                    )
                )
        SignoffEvent.objects.bulk_create(events, batch_size=2000)
        SignoffContact.objects.bulk_create(contacts, batch_size=2000)
    count = svc.signoff_rebuild_records(campaign=campaign)
    if connection.vendor == "postgresql":
        # Fresh planner statistics after a bulk load: without them PostgreSQL guesses one row
        # per table and the board's rollup takes a nested loop (seconds instead of milliseconds).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE projects_household, projects_signoffrecord, projects_signoffevent")
    ctx.log(f"sign-offs: district campaign over {covered} households ({len(events)} events, {count} records)")
    return campaign


def seed_signoffs(ctx: DemoContext) -> None:
    seed_riser_campaign(ctx)
    if ctx.scale == "district":
        seed_district_campaign(ctx)


register_demo_step(60, "signoffs", seed_signoffs)
