"""The "projects" demo step: realistic projects on the named places, graceful when a place is
missing, and bulk inserts at district scale."""

import random
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.demo import DemoContext, demo_steps
from projects.demo.projects import seed_projects
from projects.metrics import percent_one_decimal, satisfaction_rate
from projects.models import (
    AcceptanceRecord,
    Complaint,
    ComplaintSource,
    Department,
    HouseholdKind,
    Project,
    Role,
    SatisfactionResponse,
    Stage,
)
from projects.selectors.scope import affected_households
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2024, 6, 1, 10, 0))


def _ctx(scale="demo", seed=7):
    logs = []
    return DemoContext(scale=scale, rng=random.Random(seed), now=NOW, log=logs.append), logs


@pytest.fixture
def demo_places(db):
    """A small registry with some of the shared names (and some missing, as in tests)."""
    jiugong = f.sub_district(name="旧宫镇")
    for name in ("旧宫镇水务站", "经发办", "社区办", "城管队"):
        Department.objects.create(sub_district=jiugong, name=name)
    jiahe = f.compound(community=f.community(sub_district=jiugong, name="佳和园社区"), name="佳和园")
    for b in ("1号楼", "2号楼"):
        building = f.building(compound=jiahe, name=b)
        f.households(f.unit(building=building, name="1单元"), 12)
        shops = f.unit(building=building, name="底商")
        for i in range(10 if b == "1号楼" else 11):
            f.household(unit=shops, room=f"S{i + 1:02d}", kind=HouseholdKind.SHOP)
    f.member(jiahe.community, Role.ADMIN, username="demo_staff")
    nanluyi = f.compound(community=f.community(name="南路一社区"), name="南路一")
    tower = f.unit(building=f.building(compound=nanluyi, name="5号楼"), name="1单元")
    f.households(tower, 32)
    yunyuan = f.compound(community=f.community(name="小阳泉北社区"), name="蕴园")
    f.households(f.unit(building=f.building(compound=yunyuan, name="1号楼"), name="1单元"), 12)
    f.households(f.unit(building=f.building(compound=yunyuan, name="3号楼"), name="3单元"), 12)
    return jiahe


def test_the_step_is_registered_at_order_20():
    (step,) = [s for s in demo_steps() if s.name == "projects"]
    assert step.order == 20


def test_jiaheyuan_sewage_project_from_the_seeds(demo_places):
    ctx, logs = _ctx()
    seed_projects(ctx)
    project = Project.objects.get(title__contains="污水")
    assert ctx.data["projects"]["jiaheyuan_sewage"] == project
    assert project.stage == Stage.EVALUATION
    quantities = {i.name: (i.done, i.target, i.unit) for i in project.progress_items.all()}
    assert quantities == {"污水管线铺设": (190, 190, "米"), "隔油池安装": (21, 21, "个")}
    assert project.progress_percent == 100
    affected = affected_households(project)
    assert affected.count() == 21 and set(affected.values_list("kind", flat=True)) == {HouseholdKind.SHOP}
    hotline = Complaint.objects.filter(project=project, source=ComplaintSource.HOTLINE)
    assert hotline.count() >= 2 and all(c.hotline_ref.startswith("12345") for c in hotline)
    assert AcceptanceRecord.objects.get(project=project).published
    responses = SatisfactionResponse.objects.filter(project=project)
    assert 0 < responses.count() <= 21
    satisfied = responses.filter(score__gte=4).count()
    assert percent_one_decimal(satisfaction_rate(satisfied, responses.count())) > 80
    assert set(project.departments.values_list("name", flat=True)) == {"旧宫镇水务站", "经发办", "社区办", "城管队"}
    # Its history walks through every stage up to evaluation.
    assert list(project.transitions.values_list("to_stage", flat=True)) == [s.value for s in list(Stage)[1:7]]
    assert project.timeline.filter(photos__isnull=False).exists()


def test_nanluyi_is_in_consent_with_the_riser_tower_in_scope(demo_places):
    ctx, _logs = _ctx()
    seed_projects(ctx)
    project = ctx.data["projects"]["nanluyi_water_pipes"]
    assert project.stage == Stage.CONSENT and project.work_type == "water_pipes"
    assert affected_households(project).count() == 32  # 4号楼 and 6号楼 do not exist here


def test_yunyuan_elevators(demo_places):
    ctx, _logs = _ctx()
    seed_projects(ctx)
    first, second = ctx.data["projects"]["yunyuan_elevator_3"], ctx.data["projects"]["yunyuan_elevator_1"]
    assert first.stage == Stage.COMPLETED and second.stage == Stage.EVALUATION
    assert [str(u) for u in first.units.all()] == ["3号楼3单元"]
    assert affected_households(second).count() == 12


def test_missing_places_are_skipped_with_a_log_line(demo_places):
    ctx, logs = _ctx()
    seed_projects(ctx)
    assert "shanglinyuan_square" not in ctx.data["projects"]
    assert any("上林苑" in line for line in logs)


def test_the_step_runs_on_an_empty_registry(db):
    ctx, logs = _ctx()
    seed_projects(ctx)
    assert not Project.objects.exists()
    assert ctx.data["projects"] == {}


def _district(compounds_per_community: int) -> None:
    sd = f.sub_district(name="演示街道")
    for c in range(3):
        community = f.community(sub_district=sd, name=f"演示社区{c}")
        f.member(community, Role.STAFF)
        for k in range(compounds_per_community):
            f.compound(community=community, name=f"小区{c}-{k}")


@pytest.mark.parametrize("compounds", [2, 6])
def test_district_scale_uses_bulk_inserts(db, compounds):
    _district(compounds)
    ctx, _logs = _ctx("district")
    with CaptureQueriesContext(connection) as queries:
        seed_projects(ctx)
    assert Project.objects.count() == 3 * compounds * 3
    assert len(queries) <= 12  # one insert per table, whatever the number of compounds
    assert Project.objects.filter(compounds__isnull=False).distinct().count() == Project.objects.count()
    for project in Project.objects.exclude(stage=Stage.NEEDS):
        assert project.transitions.count() == Stage.index(project.stage)
