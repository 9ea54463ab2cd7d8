"""The permission matrix: every view of the projects feature against every role.

Roles: anonymous; a resident acting as a household of this compound and one of another
community; community staff and admin; staff of another community; the department viewer;
the building head; sub-district staff; a superuser. Denied anonymous visitors and residents
are sent to the login page, denied signed-in users get 403, and a denied POST changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from projects.models import (
    Complaint,
    ComplaintStatus,
    ProgressItem,
    Role,
    SatisfactionResponse,
    ScopeEvent,
    ScopeEventReview,
    Stage,
    TimelineEntry,
    TimelinePhoto,
)
from projects.services.scope import scope_adjust
from tests import factories as f
from tests.helpers import OFFICE, ROLES

pytestmark = pytest.mark.django_db

VIEWERS = OFFICE | {"department", "building_head", "sub_district_staff"}
OVERSEE = OFFICE | {"sub_district_staff"}
EVERYONE = set(ROLES)


@dataclass
class Case:
    name: str
    url: Callable
    allowed: set
    method: str = "get"
    data: Callable | None = None
    changed: Callable | None = None  # True once the POST had its effect
    prepare: Callable | None = None


def _entry(p):
    return TimelineEntry.objects.get(project=p)


def _pending_removal(w, p):
    """A removal proposed by a third staff member (no role of the matrix proposed it, so the
    matrix tests the permission alone), waiting for confirmation: the project has a sign-off
    campaign and the household has not agreed."""
    from projects.services.signoffs import signoff_campaign_open

    signoff_campaign_open(project=p, data={"title": "签字", "consent_text": "同意施工"}, by=w.staff)
    proposer = f.member(w.community, Role.STAFF, username="staff_b")
    return scope_adjust(project=p, household=w.household, included=False, reason="暂时联系不上", by=proposer)


CASES = [
    Case("project_list", lambda w, p: reverse("projects:project_list", args=[w.community.pk]), VIEWERS),
    Case("project_create", lambda w, p: reverse("projects:project_create", args=[w.community.pk]), OFFICE),
    Case("project", lambda w, p: reverse("projects:project", args=[p.pk]), VIEWERS),
    Case("project_edit", lambda w, p: reverse("projects:project_edit", args=[p.pk]), OFFICE),
    Case("project_stage", lambda w, p: reverse("projects:project_stage", args=[p.pk]), OFFICE),
    Case("project_scope", lambda w, p: reverse("projects:project_scope", args=[p.pk]), OVERSEE),
    Case(
        "community_settings",
        lambda w, p: reverse("projects:community_settings", args=[w.community.pk]),
        {"admin", "superuser"},
    ),
    Case("progress", lambda w, p: reverse("projects:progress", args=[p.pk]), VIEWERS),
    Case("progress_item_create", lambda w, p: reverse("projects:progress_item_create", args=[p.pk]), OFFICE),
    Case(
        "progress_item_edit",
        lambda w, p: reverse("projects:progress_item_edit", args=[p.progress_items.get().pk]),
        OFFICE,
    ),
    Case("timeline_create", lambda w, p: reverse("projects:timeline_create", args=[p.pk]), OFFICE),
    Case("timeline_edit", lambda w, p: reverse("projects:timeline_edit", args=[_entry(p).pk]), OFFICE),
    Case("complaints", lambda w, p: reverse("projects:complaints", args=[p.pk]), OVERSEE | {"department"}),
    Case("complaint_create", lambda w, p: reverse("projects:complaint_create", args=[p.pk]), OFFICE),
    Case(
        "complaint",
        lambda w, p: reverse("projects:complaint", args=[p.complaints.get().pk]),
        OVERSEE | {"department"},  # the fixture's complaint is handled by the viewer's department
    ),
    Case("acceptance_create", lambda w, p: reverse("projects:acceptance_create", args=[p.pk]), OFFICE),
    Case("acceptance_edit", lambda w, p: reverse("projects:acceptance_edit", args=[p.acceptances.get().pk]), OFFICE),
    Case("satisfaction", lambda w, p: reverse("projects:satisfaction", args=[p.pk]), OVERSEE),
    Case(
        "satisfaction_response",
        lambda w, p: reverse("projects:satisfaction_response", args=[p.satisfaction_responses.get().pk]),
        OVERSEE,
    ),
    Case(
        "sub_district",
        lambda w, p: reverse("projects:sub_district", args=[w.sub_district.pk]),
        {"sub_district_staff", "superuser"},
    ),
    Case("poster", lambda w, p: reverse("projects:poster", args=[w.compound.pk]), VIEWERS),
    Case("public_project", lambda w, p: reverse("projects:public_project", args=[w.compound.pk, p.pk]), EVERYONE),
    Case("noticeboard", lambda w, p: reverse("projects:noticeboard", args=[w.compound.pk]), EVERYONE),
    # Writes
    Case(
        "project_create_post",
        lambda w, p: reverse("projects:project_create", args=[w.community.pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {
            "title": "新项目",
            "project_class": "basic",
            "work_type": "sewage",
            "is_public": "on",
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
            "firms-TOTAL_FORMS": "0",
            "firms-INITIAL_FORMS": "0",
        },
        changed=lambda w, p: w.community.projects.filter(title="新项目").exists(),
    ),
    Case(
        "project_edit_post",
        lambda w, p: reverse("projects:project_edit", args=[p.pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {
            "title": "改名了",
            "project_class": "basic",
            "work_type": "sewage",
            "compounds": [w.compound.pk],  # the scope unchanged: a scope change needs a reason
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
            "firms-TOTAL_FORMS": "0",
            "firms-INITIAL_FORMS": "0",
        },
        changed=lambda w, p: type(p).objects.get(pk=p.pk).title == "改名了",
    ),
    Case(
        "project_stage_post",
        lambda w, p: reverse("projects:project_stage", args=[p.pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {"to_stage": Stage.ACCEPTANCE},
        changed=lambda w, p: type(p).objects.get(pk=p.pk).stage == Stage.ACCEPTANCE,
    ),
    Case(
        "project_ballot_requirement",
        lambda w, p: reverse("projects:project_ballot_requirement", args=[p.pk]),
        OFFICE,
    ),
    Case(
        "project_ballot_requirement_post",
        lambda w, p: reverse("projects:project_ballot_requirement", args=[p.pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {"rule": "art278_major", "reason": "业委会要求表决"},
        changed=lambda w, p: type(p).objects.get(pk=p.pk).requires_passed_ballot == "art278_major",
    ),
    Case(
        "project_scope_post",
        lambda w, p: reverse("projects:project_scope", args=[p.pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {"included": "0", "unit": w.unit.pk, "room": w.household.room, "reason": "空置"},
        changed=lambda w, p: ScopeEvent.objects.exists(),
    ),
    Case(
        "scope_undo",
        lambda w, p: reverse("projects:scope_undo", args=[p.scope_events.get().pk]),
        OFFICE,
        method="post",
        prepare=lambda w, p: scope_adjust(project=p, household=w.household, included=False, reason="x", by=w.staff),
        data=lambda w, p: {"reason": "误操作"},
        changed=lambda w, p: ScopeEvent.objects.filter(reverses__isnull=False).exists(),
    ),
    Case(
        "scope_confirm",
        lambda w, p: reverse("projects:scope_confirm", args=[p.scope_events.get().pk]),
        OFFICE,
        method="post",
        prepare=lambda w, p: _pending_removal(w, p),
        changed=lambda w, p: ScopeEventReview.objects.filter(decision="confirmed").exists(),
    ),
    Case(
        "scope_reject",
        lambda w, p: reverse("projects:scope_reject", args=[p.scope_events.get().pk]),
        OFFICE,
        method="post",
        prepare=lambda w, p: _pending_removal(w, p),
        data=lambda w, p: {"reason": "仍需改造"},
        changed=lambda w, p: ScopeEventReview.objects.filter(decision="rejected").exists(),
    ),
    Case(
        "community_settings_post",
        lambda w, p: reverse("projects:community_settings", args=[w.community.pk]),
        {"admin", "superuser"},
        method="post",
        data=lambda w, p: {"notice_min_days": "20"},
        changed=lambda w, p: type(w.community).objects.get(pk=w.community.pk).notice_min_days == 20,
    ),
    Case(
        "progress_record",
        lambda w, p: reverse("projects:progress_record", args=[p.progress_items.get().pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {f"item{p.progress_items.get().pk}-done": "190"},
        changed=lambda w, p: ProgressItem.objects.get().done == 190,
    ),
    Case(
        "progress_item_delete",
        lambda w, p: reverse("projects:progress_item_delete", args=[p.progress_items.get().pk]),
        OFFICE,
        method="post",
        changed=lambda w, p: not ProgressItem.objects.exists(),
    ),
    Case(
        "timeline_delete",
        lambda w, p: reverse("projects:timeline_delete", args=[_entry(p).pk]),
        OFFICE,
        method="post",
        changed=lambda w, p: not TimelineEntry.objects.exists(),
    ),
    Case(
        "photo_delete",
        lambda w, p: reverse("projects:photo_delete", args=[TimelinePhoto.objects.get().pk]),
        OFFICE,
        method="post",
        changed=lambda w, p: not TimelinePhoto.objects.exists(),
    ),
    Case(
        "complaint_post",
        lambda w, p: reverse("projects:complaint", args=[p.complaints.get().pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {"status": "resolved", "response": "已处理"},
        changed=lambda w, p: Complaint.objects.get().status == ComplaintStatus.RESOLVED,
    ),
    Case(
        "satisfaction_post",
        lambda w, p: reverse("projects:satisfaction", args=[p.pk]),
        OFFICE,
        method="post",
        prepare=lambda w, p: type(p).objects.filter(pk=p.pk).update(stage=Stage.EVALUATION),
        data=lambda w, p: {"unit": w.unit.pk, "room": w.household.room, "channel": "paper", "score": "4"},
        changed=lambda w, p: SatisfactionResponse.objects.filter(household=w.household).exists(),
    ),
    Case(
        "satisfaction_response_post",
        lambda w, p: reverse("projects:satisfaction_response", args=[p.satisfaction_responses.get().pk]),
        OFFICE,
        method="post",
        data=lambda w, p: {"score": "1", "comment": "", "reason": "更正"},
        changed=lambda w, p: SatisfactionResponse.objects.get().score == 1,
    ),
    Case(
        "rate",
        lambda w, p: reverse("projects:rate", args=[p.pk]),
        {"resident"},
        method="post",
        prepare=lambda w, p: type(p).objects.filter(pk=p.pk).update(stage=Stage.EVALUATION),
        data=lambda w, p: {"score": "5"},
        changed=lambda w, p: SatisfactionResponse.objects.filter(household=w.household).exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(client, act_as, world, project, case, role):
    if case.prepare:
        case.prepare(world, project)
    act_as(client, role)
    url = case.url(world, project)
    data = case.data(world, project) if case.data else {}
    response = getattr(client, case.method)(url, data)
    allowed = role in case.allowed
    if allowed:
        expected = {"get": 200, "post": 302}[case.method]
        assert response.status_code == expected, response.content.decode()[:2000]
        if case.changed:
            assert case.changed(world, project)
    else:
        if case.name == "rate":
            assert response.status_code == 403  # no household code, or not this household's project
        elif role in {"anonymous", "resident", "resident_elsewhere"}:
            assert response.status_code == 302 and reverse("login") in response["Location"]
        else:
            assert response.status_code == 403
        if case.changed:
            assert not case.changed(world, project)


def test_department_viewer_cannot_open_a_complaint_of_another_department(client, world, project, other_department):
    complaint = project.complaints.get()
    Complaint.objects.filter(pk=complaint.pk).update(handler_department=other_department)
    client.force_login(world.department)
    assert client.get(reverse("projects:complaint", args=[complaint.pk])).status_code == 403
    listing = client.get(reverse("projects:complaints", args=[project.pk])).content.decode()
    assert "夜间施工噪音" not in listing


def test_building_head_sees_projects_inside_and_outside_their_buildings_but_no_complaints(client, world, project):
    """Projects are community matters, so a head sees them wherever they are; complaints name
    households of other buildings, so a head sees none, even about their own building."""
    outside = type(project).objects.create(community=world.community, title="2号楼屋面防水")
    outside.buildings.set([world.other_building])
    client.force_login(world.building_head)
    assert client.get(reverse("projects:project", args=[outside.pk])).status_code == 200
    assert project.complaints.get().household.unit.building == world.building  # inside the head's building
    assert client.get(reverse("projects:complaint", args=[project.complaints.get().pk])).status_code == 403
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "夜间施工噪音" not in page


def test_read_only_roles_see_no_write_buttons(client, world, project):
    for role in ("sub_district_staff", "department", "building_head"):
        client.force_login(getattr(world, role))
        page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
        assert reverse("projects:project_edit", args=[project.pk]) not in page
        assert reverse("projects:project_stage", args=[project.pk]) not in page
        assert reverse("projects:complaint_create", args=[project.pk]) not in page
    client.force_login(world.staff)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert reverse("projects:project_edit", args=[project.pk]) in page


@pytest.mark.parametrize(
    "name,args",
    [
        ("projects:project", [999999]),
        ("projects:project_scope", [999999]),
        ("projects:complaint", [999999]),
        ("projects:progress_item_edit", [999999]),
        ("projects:public_project", [999999, 1]),
        ("projects:poster", [999999]),
        ("projects:sub_district", [999999]),
        ("projects:satisfaction_response", [999999]),
    ],
)
def test_unknown_ids_are_404_not_500(client, world, name, args):
    client.force_login(world.superuser)
    assert client.get(reverse(name, args=args)).status_code == 404


def test_a_project_of_another_compound_is_not_on_this_compounds_public_page(client, world, project):
    other = type(project).objects.create(community=world.other_community, title="南路一上下水")
    other.compounds.set([world.other_compound])
    assert client.get(reverse("projects:public_project", args=[world.compound.pk, other.pk])).status_code == 404
    type(project).objects.filter(pk=project.pk).update(is_public=False)
    assert client.get(reverse("projects:public_project", args=[world.compound.pk, project.pk])).status_code == 404
