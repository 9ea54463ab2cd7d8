"""Flat query counts: every sign-off page costs the same number of queries for a campaign of
8 households and one of 2,000 (the size of a district-scale project)."""

from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from projects.access import staff_access
from projects.models import (
    Channel,
    ContactKind,
    DecisionRule,
    Household,
    SignoffAssignment,
    SignoffContact,
    SignoffEvent,
    SignoffStatus,
    Stage,
)
from projects.sections import dashboard_panels, household_sections, noticeboard_sections, project_panels
from projects.selectors.scope import affected_households
from projects.services import signoffs as svc
from tests import factories as f

from .conftest import open_campaign

pytestmark = pytest.mark.django_db

S = SignoffStatus
SIZES = {"small": (2, 1, 4), "large": (10, 4, 50)}  # buildings × units × households per unit
CYCLE = [S.AGREED, S.AGREED, S.AGREED, S.CONCERNS, S.REFUSED, S.TALKED, None]


def build(world, buildings, units, per_unit):
    """A campaign over buildings × units × per_unit households, its logs inserted in bulk."""
    project = f.project(community=world.community, title="规模测试", stage=Stage.CONSENT)
    scope = []
    for b in range(buildings):
        building = f.building(compound=world.compound, name=f"{10 + b}号楼", sort_key=10 + b)
        scope.append(building)
        for u in range(units):
            f.households(f.unit(building=building, name=f"{u + 1}单元", sort_key=u), per_unit)
    project.buildings.set(scope)
    campaign = open_campaign(project, world.staff, rule=DecisionRule.ART278_MAJOR)
    day = date(2025, 3, 5)
    at = timezone.make_aware(datetime.combine(day, time(10)))
    events, contacts, assignments = [], [], []
    households = list(affected_households(project).order_by("pk"))
    for i, h in enumerate(households):
        status = CYCLE[i % len(CYCLE)]
        if status is None:
            continue
        details = {"signed_on": day, "signer_name": "业主"} if status == S.AGREED else {}
        if status == S.CONCERNS:
            details = {"concern_category": "redecorated", "concern_text": "我们家刚装修完"}
        events.append(
            SignoffEvent(
                campaign=campaign,
                household=h,
                status=status,
                previous_status=S.NOT_CONTACTED,
                channel=Channel.HOME_VISIT,
                entered_by=world.staff,
                recorded_at=at,
                **details,
            )
        )
        contacts.append(
            SignoffContact(
                campaign=campaign,
                household=h,
                kind=ContactKind.VISIT,
                staff=world.staff,
                contacted_on=day,
                outcome="上门",
                next_step="再访",
                recorded_by=world.staff,
                recorded_at=at,
            )
        )
        if status != S.AGREED:
            assignments.append(
                SignoffAssignment(
                    campaign=campaign, household=h, assignee=world.staff, assigned_by=world.admin, assigned_at=at
                )
            )
    SignoffEvent.objects.bulk_create(events)
    SignoffContact.objects.bulk_create(contacts)
    SignoffAssignment.objects.bulk_create(assignments)
    svc.signoff_rebuild_records(campaign=campaign)
    return campaign, households, scope


@pytest.fixture(params=list(SIZES))
def big(request, world):
    campaign, households, buildings = build(world, *SIZES[request.param])
    return campaign, households, buildings


PAGES = {
    # name: (url builder, query bound, user attribute). The bounds include the session, the
    # user and their memberships (4 queries).
    # staff: +1 for the project's scope changes (one list query, shown in two places)
    "board": (lambda c, hs, bs, w: reverse("projects:signoff_board", args=[c.pk]), 9, "staff"),
    "board_head": (lambda c, hs, bs, w: reverse("projects:signoff_board", args=[c.pk]), 7, "building_head"),
    "board_department": (lambda c, hs, bs, w: reverse("projects:signoff_board", args=[c.pk]), 7, "department"),
    "unit": (lambda c, hs, bs, w: reverse("projects:signoff_unit", args=[c.pk, hs[-1].unit_id]), 10, "staff"),
    "household": (lambda c, hs, bs, w: reverse("projects:signoff_household", args=[c.pk, hs[-3].pk]), 13, "staff"),
    "blockers": (lambda c, hs, bs, w: reverse("projects:signoff_blockers", args=[c.pk]), 12, "staff"),
    "blockers_filtered": (
        lambda c, hs, bs, w: (
            reverse("projects:signoff_blockers", args=[c.pk])
            + f"?building={bs[-1].pk}&assignee={w.staff.pk}&status=concerns&stale=on&page=2"
        ),
        12,
        "staff",
    ),
    "sheets": (lambda c, hs, bs, w: reverse("projects:signoff_sheets", args=[c.pk]), 7, "staff"),
    "visits": (lambda c, hs, bs, w: reverse("projects:signoff_visits", args=[c.pk]), 10, "staff"),
    "export": (lambda c, hs, bs, w: reverse("projects:signoff_export", args=[c.pk]), 12, "staff"),
    "campaigns": (lambda c, hs, bs, w: reverse("projects:signoff_campaigns", args=[w.community.pk]), 8, "staff"),
}


def test_query_counts_are_flat(client, rf, world, big, django_assert_max_num_queries):
    """One campaign built per size; every page, every section this feature adds to shared pages,
    and a one-tap tick, each measured against the same bound at both sizes."""
    check_sections(rf, world, big, django_assert_max_num_queries)
    campaign, households, buildings = big
    for page, (url, bound, user) in PAGES.items():
        client.force_login(getattr(world, user))
        target = url(campaign, households, buildings, world)
        with django_assert_max_num_queries(bound, info=page):
            response = client.get(target)
            if response.streaming:  # an export's rows are read while it is sent
                b"".join(response.streaming_content)
        assert response.status_code == 200, page
    check_htmx_tick(client, world, big, django_assert_max_num_queries)


SECTIONS = {
    # The pieces this feature adds to pages other features share: measured on their own so the
    # bound does not depend on the other panels. (registry, target, query bound)
    "noticeboard": (noticeboard_sections, lambda c, w, hs: w.compound, 1),
    "dashboard": (dashboard_panels, lambda c, w, hs: w.community, 1),
    "project": (project_panels, lambda c, w, hs: c.project, 2),
    "household": (
        household_sections,
        lambda c, w, hs: Household.objects.select_related("unit__building__compound").get(pk=hs[0].pk),
        1,
    ),
}


def check_sections(rf, world, big, django_assert_max_num_queries):
    campaign, households, _ = big
    request = rf.get("/")
    request.user = world.staff
    request.session = {}
    staff_access(world.staff)  # memberships are loaded once per request by the page itself
    for name, (registry, target, bound) in SECTIONS.items():
        section = next(s for s in registry._sections.values() if s.key == "signoffs")
        obj = target(campaign, world, households)
        with django_assert_max_num_queries(bound, info=name):
            context = section.context(obj, request)
            html = render_to_string(section.template, {"section": context, "request": request, "user": world.staff})
        assert context is not None and html.strip(), name


def check_htmx_tick(client, world, big, django_assert_max_num_queries):
    campaign, households, _ = big
    client.force_login(world.staff)
    h = households[-1]
    with django_assert_max_num_queries(16, info="tick"):
        response = client.post(
            reverse("projects:signoff_tick", args=[campaign.pk, h.pk]), {"status": S.TALKED}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert SignoffEvent.objects.filter(household=h, status=S.TALKED).exists()
