"""Query counts stay flat: each list and board page is run at two data sizes with the SAME
bound. A page whose count grew with the rows would fail at the larger size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.hooks.projects import dashboard_panel, noticeboard_section
from projects.models import (
    AcceptanceRecord,
    Channel,
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    ProgressItem,
    Project,
    SatisfactionResponse,
    Stage,
    TimelineEntry,
    TimelinePhoto,
)
from tests import factories as f
from tests import page_budgets
from tests.helpers import photo_file

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def populate(world, n: int, *, offset: int = 0) -> list[Project]:
    """``n`` projects in world's compound, each with quantities, a timeline entry with a photo,
    complaints, a published acceptance and satisfaction answers; households for them too."""
    now = timezone.now()
    households = f.households(f.unit(building=world.building), 6)
    stages = list(Stage)
    projects = Project.objects.bulk_create(
        Project(
            community=world.community,
            title=f"项目{offset + i}",
            stage=stages[i % len(stages)],
            stage_changed_at=now - timedelta(days=i * 5),
            planned_end=(now - timedelta(days=i)).date(),
        )
        for i in range(n)
    )
    Project.compounds.through.objects.bulk_create(
        Project.compounds.through(project_id=p.pk, compound_id=world.compound.pk) for p in projects
    )
    ProgressItem.objects.bulk_create(
        ProgressItem(
            project=p,
            name=name,
            unit="米",
            target=Decimal(100),
            done=Decimal(i % 100),
            due_date=now.date() - timedelta(days=1),
        )
        for i, p in enumerate(projects)
        for name in ("管线", "井盖")
    )
    entries = TimelineEntry.objects.bulk_create(
        TimelineEntry(
            project=p, date=now.date() - timedelta(days=d), title=f"进展{d}", created_by=world.staff, created_at=now
        )
        for p in projects
        for d in range(2)
    )
    for entry in entries[::2]:
        TimelinePhoto.objects.create(entry=entry, image=photo_file())
    Complaint.objects.bulk_create(
        Complaint(
            project=p,
            source=ComplaintSource.HOTLINE,
            hotline_ref=f"12345-{p.pk}-{k}",
            household=world.household,
            summary="噪音",
            received_at=now - timedelta(days=2),
            status=ComplaintStatus.RESOLVED if k else ComplaintStatus.OPEN,
            response="ok" if k else "",
            resolved_at=now - timedelta(days=1) if k else None,
            handler_user=world.staff,
            created_by=world.staff,
            created_at=now,
        )
        for p in projects
        for k in range(2)
    )
    AcceptanceRecord.objects.bulk_create(
        AcceptanceRecord(
            project=p,
            date=now.date(),
            participants="x",
            resident_representatives="y",
            findings="ok",
            passed=True,
            published=True,
            recorded_by=world.staff,
            recorded_at=now,
        )
        for p in projects
    )
    SatisfactionResponse.objects.bulk_create(
        SatisfactionResponse(
            project=p,
            household=h,
            score=1 + (p.pk + h.pk) % 5,
            channel=Channel.PAPER,
            entered_by=world.staff,
            created_at=now,
            updated_at=now,
        )
        for p in projects
        for h in households
    )
    return projects


def _get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", SIZES)
def test_project_list_is_flat(client, world, django_assert_max_num_queries, n):
    populate(world, n)
    client.force_login(world.staff)
    url = reverse("projects:project_list", args=[world.community.pk])
    with django_assert_max_num_queries(14):
        page = _get(client, url).content.decode()
    assert "项目0" in page
    with django_assert_max_num_queries(14):
        _get(client, url, {"q": "项目", "stage": "construction", "compound": world.compound.pk, "page": 2})


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def test_community_overview_with_the_projects_panel_is_flat(client, world, django_assert_max_num_queries):
    """Other features add their own panels to this page, so the bound is what the page costs
    with 5 projects; the same bound must hold with 50."""
    populate(world, 5)
    client.force_login(world.staff)
    url = reverse("projects:community", args=[world.community.pk])
    bound = _count(client, url)
    populate(world, 45, offset=5)
    with django_assert_max_num_queries(bound):
        page = _get(client, url).content.decode()
    assert 'data-testid="projects-panel"' in page


@pytest.mark.parametrize("n", SIZES)
def test_the_dashboard_panel_itself_is_flat(rf, world, django_assert_max_num_queries, n):
    populate(world, n)
    request = rf.get("/")
    request.user = world.staff
    with django_assert_max_num_queries(12):
        context = dashboard_panel(world.community, request)
    assert sum(row["count"] for row in context["stage_counts"]) == n


def test_noticeboard_is_flat(client, world, django_assert_max_num_queries):
    populate(world, 5)
    url = reverse("projects:noticeboard", args=[world.compound.pk])
    bound = _count(client, url)
    populate(world, 45, offset=5)
    with django_assert_max_num_queries(bound):
        page = _get(client, url).content.decode()
    assert "项目49" in page


@pytest.mark.parametrize("n", SIZES)
def test_the_noticeboard_section_itself_is_flat(rf, world, django_assert_max_num_queries, n):
    populate(world, n)
    with django_assert_max_num_queries(6):
        context = noticeboard_section(world.compound, rf.get("/"))
    assert len(context["projects"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_sub_district_overview_is_one_aggregate_query(client, world, django_assert_max_num_queries, n):
    populate(world, n)
    for i in range(n // 5):
        f.project(community=f.community(sub_district=world.sub_district, name=f"社区{i}"))
    client.force_login(world.sub_district_staff)
    # 6 for the overview's aggregates, +1 for the wishes panel's one count (sub_district_panels)
    with django_assert_max_num_queries(7):
        _get(client, reverse("projects:sub_district", args=[world.sub_district.pk]))


@pytest.mark.parametrize("n", SIZES)
def test_project_page_and_its_sub_pages_are_flat(client, world, django_assert_max_num_queries, n):
    projects = populate(world, n)
    project = projects[-1]
    client.force_login(world.staff)
    for name, bound in [
        ("projects:project", page_budgets.PROJECT_PAGE),
        ("projects:complaints", 12),
        ("projects:satisfaction", 14),
        ("projects:progress", 12),
        ("projects:project_scope", 18),
    ]:
        with django_assert_max_num_queries(bound):
            _get(client, reverse(name, args=[project.pk]))
    with django_assert_max_num_queries(14):
        _get(client, reverse("projects:public_project", args=[world.compound.pk, project.pk]))
