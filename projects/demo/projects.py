"""Demo step "projects" (order 20): renovation projects in every stage, from the news reports.

At ``scale == "demo"`` the named compounds get the projects the seeds describe:
- 佳和园: the sewage pipes of the 21 shops by the west gate (190 m of pipe, 21 grease traps),
  done and being evaluated, with 12345 complaints, the acceptance and satisfaction answers;
- 清逸园: the 30-year-old public toilet by the small square, completed;
- 上林苑: rebuilding the abandoned 500 m² square, under construction;
- 南路一: water and drain pipes (上下水) of the 32-household riser 5号楼1单元, in the consent stage;
- 蕴园: elevators for 3号楼3单元 (completed), 1号楼 (in evaluation) and 2号楼 (public notice,
  held back from construction until its ballot's notice ends and its objection is answered);
- 体委小区: parking from 20 to 60 spaces (completed) and charging posts (design);
- 北门: the elderly-friendly square, the 5G smart community, the charging shed and more.

Every place is looked up by its shared name; a missing place is skipped, so the step also
runs on partial registries. At ``scale == "district"`` every compound gets a few projects,
written with one ``bulk_create`` per table.

Leaves ``ctx.data["projects"]``: {key: Project} for later steps (e.g. "nanluyi_water_pipes").
"""

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from ..demo import DemoContext, register_demo_step
from ..models import (
    AcceptanceRecord,
    Building,
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintSource,
    ComplaintStatus,
    Compound,
    Department,
    FundingSource,
    Household,
    Membership,
    PhotoPhase,
    ProgressItem,
    Project,
    ProjectClass,
    ProjectFirm,
    Role,
    SatisfactionChange,
    SatisfactionResponse,
    ScopeAction,
    ScopeEvent,
    Stage,
    StageTransition,
    TimelineEntry,
    TimelinePhoto,
    Unit,
    WorkType,
    default_ballot_requirement,
)
from ..selectors.scope import affected_households

STAGES = list(Stage)


@dataclass
class Entry:
    days_ago: int
    title: str
    body: str = ""
    photos: tuple[str, ...] = ()  # phases


@dataclass
class Plan:
    key: str
    compound: str
    title: str
    description: str
    project_class: str
    work_type: str
    stage: str
    days_per_stage: int  # days spent in each past stage, so the history has real dates
    scope_buildings: tuple[str, ...] = ()
    scope_units: tuple[tuple[str, str], ...] = ()
    whole_compounds: tuple[str, ...] = ()
    items: tuple[tuple[str, str, str, str], ...] = ()  # name, unit, target, done
    funding: tuple[tuple[str, str, str], ...] = ()  # kind, amount, note
    firms: tuple[tuple[str, str], ...] = ()  # role, name
    departments: tuple[str, ...] = ()
    timeline: tuple[Entry, ...] = ()
    complaints: tuple[
        tuple[str, str, str, int, int | None], ...
    ] = ()  # source, ref, summary, days ago, hours to resolve
    acceptance: tuple[str, str, str] | None = None  # participants, representatives, findings
    responses: tuple[int, ...] = ()  # scores, one per household sampled
    planned_end_in_days: int | None = None


JIUGONG_DEPTS = ("旧宫镇水务站", "经发办", "社区办", "城管队")

PLANS = [
    Plan(
        key="jiaheyuan_sewage",
        compound="佳和园",
        title="佳和园西门底商污水管线改造",
        description=(
            "西门21家底商（其中16家餐饮）共用的污水管线建成年代早、腐蚀老化，餐饮污水经常堵塞，"
            "夏季异味严重。社区“吹哨”后，水务站、经发办、社区办、城管队到现场和商户“拉家常”，"
            "拉出了方案：重新铺设东侧底商污水管线，每户新装隔油池。"
        ),
        project_class=ProjectClass.BASIC,
        work_type=WorkType.SEWAGE,
        stage=Stage.EVALUATION,
        days_per_stage=18,
        scope_units=(("1号楼", "底商"), ("2号楼", "底商")),
        items=(("污水管线铺设", "米", "190", "190"), ("隔油池安装", "个", "21", "21")),
        funding=(("government", "380000", "镇级老旧小区改造资金"), ("residents", "42000", "商户自筹隔油池")),
        firms=(("design", "北京京南市政设计院"), ("construction", "北京兴旧宫市政工程有限公司")),
        departments=JIUGONG_DEPTS,
        timeline=(
            Entry(
                120,
                "“拉家常”：商户和职能部门一起拉出问题",
                "社区吹哨，水务站、经发办、社区办、城管队到西门现场察看。",
                ("before",),
            ),
            Entry(75, "开工：东侧底商污水管线铺设", "施工期间保留店铺出入口，夜间不施工。", ("during",)),
            Entry(50, "190米污水管线铺设完成", "", ("during", "after")),
            Entry(40, "21座隔油池全部安装完成", "16家餐饮商铺全部接入隔油池。", ("after",)),
        ),
        complaints=(
            (ComplaintSource.HOTLINE, "12345-2105-0317", "夜间施工噪音影响休息", 70, 30),
            (ComplaintSource.HOTLINE, "12345-2105-0422", "施工围挡挡住店铺门口，影响营业", 64, 52),
            (ComplaintSource.PHONE, "", "管线接口处仍有异味", 45, 96),
            (ComplaintSource.VISIT, "", "路面恢复不平，老人走路容易绊倒", 20, None),
        ),
        acceptance=(
            "旧宫镇水务站\n社区居委会\n施工单位\n设计单位",
            "商户代表 3 名\n居民代表 2 名",
            "190米管线通水试验合格，21座隔油池运行正常；西门路面有两处需修补，已要求施工单位一周内完成。",
        ),
        responses=(5, 5, 5, 4, 5, 4, 4, 5, 3, 5, 5, 4, 5, 2, 5),
    ),
    Plan(
        key="qingyiyuan_toilet",
        compound="清逸园",
        title="清逸园小广场公厕改造",
        description="小广场旁建成30多年的公厕，夏天异味大、蚊蝇多。社区和楼门长“拉家常”商定翻建方案。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.PUBLIC_TOILET,
        stage=Stage.COMPLETED,
        days_per_stage=20,
        whole_compounds=("清逸园",),
        items=(("公厕翻建", "座", "1", "1"), ("无障碍扶手", "处", "6", "6"), ("除臭新风设备", "套", "2", "2")),
        funding=(("government", "260000", "镇级资金"),),
        firms=(("construction", "北京清逸建筑工程有限公司"),),
        departments=("城管队", "社区办"),
        timeline=(
            Entry(150, "楼门长“拉家常”反映公厕问题", "", ("before",)),
            Entry(110, "公厕翻建开工", "施工期间在小广场东侧设临时厕所。", ("during",)),
            Entry(80, "公厕改造全部完成", "新增无障碍扶手和除臭设备。", ("after",)),
        ),
        acceptance=(
            "社区居委会\n城管队\n施工单位",
            "楼门长代表 4 名",
            "公厕主体、无障碍设施、除臭设备验收合格。",
        ),
        responses=(5,) * 24 + (4,) * 9 + (3, 3, 2),
    ),
    Plan(
        key="shanglinyuan_square",
        compound="上林苑",
        title="上林苑500平方米活动广场重建",
        description="小区一处500多平方米的活动广场常年荒废。老人们面对面提出需求：平整地面、座椅、健身器材和遮阳。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.SQUARE,
        stage=Stage.CONSTRUCTION,
        days_per_stage=25,
        whole_compounds=("上林苑",),
        items=(
            ("广场铺装", "平方米", "500", "320"),
            ("休闲座椅", "个", "12", "6"),
            ("健身器材", "套", "10", "4"),
            ("遮阳廊架", "座", "1", "0"),
        ),
        funding=(("government", "450000", "老旧小区改造资金"), ("maintenance_fund", "60000", "")),
        firms=(("design", "北京上林景观设计有限公司"), ("construction", "北京旧宫园林工程有限公司")),
        departments=("社区办",),
        timeline=(
            Entry(60, "施工前：荒废的广场", "", ("before",)),
            Entry(20, "广场铺装过半", "已完成320平方米防滑铺装。", ("during",)),
        ),
        complaints=((ComplaintSource.VISIT, "", "施工扬尘大，晾晒衣物受影响", 6, None),),
        planned_end_in_days=30,
    ),
    Plan(
        key="nanluyi_water_pipes",
        compound="南路一",
        title="南路一上下水改造",
        description=(
            "楼内上下水管道腐朽老化。同一立管上的住户须全部签字同意后才能施工；"
            "施工期间设临时卫生间、取水点和淋浴间，优先保障独居老人用水。"
        ),
        project_class=ProjectClass.BASIC,
        work_type=WorkType.WATER_PIPES,
        stage=Stage.CONSENT,
        days_per_stage=30,
        scope_units=(("5号楼", "1单元"),),
        items=(("上水立管更换", "根", "2", "0"), ("下水立管更换", "根", "2", "0"), ("入户支管改造", "户", "32", "0")),
        funding=(("government", "1200000", "区级老旧小区改造资金"),),
        firms=(("design", "设计单位"), ("construction", "施工单位")),
        timeline=(Entry(40, "入户走访：征集上下水改造意愿", "社区工作人员入户上门、电话沟通。"),),
        planned_end_in_days=150,
    ),
    Plan(
        key="yunyuan_elevator_3",
        compound="蕴园",
        title="蕴园3号楼3单元加装电梯",
        description="蕴园第一部加装电梯。电梯间两侧采用轻质墙体，增设外悬挑窗和防护栏杆。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.ELEVATOR,
        stage=Stage.COMPLETED,
        days_per_stage=40,
        scope_units=(("3号楼", "3单元"),),
        items=(("电梯安装", "部", "1", "1"),),
        funding=(("government", "300000", "加装电梯补贴"), ("residents", "180000", "按楼层分摊")),
        firms=(("construction", "阳泉市电梯安装有限公司"),),
        timeline=(Entry(320, "3号楼3单元电梯启用", "", ("after",)),),
        acceptance=("社区党委\n业委会\n物业公司\n电梯安装单位", "单元居民代表 3 名", "电梯运行、安全检测合格。"),
        responses=(5, 5, 5, 5, 4, 5, 4, 5, 5, 3, 5, 5),
    ),
    Plan(
        key="yunyuan_elevator_1",
        compound="蕴园",
        title="蕴园1号楼加装电梯",
        description="在3号楼3单元之后，1号楼也加装电梯。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.ELEVATOR,
        stage=Stage.EVALUATION,
        days_per_stage=35,
        scope_buildings=("1号楼",),
        items=(("电梯安装", "部", "2", "2"),),
        funding=(("government", "600000", "加装电梯补贴"), ("residents", "320000", "按楼层分摊")),
        firms=(("construction", "阳泉市电梯安装有限公司"),),
        timeline=(Entry(30, "1号楼电梯正式启用", "", ("after",)),),
        acceptance=("社区党委\n业委会\n物业公司", "居民代表 2 名", "两部电梯验收合格。"),
        responses=(5, 4, 5, 4, 5, 3, 5),
    ),
    Plan(
        key="yunyuan_elevator_2",
        compound="蕴园",
        title="蕴园2号楼加装电梯",
        description="1号楼之后，2号楼三个单元也申请加装电梯。业主表决已通过，结果正在公示；公示期满、异议答复完毕后方可施工。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.ELEVATOR,
        stage=Stage.NOTICE,
        days_per_stage=20,
        scope_buildings=("2号楼",),
        items=(("电梯安装", "部", "3", "0"),),
        funding=(("government", "900000", "加装电梯补贴"), ("residents", "480000", "按楼层分摊")),
        firms=(("construction", "阳泉市电梯安装有限公司"),),
        planned_end_in_days=240,
    ),
    Plan(
        key="tiwei_parking",
        compound="体委小区",
        title="体委小区停车位扩建（20个增至60个）",
        description="居民物管会从停车管理入手，车位由20个扩展到60个，车主出资安装蓝牙升降杆。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.PARKING,
        stage=Stage.COMPLETED,
        days_per_stage=30,
        whole_compounds=("体委小区",),
        items=(("新增停车位", "个", "40", "40"), ("蓝牙升降杆", "套", "1", "1")),
        funding=(("residents", "36000", "车主出资"),),
        acceptance=("中心广场社区\n居民物管会", "车主代表 3 名", "车位划线、升降杆运行正常。"),
        responses=(5, 5, 4, 4, 5, 5, 3, 5, 4, 5),
    ),
    Plan(
        key="tiwei_charging",
        compound="体委小区",
        title="体委小区增设电动车充电桩",
        description="居民在“三事四协商”中提出增设充电桩，正在设计选址。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.CHARGING,
        stage=Stage.DESIGN,
        days_per_stage=20,
        whole_compounds=("体委小区",),
    ),
    Plan(
        key="beimen_elderly_square",
        compound="北门东院",
        title="北门社区适老化改造：健身休闲广场",
        description="原换热站和小型广场改建为健身休闲广场：中式廊亭、木质座椅、防滑地面。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.ELDERLY,
        stage=Stage.COMPLETED,
        days_per_stage=30,
        whole_compounds=("北门东院", "北门西院", "北门南院"),
        items=(("防滑地面", "平方米", "1200", "1200"), ("廊亭", "座", "1", "1"), ("木质座椅", "个", "20", "20")),
        funding=(("government", "900000", "市级老旧小区改造资金"),),
        acceptance=("北门社区党委\n住建部门\n施工单位", "居民代表 5 名", "广场设施齐全，验收合格。"),
        responses=(5,) * 30 + (4,) * 8 + (3, 2),
    ),
    Plan(
        key="beimen_5g",
        compound="北门东院",
        title="5G智慧社区建设（7大项43小项）",
        description="借老旧小区改造打造5G智慧社区，垃圾桶满溢、占用消防通道等可自动监测报警。",
        project_class=ProjectClass.UPGRADE,
        work_type=WorkType.OTHER,
        stage=Stage.CONSTRUCTION,
        days_per_stage=45,
        whole_compounds=("北门东院", "北门西院", "北门南院"),
        items=(("服务内容上线", "项", "43", "31"), ("监测摄像头", "个", "60", "48")),
        funding=(("government", "1500000", ""), ("social_capital", "500000", "运营商投资")),
        planned_end_in_days=-10,
    ),
    Plan(
        key="beimen_charging",
        compound="北门西院",
        title="电动车智能充电车棚",
        description="新搭建的电动车智能充电车棚，解决充电安全问题。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.CHARGING,
        stage=Stage.ACCEPTANCE,
        days_per_stage=25,
        whole_compounds=("北门西院",),
        items=(("充电车棚", "座", "3", "3"), ("充电口", "个", "120", "120")),
    ),
    Plan(
        key="beimen_parking",
        compound="北门南院",
        title="北门南院新增停车位",
        description="“旧改大家谈”微信群和1400份调查表中，停车难排在前列。",
        project_class=ProjectClass.IMPROVEMENT,
        work_type=WorkType.PARKING,
        stage=Stage.NEEDS,
        days_per_stage=15,
        whole_compounds=("北门南院",),
    ),
]

PHASE_COLOURS = {"before": (120, 100, 80), "during": (200, 140, 40), "after": (60, 150, 90)}


def _demo_photo(phase: str, n: int) -> ContentFile:
    """A small generated picture standing in for a site photo (no camera, no EXIF)."""
    image = Image.new("RGB", (640, 420), PHASE_COLOURS[phase])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(90, 90, 90))
    for i in range(4):
        x = 40 + i * 150 + n * 7 % 30
        draw.rectangle((x, 120, x + 90, 300), fill=(230, 230, 220), outline=(40, 40, 40), width=3)
    if phase != "before":
        draw.rectangle((0, 330, 640, 350), fill=(30, 90, 160))  # the new pipe
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{phase}-{n}.jpg")


def _staff_for(community) -> object | None:
    user = get_user_model().objects.filter(username="demo_staff").first()
    if user is not None:
        return user
    membership = (
        Membership.objects.filter(community=community, role__in=[Role.ADMIN, Role.STAFF]).select_related("user").first()
    )
    return membership.user if membership else get_user_model().objects.filter(is_superuser=True).first()


def _transitions(project: Project, stage: str, *, days_per_stage: int, now, by) -> list[StageTransition]:
    """The history up to ``stage``: one forward step per stage, ``days_per_stage`` apart."""
    target = Stage.index(stage)
    start = now - timedelta(days=days_per_stage * target + 5)
    rows = []
    for i in range(target):
        rows.append(
            StageTransition(
                project=project,
                from_stage=STAGES[i].value,
                to_stage=STAGES[i + 1].value,
                changed_by=by,
                changed_at=start + timedelta(days=days_per_stage * (i + 1)),
            )
        )
    return rows


def _build_plan(ctx: DemoContext, plan: Plan, compound: Compound) -> Project | None:
    community = compound.community
    by = _staff_for(community)
    now = ctx.now
    created_at_stage = now - timedelta(days=plan.days_per_stage * Stage.index(plan.stage) + 5)
    transitions_stage_at = now - timedelta(days=5) if Stage.index(plan.stage) else created_at_stage
    planned_end = (
        (now + timedelta(days=plan.planned_end_in_days)).date() if plan.planned_end_in_days is not None else None
    )
    project = Project.objects.create(
        community=community,
        title=plan.title,
        description=plan.description,
        project_class=plan.project_class,
        work_type=plan.work_type,
        requires_passed_ballot=default_ballot_requirement(plan.work_type),
        stage=plan.stage,
        stage_changed_at=transitions_stage_at,
        planned_start=(created_at_stage + timedelta(days=60)).date() if planned_end else None,
        planned_end=planned_end,
        created_by=by,
    )
    compounds = list(Compound.objects.filter(community=community, name__in=plan.whole_compounds))
    buildings = list(Building.objects.filter(compound=compound, name__in=plan.scope_buildings))
    units = [
        unit
        for building_name, unit_name in plan.scope_units
        for unit in Unit.objects.filter(building__compound=compound, building__name=building_name, name=unit_name)
    ]
    project.compounds.set(compounds)
    project.buildings.set(buildings)
    project.units.set(units)
    departments = Department.objects.filter(sub_district_id=community.sub_district_id, name__in=plan.departments)
    project.departments.set(departments)
    FundingSource.objects.bulk_create(
        FundingSource(project=project, kind=kind, amount=Decimal(amount), note=note)
        for kind, amount, note in plan.funding
    )
    ProjectFirm.objects.bulk_create(ProjectFirm(project=project, role=role, name=name) for role, name in plan.firms)
    ProgressItem.objects.bulk_create(
        ProgressItem(project=project, name=name, unit=unit, target=Decimal(target), done=Decimal(done), sort_key=i)
        for i, (name, unit, target, done) in enumerate(plan.items)
    )
    StageTransition.objects.bulk_create(
        _transitions(project, plan.stage, days_per_stage=plan.days_per_stage, now=now, by=by)
    )
    if by is None:
        return project
    for n, entry in enumerate(plan.timeline):
        created = TimelineEntry.objects.create(
            project=project,
            date=(now - timedelta(days=entry.days_ago)).date(),
            title=entry.title,
            body=entry.body,
            created_by=by,
            created_at=now - timedelta(days=entry.days_ago),
        )
        for m, phase in enumerate(entry.photos):
            TimelinePhoto.objects.create(entry=created, image=_demo_photo(phase, n * 10 + m), phase=PhotoPhase(phase))
    _complaints(ctx, project, plan, by)
    if plan.acceptance:
        participants, representatives, findings = plan.acceptance
        AcceptanceRecord.objects.create(
            project=project,
            date=(now - timedelta(days=plan.days_per_stage + 5)).date(),
            participants=participants,
            resident_representatives=representatives,
            findings=findings,
            passed=True,
            published=True,
            recorded_by=by,
            recorded_at=now - timedelta(days=plan.days_per_stage + 5),
        )
    _responses(ctx, project, plan.responses, by)
    return project


def _complaints(ctx, project, plan, by) -> None:
    households = list(affected_households(project)[:40])
    for source, ref, summary, days_ago, hours in plan.complaints:
        received = ctx.now - timedelta(days=days_ago)
        resolved = hours is not None
        complaint = Complaint.objects.create(
            project=project,
            source=source,
            hotline_ref=ref,
            household=ctx.rng.choice(households) if households and source != ComplaintSource.HOTLINE else None,
            summary=summary,
            received_at=received,
            handler_user=by,
            status=ComplaintStatus.RESOLVED if resolved else ComplaintStatus.IN_PROGRESS,
            response="已上门沟通并整改，居民表示认可。" if resolved else "已联系施工单位，正在处理。",
            resolved_at=received + timedelta(hours=hours) if resolved else None,
            created_by=by,
            created_at=received,
        )
        events = [ComplaintEvent(complaint=complaint, status=ComplaintStatus.OPEN, note="登记。", by=by, at=received)]
        events.append(
            ComplaintEvent(
                complaint=complaint,
                status=complaint.status,
                note=complaint.response,
                by=by,
                at=complaint.resolved_at or received + timedelta(hours=4),
            )
        )
        ComplaintEvent.objects.bulk_create(events)


def _responses(ctx, project, scores, by) -> None:
    if not scores:
        return
    households = list(affected_households(project).order_by("pk")[: len(scores) * 3])
    chosen = ctx.rng.sample(households, min(len(scores), len(households)))
    channels = [Channel.ONLINE, Channel.QUESTIONNAIRE, Channel.HOME_VISIT, Channel.PHONE]
    answered_at = ctx.now - timedelta(days=3)
    responses = []
    for household, score in zip(chosen, scores, strict=False):
        channel = ctx.rng.choice(channels)
        responses.append(
            SatisfactionResponse(
                project=project,
                household=household,
                score=score,
                channel=channel,
                entered_by=None if channel == Channel.ONLINE else by,
                created_at=answered_at,
                updated_at=answered_at,
            )
        )
    SatisfactionResponse.objects.bulk_create(responses)
    SatisfactionChange.objects.bulk_create(
        SatisfactionChange(response=r, new_score=r.score, channel=r.channel, entered_by=r.entered_by, at=answered_at)
        for r in responses
    )


def _shop_adjustments(project: Project, compound: Compound, by, now) -> None:
    """佳和园: shops outside the two shop units of the scope join the sewage project one by one."""
    if by is None:
        return
    in_scope = affected_households(project).values("pk")
    stray_shops = Household.objects.filter(unit__building__compound=compound, kind="shop").exclude(pk__in=in_scope)
    ScopeEvent.objects.bulk_create(
        ScopeEvent(
            project=project,
            household=shop,
            action=ScopeAction.ADD,
            reason="西门底商，餐饮污水接入新管线",
            made_by=by,
            made_at=now,
        )
        for shop in stray_shops
    )


def seed_projects_demo(ctx: DemoContext) -> None:
    compounds = {
        c.name: c for c in Compound.objects.select_related("community").filter(name__in={p.compound for p in PLANS})
    }
    made = ctx.data.setdefault("projects", {})
    for plan in PLANS:
        compound = compounds.get(plan.compound)
        if compound is None:
            ctx.log(f"projects: {plan.compound} not found, skipping {plan.title}")
            continue
        project = _build_plan(ctx, plan, compound)
        if plan.key == "jiaheyuan_sewage":
            _shop_adjustments(project, compound, _staff_for(compound.community), ctx.now)
        made[plan.key] = project
    ctx.log(f"projects: {len(made)} demo projects")


# --- district scale ---------------------------------------------------------------------------

DISTRICT_TEMPLATES = [
    ("{name}雨污分流改造", ProjectClass.BASIC, WorkType.SEWAGE, (("雨污管线", "米", 600), ("检查井", "个", 40))),
    ("{name}屋面防水及外墙保温", ProjectClass.BASIC, WorkType.ROOF_WALLS, (("屋面防水", "平方米", 3000),)),
    (
        "{name}楼道照明和路灯更换",
        ProjectClass.IMPROVEMENT,
        WorkType.LIGHTING,
        (("路灯", "盏", 30), ("楼道灯", "个", 120)),
    ),
    ("{name}加装电梯", ProjectClass.IMPROVEMENT, WorkType.ELEVATOR, (("电梯", "部", 4),)),
    ("{name}停车位与充电桩", ProjectClass.IMPROVEMENT, WorkType.PARKING, (("停车位", "个", 80), ("充电桩", "个", 20))),
    ("{name}绿化提升", ProjectClass.IMPROVEMENT, WorkType.GREENERY, (("绿地", "平方米", 1500),)),
]
PROJECTS_PER_COMPOUND = 3


def seed_projects_district(ctx: DemoContext) -> None:
    """A few projects per compound, each table written with one ``bulk_create``."""
    rng, now = ctx.rng, ctx.now
    compounds = list(Compound.objects.select_related("community").order_by("pk"))
    staff = {
        m.community_id: m.user_id
        for m in Membership.objects.filter(role__in=[Role.ADMIN, Role.STAFF])
        .order_by("-pk")
        .only("community_id", "user_id")
    }
    projects, plans = [], []
    for compound in compounds:
        for template in rng.sample(DISTRICT_TEMPLATES, PROJECTS_PER_COMPOUND):
            title, project_class, work_type, items = template
            stage = rng.choice(STAGES)
            days = rng.randint(10, 90)
            planned_end = (now + timedelta(days=rng.randint(-40, 200))).date()
            projects.append(
                Project(
                    community=compound.community,
                    title=title.format(name=compound.name),
                    project_class=project_class,
                    work_type=work_type,
                    requires_passed_ballot=default_ballot_requirement(work_type),
                    stage=stage.value,
                    stage_changed_at=now - timedelta(days=days),
                    planned_end=planned_end,
                    created_by_id=staff.get(compound.community_id),
                )
            )
            plans.append((compound, stage, days, items))
    Project.objects.bulk_create(projects, batch_size=1000)
    Project.compounds.through.objects.bulk_create(
        [
            Project.compounds.through(project_id=p.pk, compound_id=c.pk)
            for p, (c, *_rest) in zip(projects, plans, strict=True)
        ],
        batch_size=2000,
    )
    items, transitions, complaints = [], [], []
    for project, (_compound, stage, days, item_specs) in zip(projects, plans, strict=True):
        index = Stage.index(stage)
        for sort_key, (name, unit, target) in enumerate(item_specs):
            if index <= Stage.index(Stage.NOTICE):
                done = 0
            elif stage == Stage.CONSTRUCTION:
                done = rng.randint(0, target)
            else:
                done = target
            items.append(
                ProgressItem(project=project, name=name, unit=unit, target=target, done=done, sort_key=sort_key)
            )
        by = staff.get(project.community_id)
        for i in range(index):
            transitions.append(
                StageTransition(
                    project=project,
                    from_stage=STAGES[i].value,
                    to_stage=STAGES[i + 1].value,
                    changed_by_id=by,
                    changed_at=now - timedelta(days=days + (index - i - 1) * 30),
                )
            )
        if stage == Stage.CONSTRUCTION and by is not None:
            for _ in range(rng.randint(0, 3)):
                received = now - timedelta(days=rng.randint(1, 40))
                resolved = rng.random() < 0.6
                complaints.append(
                    Complaint(
                        project=project,
                        source=ComplaintSource.HOTLINE,
                        hotline_ref=f"12345-{rng.randint(100000, 999999)}",
                        summary="施工噪音和扬尘影响生活",
                        received_at=received,
                        status=ComplaintStatus.RESOLVED if resolved else ComplaintStatus.OPEN,
                        response="已协调施工单位整改。" if resolved else "",
                        resolved_at=received + timedelta(hours=rng.randint(4, 120)) if resolved else None,
                        created_by_id=by,
                        created_at=received,
                    )
                )
    ProgressItem.objects.bulk_create(items, batch_size=2000)
    StageTransition.objects.bulk_create(transitions, batch_size=2000)
    Complaint.objects.bulk_create(complaints, batch_size=2000)
    ctx.log(f"projects: {len(projects)} projects, {len(items)} quantities, {len(complaints)} complaints")


def seed_projects(ctx: DemoContext) -> None:
    if ctx.scale == "district":
        seed_projects_district(ctx)
    else:
        seed_projects_demo(ctx)


register_demo_step(20, "projects", seed_projects)
