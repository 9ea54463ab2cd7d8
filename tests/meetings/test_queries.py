"""Query counts stay flat as data grows: the same bound at 5 and at 50 rows for the meeting
list, the meeting page, the overdue list, the noticeboard, the dashboard panel and the
project panel."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consult.models import (
    ActionItem,
    Attendance,
    AttendeeKind,
    Meeting,
    MeetingRSVP,
    MeetingStatus,
    MeetingTransition,
    MeetingVote,
)
from projects.identity import SESSION_KEY
from projects.sections import dashboard_panels, household_sections, noticeboard_sections, project_panels
from tests import factories as f
from tests import page_budgets

pytestmark = pytest.mark.django_db
SIZES = [5, 50]


def _populate(world, department, n: int, *, project=None) -> list[Meeting]:
    """``n`` meetings of every status, each with ``n`` sign-ins, RSVPs, votes and items."""
    households = f.households(world.unit, n, start_floor=2)
    now = timezone.now()
    statuses = [MeetingStatus.ANNOUNCED, MeetingStatus.HELD, MeetingStatus.MINUTED, MeetingStatus.REPORTED]
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                community=world.community,
                compound=world.compound,
                project=project,
                topic=f"会议{i}",
                place="活动室",
                starts_at=now + datetime.timedelta(days=i - n // 2),
                status=statuses[i % 4],
                announced_at=now,
                reported_at=now if statuses[i % 4] == MeetingStatus.REPORTED else None,
                host=world.staff,
                report_back="已办结",
                public_summary="摘要",
            )
            for i in range(n)
        ]
    )
    for meeting in meetings:
        meeting.invited_departments.add(department)
    rows = [(m, h) for m in meetings for h in households]
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=m, kind=AttendeeKind.HOUSEHOLD, household=h, recorded_by=world.staff, recorded_at=now)
            for m, h in rows
        ]
    )
    MeetingRSVP.objects.bulk_create([MeetingRSVP(meeting=m, household=h, created_at=now) for m, h in rows])
    MeetingTransition.objects.bulk_create(
        [MeetingTransition(meeting=m, to_status=m.status, changed_by=world.staff, changed_at=now) for m, h in rows]
    )
    MeetingVote.objects.bulk_create(
        [
            MeetingVote(
                meeting=m,
                question=f"问题{h.pk}",
                votes_for=3,
                votes_against=1,
                abstentions=0,
                recorded_by=world.staff,
                recorded_at=now,
            )
            for m, h in rows
        ]
    )
    today = timezone.localdate()
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=m,
                title=f"事项{i}",
                owner_user=world.staff if i % 2 else None,
                owner_department=None if i % 2 else department,
                deadline=today - datetime.timedelta(days=1 + i % 3),
                created_by=world.staff,
                created_at=now,
                updated_at=now,
            )
            for m in meetings
            for i in range(n)
        ]
    )
    return meetings


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("when", ["upcoming", "past", "all"])
def test_meeting_list(client, world, department, django_assert_max_num_queries, n, when):
    _populate(world, department, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("consult:meeting_list", args=[world.community.pk]) + f"?when={when}")
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("role", ["staff", "department"])
def test_meeting_page(client, world, department, django_assert_max_num_queries, n, role):
    meeting = _populate(world, department, n)[1]  # held: every section is open
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(page_budgets.MEETING_PAGE):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    if role == "staff":
        assert len(response.context["attendances"]) == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("show", ["overdue", "open", "all"])
def test_overdue_list(client, world, department, django_assert_max_num_queries, n, show):
    _populate(world, department, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consult:action_items", args=[world.community.pk]) + f"?show={show}")
    assert response.status_code == 200


def _render_section(registry, target, request, **extra) -> str:
    """Only this feature's section: other features add their own to the same pages."""
    section = next(s for s in registry._sections.values() if s.key == "meetings")
    context = section.context(target, request)
    return render_to_string(section.template, {"section": context, "request": request, **extra}, request=request)


@pytest.mark.parametrize("n", SIZES)
def test_noticeboard_section(rf, world, department, django_assert_max_num_queries, n):
    _populate(world, department, n)
    request = rf.get("/")
    request.session = {SESSION_KEY: world.household.pk}
    request.user = AnonymousUser()
    with django_assert_max_num_queries(6):
        html = _render_section(noticeboard_sections, world.compound, request, compound=world.compound)
    assert 'data-testid="report-back"' in html


@pytest.mark.parametrize("n", SIZES)
def test_household_section(rf, world, department, django_assert_max_num_queries, n):
    _populate(world, department, n)
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_max_num_queries(1):
        _render_section(household_sections, world.household, request)


@pytest.mark.parametrize("n", SIZES)
def test_dashboard_and_project_panels(rf, world, department, django_assert_max_num_queries, n):
    project = f.project(community=world.community)
    _populate(world, department, n, project=project)
    request = rf.get("/")
    request.user = world.staff
    with django_assert_max_num_queries(6):
        _render_section(dashboard_panels, world.community, request, community=world.community)
    with django_assert_max_num_queries(1):
        _render_section(project_panels, project, request, project=project)


@pytest.mark.parametrize("n", SIZES)
def test_community_and_project_pages(client, world, department, django_assert_max_num_queries, n):
    """The whole pages, with every feature's panels."""
    project = f.project(community=world.community)
    _populate(world, department, n, project=project)
    client.force_login(world.staff)
    with django_assert_max_num_queries(page_budgets.COMMUNITY_OVERVIEW):
        assert client.get(reverse("projects:community", args=[world.community.pk])).status_code == 200
    with django_assert_max_num_queries(page_budgets.PROJECT_PAGE):
        assert client.get(reverse("projects:project", args=[project.pk])).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_printables(client, world, department, django_assert_max_num_queries, n):
    meeting = _populate(world, department, n)[1]
    client.force_login(world.staff)
    for name in ("meeting_minutes_print", "meeting_sign_in_sheet"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"consult:{name}", args=[meeting.pk])).status_code == 200
