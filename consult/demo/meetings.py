"""Demo step "meetings" (order 30): the meetings of the news reports, at every stage.

At ``scale == "demo"`` it tells the stories of the seeds through the real services, so the
history rows are what staff would have produced: 佳和园's sewage 拉家常 with the water
station, city management, 经发办 and the 21 shops (reported back), its follow-up with an
overdue item for the water station, 清逸园's public toilet council, 上林苑's "我当设计师"
square forum (announced, with RSVPs), 南路一's on-site consultations on the riser tower,
蕴园's monthly joint meetings, 体委小区's parking hearing and 北门's "旧改大家谈" forums.
Places are looked up by their shared names; a missing place is skipped with a log line.

At ``scale == "district"`` every community gets four meetings (reported back, minutes with
open and overdue items, announced, planned) written with one ``bulk_create`` per table.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.demo import DemoContext, register_demo_step
from projects.models import Channel, Community, Compound, Department, Household, HouseholdKind, Membership, Project
from projects.models import Role as MemberRole

from ..models import (
    ActionItem,
    ActionItemStatus,
    ActionItemUpdate,
    Attendance,
    AttendeeKind,
    Meeting,
    MeetingKind,
    MeetingRSVP,
    MeetingStatus,
    MeetingTransition,
    MeetingVote,
)
from ..services.action_items import action_item_create, action_item_set_status
from ..services.meeting_attendance import QuickEntry, attendance_quick_entry, rsvp_say_coming
from ..services.meeting_votes import vote_record
from ..services.meetings import meeting_change_status, meeting_create, meeting_record_minutes, meeting_save_report_back

S = MeetingStatus
K = MeetingKind
DONE, IN_PROGRESS, OPEN = ActionItemStatus.DONE, ActionItemStatus.IN_PROGRESS, ActionItemStatus.OPEN
ORDER = [S.PLANNED, S.ANNOUNCED, S.HELD, S.MINUTED, S.REPORTED]


@dataclass
class Item:
    title: str
    owner: str  # a department name, or "" for the host
    deadline_days: int  # from the meeting day
    status: str = OPEN
    note: str = ""
    details: str = ""


@dataclass
class Vote:
    question: str
    votes_for: int
    against: int
    abstain: int


@dataclass
class Story:
    compound: str
    kind: str
    topic: str
    place: str
    days: int  # from today; negative: in the past
    time: tuple[int, int]
    status: str
    departments: list[str] = field(default_factory=list)
    partners: str = ""
    agenda: str = ""
    building: str = ""
    work_type: str = ""  # link the community's project of this work type, when there is one
    host: str = "demo_staff"
    households: int = 0  # households signed in, drawn from the compound
    shops: bool = False  # sign in every ground-floor shop of the compound
    residents: list[str] = field(default_factory=list)
    walk_ins: int = 0
    rsvps: int = 0
    problems: str = ""
    solutions: str = ""
    decisions: str = ""
    notes: str = ""
    summary: str = ""
    report: str = ""
    votes: list[Vote] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    cancel: str = ""


STORIES = [
    Story(
        compound="佳和园",
        kind=K.CHAT,
        topic="西门底商污水管线问题拉家常",
        place="佳和园西门底商门前",
        days=-150,
        time=(14, 30),
        status=S.REPORTED,
        departments=["旧宫镇水务站", "城管队", "经发办", "社区办"],
        partners="西门21家底商（其中16家餐饮）、1号楼和2号楼楼门长",
        agenda="商户和居民说说污水管线的问题\n水务站介绍管线现状\n商量改造方案和分工",
        work_type="sewage",
        shops=True,
        households=8,
        walk_ins=5,
        problems=(
            "底商污水管线使用年限长，腐蚀老化\n餐饮污水经常堵塞，污水外溢\n夏季异味严重，周边居民叫苦不迭\n"
            "部分餐饮商户没有隔油设施，油污直排管道"
        ),
        solutions=(
            "实施底商污水管线改造，更换污水管线190米\n21家底商每家新装隔油池1座，共21座\n"
            "施工分段进行，尽量不影响商户营业\n城管队配合清理施工区域的占道经营"
        ),
        decisions="同意实施西门底商污水管线改造\n隔油池由商户日常清掏，社区每月检查一次",
        notes="餐馆商户普遍支持，担心施工期间停业；水务站答复分段施工，每段不超过3天。",
        summary=(
            "社区“吹哨”，水务站、城管队、经发办、社区办到佳和园西门实地察看，和21家底商、居民代表一起拉家常。"
            "大家拉出了问题：管线老化、餐饮污水堵塞、夏季异味；也拉出了方案：更换污水管线190米，新装隔油池21座。"
        ),
        report="5月份已完成小区东侧底商污水管线铺设190米，新装隔油池21座，困扰居民多年的堵塞和异味问题已解决。",
        votes=[Vote("同意实施底商污水管线改造方案", 27, 0, 2)],
        items=[
            Item("更换西门底商污水管线190米", "旧宫镇水务站", 75, DONE, "已完工验收"),
            Item("协调21家商户安装隔油池", "经发办", 60, DONE, "21座已全部安装"),
            Item("清理施工区域占道经营", "城管队", 20, DONE, "已清理"),
            Item("施工期间每周向商户和居民通报进度", "", 90, DONE, "共通报12次"),
        ],
    ),
    Story(
        compound="佳和园",
        kind=K.FORUM,
        topic="污水管线改造后夏季回访座谈会",
        place="佳和园社区活动室",
        days=-12,
        time=(9, 30),
        status=S.MINUTED,
        departments=["旧宫镇水务站", "城管队"],
        partners="16家餐饮商户代表",
        agenda="回访改造效果\n隔油池清掏情况\n汛期排水准备",
        work_type="sewage",
        shops=True,
        households=5,
        problems="个别隔油池清掏不及时\n雨季前检查井需要疏通",
        solutions="水务站汛期前疏通检查井\n社区每月检查隔油池清掏记录",
        decisions="建立隔油池清掏台账，商户每月登记",
        summary="回访改造效果：堵塞和异味明显减少。汛期前将疏通检查井，隔油池按月清掏并登记。",
        items=[
            Item("汛期前疏通西门检查井", "旧宫镇水务站", 9, IN_PROGRESS, "已疏通一半"),
            Item("回访16家餐饮商户隔油池清掏情况", "", 19),
            Item("建立隔油池清掏登记台账", "经发办", 30),
        ],
    ),
    Story(
        compound="清逸园",
        kind=K.COUNCIL,
        topic="小广场公厕改造楼门长议事会",
        place="清逸园社区议事厅",
        days=-200,
        time=(15, 0),
        status=S.REPORTED,
        departments=["城管队", "社区办"],
        partners="各楼楼门长、居民代表",
        agenda="楼门长反映居民诉求\n社区汇报公厕改造进度\n商量改造方案",
        work_type="public_toilet",
        households=14,
        walk_ins=3,
        problems="小广场旁公厕建成30多年，天一热就有恶臭\n苍蝇蚊子多，定期打扫解决不了根本问题\n老人如厕不方便，没有扶手",
        solutions="公厕整体改造：更换化粪设施，增加通风除臭\n增设无障碍厕位和扶手\n改造期间在广场设临时厕所",
        decisions="5月底前完成公厕改造\n改造后由物业每日保洁两次",
        summary="楼门长反映居民诉求，社区汇报进度，大家商定对小广场公厕整体改造，增设无障碍厕位。",
        report="今年5月，公厕改造工作全部完成，异味问题解决，新增无障碍厕位和扶手。",
        votes=[Vote("同意公厕整体改造方案", 31, 1, 2)],
        items=[
            Item("公厕整体改造施工", "社区办", 60, DONE, "已完工"),
            Item("改造期间设置临时厕所", "城管队", 10, DONE, "已设置"),
        ],
    ),
    Story(
        compound="上林苑",
        kind=K.CHAT,
        topic="活动广场改造需求拉家常",
        place="上林苑活动广场",
        days=-30,
        time=(9, 0),
        status=S.MINUTED,
        departments=["设计单位", "社区办"],
        partners="老年人代表、楼门长",
        agenda="广场现状\n老人们想要什么\n怎么一起建、一起管",
        work_type="square",
        households=22,
        residents=["晨练队代表", "舞蹈队代表"],
        walk_ins=8,
        problems="500多平米活动广场常年荒废\n缺少座椅和遮阳\n地面不平，老人容易摔倒",
        solutions="广场重建，分为健身区、休闲区和儿童区\n铺设防滑地面，增加座椅和廊亭\n开展“我当设计师”活动，由居民提出设计构想",
        decisions="开展“我当设计师”活动\n设计单位据此出三套方案供居民选择",
        notes="很多老人不用智能手机，意见都是当面收集的。",
        summary="老人们希望广场有座椅、遮阳和防滑地面。社区将开展“我当设计师”活动，设计单位据此出三套方案供大家选择。",
        votes=[Vote("同意开展“我当设计师”活动", 38, 0, 4)],
        items=[
            Item("根据居民构想出三套广场设计方案", "设计单位", 35, IN_PROGRESS),
            Item("入户征求行动不便老人的意见", "", 27, IN_PROGRESS, "已走访18户"),
        ],
    ),
    Story(
        compound="上林苑",
        kind=K.FORUM,
        topic="“我当设计师”活动广场设计方案座谈会",
        place="上林苑活动广场（雨天改在社区活动室）",
        days=2,
        time=(9, 30),
        status=S.ANNOUNCED,
        departments=["设计单位"],
        partners="老年人代表、楼门长、业委会",
        agenda="设计单位介绍三套方案\n居民提意见\n举手表决选出方案",
        work_type="square",
        rsvps=16,
    ),
    Story(
        compound="南路一",
        kind=K.ON_SITE,
        topic="5号楼1单元上下水改造现场协商会",
        place="南路一5号楼1单元门前",
        days=-14,
        time=(18, 30),
        status=S.MINUTED,
        building="5号楼",
        departments=["物业公司", "设计单位", "施工单位"],
        partners="施工单位、物业公司、居民代表",
        agenda="施工单位介绍改造内容和材料\n居民说顾虑\n商量施工期间的生活保障",
        work_type="water_pipes",
        host="nly_staff",
        households=12,
        problems=(
            "“我们家刚装修完，再给我刨了，我可不干”\n“厨房橱柜、卫生间洁具都是新的，弄坏了咋整”\n"
            "“改造期间没水，老人卧病在床怎么办”\n同一立管的32户需全部签字才能开工，目前2户未签"
        ),
        solutions=(
            "施工单位在小区设办公室，接待咨询、介绍材料\n每户施工现场做临时防护，损坏照价修复\n"
            "设置临时卫生间、取水点和淋浴间\n卧床老人家庭优先施工、当天恢复供水"
        ),
        decisions="社区和楼门长再次上门沟通未签字住户\n施工方案按协商结果调整",
        summary="居民说出对装修、家具和停水的顾虑，施工单位承诺临时防护、照价修复，并设置临时卫生间、取水点和淋浴间。",
        items=[
            Item("在5号楼旁设置临时卫生间、取水点和淋浴间", "施工单位", 7, DONE, "已设置"),
            Item("再次上门沟通2户未签字住户", "", 10, IN_PROGRESS, "已上门3次"),
            Item("排查5号楼漏水隐患", "物业公司", 12),
        ],
    ),
    Story(
        compound="南路一",
        kind=K.ON_SITE,
        topic="5号楼1单元上下水改造第二次现场协商会",
        place="南路一5号楼1单元门前",
        days=6,
        time=(18, 30),
        status=S.PLANNED,
        building="5号楼",
        departments=["施工单位"],
        agenda="通报签字进度\n下水支管走向的邻里分歧调解",
        work_type="water_pipes",
        host="nly_staff",
    ),
    Story(
        compound="蕴园",
        kind=K.JOINT,
        topic="蕴园小区月度联席会议",
        place="蕴园党群服务站",
        days=-29,
        time=(15, 0),
        status=S.REPORTED,
        partners="小区党支部、业委会、物业公司、居民纠纷化解队",
        agenda="听诉求、解心结\n1号楼电梯运行情况\n停车位规划",
        households=9,
        problems="1号楼电梯运行噪音\n晚间停车占用消防通道",
        solutions="物业联系电梯维保单位检修\n规划停车位，消防通道划线",
        decisions="物业两周内完成电梯检修",
        summary="联席会议听取居民诉求：电梯噪音由物业联系维保检修，消防通道划线、规划停车位。",
        report="1号楼电梯已检修，噪音消除；消防通道已划线。",
        items=[
            Item("联系维保单位检修1号楼电梯", "", 14, DONE, "已检修"),
            Item("消防通道划线", "", 20, DONE, "已完成"),
        ],
    ),
    Story(
        compound="蕴园",
        kind=K.JOINT,
        topic="蕴园小区月度联席会议",
        place="蕴园党群服务站",
        days=1,
        time=(15, 0),
        status=S.ANNOUNCED,
        partners="小区党支部、业委会、物业公司、居民纠纷化解队",
        agenda="上月事项办理情况\n居民诉求",
        rsvps=4,
    ),
    Story(
        compound="体委小区",
        kind=K.HEARING,
        topic="小区停车管理听证会",
        place="体委小区居民物管会活动室",
        days=-60,
        time=(19, 0),
        status=S.REPORTED,
        partners="居民物管会、市体育运动学校（产权单位）",
        agenda="停车位扩容方案\n蓝牙升降杆费用分摊",
        work_type="parking",
        households=26,
        problems="车位只有20个，停车难\n外来车辆随意停放",
        solutions="车位从20个扩展到60个\n车主出资安装蓝牙升降杆",
        decisions="由居民物管会负责停车管理",
        summary="听证会上居民同意扩建车位并安装蓝牙升降杆，费用由车主分摊，物管会负责日常管理。",
        report="车位已从20个扩展到60个，蓝牙升降杆已安装使用。",
        votes=[Vote("同意停车位扩容和升降杆费用分摊方案", 41, 3, 5)],
        items=[Item("扩建停车位至60个", "", 45, DONE, "已完成")],
    ),
    Story(
        compound="北门东院",
        kind=K.FORUM,
        topic="“旧改大家谈”东院座谈会",
        place="北门社区政务服务中心一楼",
        days=-90,
        time=(9, 0),
        status=S.REPORTED,
        partners="党员代表、楼门长",
        agenda="改什么、怎么改\n愿望清单填写",
        households=35,
        walk_ins=6,
        problems="道路窄、停车难\n管线老化\n公共活动空间少、健身设施陈旧",
        solutions="新增停车位和电动车充电车棚\n改造管线\n原换热站位置建健身休闲广场",
        decisions="将停车、充电、广场纳入改造方案",
        summary="东院居民提出停车难、管线老化、活动空间少等问题，建议纳入改造方案。",
        report="新增停车位和智能充电车棚已建成，健身休闲广场已投入使用。",
        items=[Item("将居民意见整理进改造方案", "", 14, DONE, "已纳入")],
    ),
    Story(
        compound="北门西院",
        kind=K.FORUM,
        topic="“旧改大家谈”西院座谈会",
        place="北门社区政务服务中心一楼",
        days=9,
        time=(9, 0),
        status=S.CANCELLED,
        agenda="适老化改造需求",
        cancel="与街道集中培训时间冲突，改期另行通知。",
    ),
    Story(
        compound="北门南院",
        kind=K.FORUM,
        topic="“旧改大家谈”南院座谈会",
        place="北门南院小广场",
        days=4,
        time=(9, 0),
        status=S.ANNOUNCED,
        agenda="适老化改造需求\n日间照料中心服务",
        rsvps=12,
    ),
]


def _local(ctx: DemoContext, days: int, hour: int, minute: int) -> datetime.datetime:
    day = timezone.localtime(ctx.now) + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def seed_meetings(ctx: DemoContext) -> None:
    if Meeting.objects.exists():
        ctx.log("meetings: already present, skipped")
        return
    if ctx.scale == "district":
        _seed_district(ctx)
        return
    for story in STORIES:
        compound = Compound.objects.select_related("community__sub_district").filter(name=story.compound).first()
        if compound is None:
            ctx.log(f"meetings: no compound {story.compound}, skipped “{story.topic}”")
            continue
        host = _user(story.host) or _user("demo_staff")
        if host is None:
            ctx.log("meetings: no demo staff account, skipped")
            return
        _tell(ctx, story, compound, host)
    ctx.log(f"meetings: {Meeting.objects.count()} meetings, {ActionItem.objects.count()} action items")


def _tell(ctx: DemoContext, story: Story, compound: Compound, host) -> Meeting:
    community = compound.community
    starts_at = _local(ctx, story.days, *story.time)
    departments = {
        d.name: d
        for d in Department.objects.filter(sub_district_id=community.sub_district_id, name__in=story.departments)
    }
    project = (
        Project.objects.filter(community=community, work_type=story.work_type).order_by("pk").first()
        if story.work_type
        else None
    )
    building = compound.buildings.filter(name=story.building).first() if story.building else None
    note_taker = _user("demo_staff") or host
    created = min(starts_at - datetime.timedelta(days=5), ctx.now)
    meeting = meeting_create(
        community=community,
        data={
            "compound": compound,
            "building": building,
            "project": project,
            "kind": story.kind,
            "topic": story.topic,
            "starts_at": starts_at,
            "place": story.place,
            "host": host,
            "note_taker": note_taker,
            "partners": story.partners,
            "agenda": story.agenda,
        },
        invited_departments=list(departments.values()),
        by=host,
        now=created,
    )
    target = ORDER.index(story.status) if story.status in ORDER else 0
    if story.status == S.CANCELLED or target >= 1:
        announce_at = min(starts_at - datetime.timedelta(days=3), ctx.now)
        meeting_change_status(meeting=meeting, to_status=S.ANNOUNCED, by=host, now=announce_at)
        _rsvps(ctx, meeting, compound, story.rsvps, host, announce_at)
    if story.status == S.CANCELLED:
        meeting_change_status(meeting=meeting, to_status=S.CANCELLED, by=host, note=story.cancel, now=ctx.now)
        return meeting
    if target < ORDER.index(S.HELD):
        return meeting
    held_at = starts_at + datetime.timedelta(minutes=10)
    meeting_change_status(meeting=meeting, to_status=S.HELD, by=host, now=held_at)
    _attendance(ctx, meeting, compound, story, departments.values(), host, held_at)
    after = starts_at + datetime.timedelta(hours=2)
    meeting_record_minutes(
        meeting=meeting,
        data={
            "problems": story.problems,
            "solutions": story.solutions,
            "decisions": story.decisions,
            "discussion_notes": story.notes,
            "public_summary": story.summary,
        },
        by=note_taker,
    )
    for vote in story.votes:
        vote_record(
            meeting=meeting,
            question=vote.question,
            votes_for=vote.votes_for,
            votes_against=vote.against,
            abstentions=vote.abstain,
            by=note_taker,
            now=after,
        )
    meeting_day = timezone.localdate(starts_at)
    for spec in story.items:
        department = departments.get(spec.owner)
        if spec.owner and department is None:
            department = Department.objects.filter(sub_district_id=community.sub_district_id, name=spec.owner).first()
        item = action_item_create(
            meeting=meeting,
            title=spec.title,
            details=spec.details,
            deadline=meeting_day + datetime.timedelta(days=spec.deadline_days),
            owner_department=department,
            owner_user=None if department else host,
            by=host,
            now=after,
        )
        if spec.status != OPEN:
            closed = min(after + datetime.timedelta(days=max(1, spec.deadline_days - 3)), ctx.now)
            if spec.status == DONE:
                action_item_set_status(
                    item=item, to_status=IN_PROGRESS, by=host, now=after + datetime.timedelta(days=1)
                )
            action_item_set_status(item=item, to_status=spec.status, by=host, note=spec.note, now=closed)
    if target >= ORDER.index(S.MINUTED):
        meeting_change_status(meeting=meeting, to_status=S.MINUTED, by=note_taker, now=after)
    if target >= ORDER.index(S.REPORTED):
        last_item = max([starts_at + datetime.timedelta(days=i.deadline_days - 3) for i in story.items] or [after])
        meeting_save_report_back(
            meeting=meeting,
            text=story.report,
            by=host,
            publish=True,
            now=min(last_item + datetime.timedelta(days=2), ctx.now),
        )
    return meeting


def _area(compound: Compound, building_name: str = ""):
    qs = Household.objects.filter(unit__building__compound=compound)
    if building_name:
        qs = qs.filter(unit__building__name=building_name)
    return qs


def _rsvps(ctx, meeting, compound, count, host, when) -> None:
    if not count:
        return
    ids = list(_area(compound, meeting.building.name if meeting.building else "").values_list("pk", flat=True))
    channels = [Channel.ONLINE, Channel.PHONE, Channel.BUILDING_HEAD, Channel.ONLINE, Channel.HOME_VISIT]
    for n, pk in enumerate(ctx.rng.sample(ids, min(count, len(ids)))):
        channel = channels[n % len(channels)]
        rsvp_say_coming(
            meeting=meeting,
            household=Household.objects.select_related("unit__building__compound").get(pk=pk),
            people=1 + (n % 3 == 0),
            channel=channel,
            by=None if channel == Channel.ONLINE else host,
            now=when + datetime.timedelta(hours=n),
        )


def _attendance(ctx, meeting, compound, story, departments, host, when) -> None:
    households = []
    if story.shops:
        households += list(_area(compound).filter(kind=HouseholdKind.SHOP).values_list("pk", flat=True))
    if story.households:
        residential = _area(compound, story.building).filter(kind=HouseholdKind.RESIDENTIAL)
        ids = list(residential.values_list("pk", flat=True))
        households += ctx.rng.sample(ids, min(story.households, len(ids)))
    staff_names = [host.get_full_name() or host.username]
    entry = QuickEntry(
        households=[(pk, 1 + (ctx.rng.random() < 0.2)) for pk in households],
        residents=[(name, 1) for name in story.residents],
        staff=[(name, 1) for name in staff_names],
        departments=list(departments),
        walk_ins=story.walk_ins,
    )
    attendance_quick_entry(meeting=meeting, entry=entry, by=host, now=when)


# --- district scale: bulk ---------------------------------------------------------------


def _seed_district(ctx: DemoContext) -> None:
    """Four meetings per community, one ``bulk_create`` per table."""
    User = get_user_model()
    staff_by_community: dict[int, object] = {}
    for m in Membership.objects.filter(role__in=[MemberRole.ADMIN, MemberRole.STAFF]).select_related("user"):
        staff_by_community.setdefault(m.community_id, m.user)
    fallback = User.objects.filter(is_superuser=True).first()
    households: dict[int, list[tuple[int, int]]] = {}
    for pk, community_id, compound_id in Household.objects.values_list(
        "pk", "unit__building__compound__community_id", "unit__building__compound_id"
    ):
        households.setdefault(community_id, []).append((pk, compound_id))
    departments: dict[int, list[Department]] = {}
    for department in Department.objects.all():
        departments.setdefault(department.sub_district_id, []).append(department)
    plan = [  # (days from today, status, kind, topic)
        (-90, S.REPORTED, K.CHAT, "楼道和管线问题拉家常"),
        (-20, S.MINUTED, K.COUNCIL, "改造方案居民议事会"),
        (3, S.ANNOUNCED, K.FORUM, "改造内容座谈会"),
        (10, S.PLANNED, K.JOINT, "月度联席会议"),
    ]
    communities = list(Community.objects.all())
    meetings, info = [], []
    for community in communities:
        host = staff_by_community.get(community.pk) or fallback
        rows = households.get(community.pk, [])
        compound_id = rows[0][1] if rows else None
        for days, status, kind, topic in plan:
            starts_at = _local(ctx, days, 9, 30)
            meetings.append(
                Meeting(
                    community=community,
                    compound_id=compound_id,
                    kind=kind,
                    topic=f"{community.name}{topic}",
                    starts_at=starts_at,
                    place=f"{community.name}活动室",
                    host=host,
                    note_taker=host,
                    status=status,
                    agenda="居民说问题\n商量办法",
                    problems="楼道照明不足\n雨水管堵塞" if status in (S.MINUTED, S.REPORTED) else "",
                    solutions="更换楼道灯\n疏通雨水管" if status in (S.MINUTED, S.REPORTED) else "",
                    public_summary="居民反映楼道照明和雨水管问题，商定更换灯具、疏通管道。"
                    if status in (S.MINUTED, S.REPORTED)
                    else "",
                    report_back="楼道灯已更换，雨水管已疏通。" if status == S.REPORTED else "",
                    announced_at=starts_at - datetime.timedelta(days=3) if status != S.PLANNED else None,
                    reported_at=starts_at + datetime.timedelta(days=30) if status == S.REPORTED else None,
                )
            )
            info.append((community, host, rows, status, starts_at))
    Meeting.objects.bulk_create(meetings)
    transitions, attendance, items, votes, rsvps = [], [], [], [], []
    for meeting, (community, host, rows, status, starts_at) in zip(meetings, info, strict=True):
        previous = ""
        for step in ORDER[: ORDER.index(status) + 1]:
            transitions.append(
                MeetingTransition(
                    meeting=meeting,
                    from_status=previous,
                    to_status=step,
                    changed_by=host,
                    changed_at=min(starts_at + datetime.timedelta(hours=ORDER.index(step)), ctx.now),
                )
            )
            previous = step
        sample = ctx.rng.sample(rows, min(20, len(rows)))
        if status in (S.MINUTED, S.REPORTED):
            attendance += [
                Attendance(
                    meeting=meeting,
                    kind=AttendeeKind.HOUSEHOLD,
                    household_id=pk,
                    headcount=1,
                    recorded_by=host,
                    recorded_at=starts_at,
                )
                for pk, _compound in sample
            ]
            attendance.append(
                Attendance(
                    meeting=meeting, kind=AttendeeKind.WALK_IN, headcount=4, recorded_by=host, recorded_at=starts_at
                )
            )
            votes.append(
                MeetingVote(
                    meeting=meeting,
                    question="同意更换楼道灯和疏通雨水管",
                    votes_for=18,
                    votes_against=1,
                    abstentions=2,
                    recorded_by=host,
                    recorded_at=starts_at,
                )
            )
            department = (departments.get(community.sub_district_id) or [None])[0]
            for n, (title, days_due) in enumerate((("更换楼道灯", 14), ("疏通雨水管", 7), ("回访居民满意度", 30))):
                closed = status == S.REPORTED
                owner_department = department if n == 1 else None
                items.append(
                    ActionItem(
                        meeting=meeting,
                        title=title,
                        owner_user=None if owner_department else host,
                        owner_department=owner_department,
                        deadline=timezone.localdate(starts_at) + datetime.timedelta(days=days_due),
                        status=DONE if closed else OPEN,
                        closed_at=starts_at + datetime.timedelta(days=days_due) if closed else None,
                        created_by=host,
                        created_at=starts_at,
                        updated_at=starts_at,
                    )
                )
        if status == S.ANNOUNCED:
            rsvps += [
                MeetingRSVP(meeting=meeting, household_id=pk, channel=Channel.ONLINE, created_at=ctx.now)
                for pk, _compound in sample[:10]
            ]
    MeetingTransition.objects.bulk_create(transitions)
    Attendance.objects.bulk_create(attendance)
    MeetingVote.objects.bulk_create(votes)
    MeetingRSVP.objects.bulk_create(rsvps)
    ActionItem.objects.bulk_create(items)
    ActionItemUpdate.objects.bulk_create(
        [ActionItemUpdate(item=i, from_status="", to_status=OPEN, by=i.created_by, at=i.created_at) for i in items]
        + [
            ActionItemUpdate(item=i, from_status=OPEN, to_status=DONE, by=i.created_by, at=i.closed_at)
            for i in items
            if i.status == DONE
        ]
    )
    ctx.log(f"meetings: {len(meetings)} meetings in {len(communities)} communities, {len(items)} action items")


register_demo_step(30, "meetings", seed_meetings)
