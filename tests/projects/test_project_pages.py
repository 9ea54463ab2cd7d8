"""Creating and editing projects (with funding, firms, departments and scope), the project
list with its search and filters, the dashboard panel and the sub-district overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    Complaint,
    Department,
    FundingSource,
    ProgressItem,
    Project,
    ProjectFirm,
    SatisfactionResponse,
    Stage,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _formsets(funding=(), firms=(), funding_initial=0, firms_initial=0):
    data = {
        "funding-TOTAL_FORMS": str(len(funding)),
        "funding-INITIAL_FORMS": str(funding_initial),
        "firms-TOTAL_FORMS": str(len(firms)),
        "firms-INITIAL_FORMS": str(firms_initial),
    }
    for i, row in enumerate(funding):
        data.update({f"funding-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(firms):
        data.update({f"firms-{i}-{k}": v for k, v in row.items()})
    return data


def test_create_a_project_with_everything(client, world):
    water = Department.objects.create(sub_district=world.sub_district, name="旧宫镇水务站")
    client.force_login(world.staff)
    page = client.get(reverse("projects:project_create", args=[world.community.pk])).content.decode()
    assert "佳和园" in page and "南路一" not in page  # only this community's places are offered
    response = client.post(
        reverse("projects:project_create", args=[world.community.pk]),
        {
            "title": "佳和园西门底商污水管线改造",
            "description": "21家底商",
            "project_class": "basic",
            "work_type": "sewage",
            "planned_start": "2021-04-01",
            "planned_end": "2021-05-31",
            "is_public": "on",
            "buildings": [world.building.pk],
            "units": [world.other_unit.pk],
            "departments": [water.pk],
            **_formsets(
                funding=[
                    {"kind": "government", "amount": "380000", "note": "镇级资金"},
                    {"kind": "residents", "amount": "42000"},
                ],
                firms=[{"role": "construction", "name": "北京兴旧宫市政工程有限公司"}],
            ),
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert (project.stage, project.created_by, project.community) == (Stage.NEEDS, world.staff, world.community)
    assert project.stage_changed_at is not None
    assert list(project.departments.all()) == [water]
    assert sorted(FundingSource.objects.values_list("amount", flat=True)) == [42000, 380000]
    assert ProjectFirm.objects.get().name == "北京兴旧宫市政工程有限公司"
    detail = client.get(project.get_absolute_url()).content.decode()
    assert "422,000.00" in detail and "2 户" in detail


@pytest.mark.parametrize(
    "change,field",
    [
        ({"planned_start": "2021-06-01", "planned_end": "2021-05-01"}, "planned_end"),
        ({"title": ""}, "title"),
        ({"compounds": ["999999"]}, "compounds"),
    ],
)
def test_invalid_project_forms_save_nothing(client, world, change, field):
    client.force_login(world.staff)
    data = {"title": "x", "project_class": "basic", "work_type": "sewage", **_formsets(), **change}
    response = client.post(reverse("projects:project_create", args=[world.community.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Project.objects.exists()


def test_a_zero_funding_amount_is_refused(client, world):
    client.force_login(world.staff)
    data = {
        "title": "x",
        "project_class": "basic",
        "work_type": "sewage",
        **_formsets(funding=[{"kind": "government", "amount": "0"}]),
    }
    response = client.post(reverse("projects:project_create", args=[world.community.pk]), data)
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_edit_changes_scope_and_removes_a_funding_line(client, world):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    project.compounds.set([world.compound])
    line = FundingSource.objects.create(project=project, kind="government", amount=100)
    client.force_login(world.admin)
    response = client.post(
        reverse("projects:project_edit", args=[project.pk]),
        {
            "title": "改名",
            "project_class": "improvement",
            "work_type": "elevator",
            "units": [world.unit.pk],
            "scope_reason": "只改1单元",
            **_formsets(
                funding=[{"id": str(line.pk), "kind": "government", "amount": "100", "DELETE": "on"}], funding_initial=1
            ),
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.stage) == ("改名", Stage.DESIGN)  # editing never moves the stage
    assert list(project.compounds.all()) == [] and list(project.units.all()) == [world.unit]
    assert not FundingSource.objects.exists()
    # The scope change is in the scope log: one event per place, with the form's reason.
    events = {(e.action, e.compound_id, e.unit_id, e.reason) for e in project.scope_events.all()}
    assert events == {("remove", world.compound.pk, None, "只改1单元"), ("add", None, world.unit.pk, "只改1单元")}


def test_project_list_search_filters_and_pagination(client, world):
    a = f.project(community=world.community, title="佳和园污水管线", stage=Stage.CONSTRUCTION, work_type="sewage")
    a.compounds.set([world.compound])
    f.project(
        community=world.community,
        title="楼道照明",
        stage=Stage.NEEDS,
        work_type="lighting",
        project_class="improvement",
    )
    f.project(community=world.other_community, title="别的社区项目")
    client.force_login(world.staff)
    url = reverse("projects:project_list", args=[world.community.pk])

    def titles(**params):
        return [p.title for p in client.get(url, params).context["page_obj"]]

    assert sorted(titles()) == ["佳和园污水管线", "楼道照明"]
    assert titles(q="污水") == ["佳和园污水管线"]
    assert titles(stage="needs") == ["楼道照明"]
    assert titles(project_class="improvement") == ["楼道照明"]
    assert titles(work_type="sewage") == ["佳和园污水管线"]
    assert titles(compound=world.compound.pk) == ["佳和园污水管线"]
    # Bad parameters are ignored, never a 500.
    assert sorted(titles(stage="bogus", compound="abc", page="999")) == ["佳和园污水管线", "楼道照明"]
    assert client.get(url, {"compound": world.other_compound.pk}).status_code == 200


def test_project_list_paginates(client, world):
    for i in range(25):
        f.project(community=world.community, title=f"项目{i:02d}")
    client.force_login(world.staff)
    url = reverse("projects:project_list", args=[world.community.pk])
    first = client.get(url).context["page_obj"]
    second = client.get(url, {"page": 2}).context["page_obj"]
    assert len(first) == 20 and len(second) == 5
    assert not {p.pk for p in first} & {p.pk for p in second}


def test_dashboard_panel_flags_overdue_and_stuck_projects_and_items(client, world):
    today = timezone.localdate()
    overdue = f.project(
        community=world.community, title="逾期的项目", stage=Stage.CONSTRUCTION, planned_end=today - timedelta(days=3)
    )
    f.project(
        community=world.community, title="按期的项目", stage=Stage.CONSTRUCTION, planned_end=today + timedelta(days=3)
    )
    f.project(
        community=world.community, title="验收中的项目", stage=Stage.ACCEPTANCE, planned_end=today - timedelta(days=30)
    )
    stuck = f.project(
        community=world.community,
        title="卡住的项目",
        stage=Stage.CONSENT,
        stage_changed_at=timezone.now() - timedelta(days=90),
    )
    ProgressItem.objects.create(
        project=overdue, name="隔油池", unit="个", target=21, done=5, due_date=today - timedelta(days=1)
    )
    ProgressItem.objects.create(
        project=overdue, name="管线", unit="米", target=190, done=190, due_date=today - timedelta(days=1)
    )
    Complaint.objects.create(
        project=overdue,
        source="phone",
        summary="噪音",
        received_at=timezone.now(),
        created_by=world.staff,
        created_at=timezone.now(),
    )
    client.force_login(world.staff)
    response = client.get(reverse("projects:community", args=[world.community.pk]))
    (context,) = [c for s, c in response.context["panels"] if s.key == "projects"]
    flagged = {p.title: (p.is_overdue, p.is_stuck) for p in context["attention"]}
    assert flagged == {"逾期的项目": (1, 0), "卡住的项目": (0, 1)}
    assert [i.name for i in context["overdue_items"]] == ["隔油池"]
    assert context["open_complaints"] == 1
    counts = {row["stage"]: row["count"] for row in context["stage_counts"]}
    assert counts[Stage.CONSTRUCTION] == 2 and counts[Stage.CONSENT] == 1
    page = response.content.decode()
    assert "逾期的项目" in page and "卡住的项目" in page and stuck.get_absolute_url() in page


def test_sub_district_overview_counts_each_community(client, world):
    f.project(community=world.community, stage=Stage.CONSTRUCTION, planned_end=timezone.localdate() - timedelta(days=1))
    done = f.project(community=world.community, stage=Stage.COMPLETED)
    f.project(community=world.other_community, stage=Stage.NEEDS)
    f.project(community=f.community(), stage=Stage.NEEDS)  # another sub-district: not counted
    now = timezone.now()
    for household, score in [(world.household, 5), (world.other_household, 2)]:
        SatisfactionResponse.objects.create(
            project=done,
            household=household,
            score=score,
            channel="paper",
            entered_by=world.staff,
            created_at=now,
            updated_at=now,
        )
    client.force_login(world.sub_district_staff)
    response = client.get(reverse("projects:sub_district", args=[world.sub_district.pk]))
    rows = {c.name: c for c in response.context["rows"]}
    assert set(rows) == {"北门社区", "南路一社区"}
    assert (rows["北门社区"].project_count, rows["北门社区"].overdue, str(rows["北门社区"].satisfaction_percent)) == (
        2,
        1,
        "50.0",
    )
    assert rows["南路一社区"].project_count == 1
    assert response.context["totals"]["project_count"] == 3
    assert "50.0%" in response.content.decode()


def test_sub_district_staff_get_a_link_from_the_overview(client, world):
    client.force_login(world.sub_district_staff)
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert reverse("projects:sub_district", args=[world.sub_district.pk]) in page
    client.force_login(world.staff)
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert reverse("projects:sub_district", args=[world.sub_district.pk]) not in page


@pytest.mark.parametrize(
    "model",
    ["project", "timelineentry", "complaint", "acceptancerecord", "satisfactionresponse"],
)
def test_admin_pages_open(client, world, project, model):
    client.force_login(world.superuser)
    assert client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 200
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200


@pytest.mark.parametrize("model", ["scopeevent", "scopeeventreview"])
def test_scope_log_admin_is_read_only(client, world, model):
    """The scope log is append-only: even a superuser can only look at it in the admin."""
    client.force_login(world.superuser)
    assert client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 403
