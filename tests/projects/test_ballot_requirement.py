"""Which ballot a project must pass: the default by work type when it is created, and the
change by staff, which needs a reason and is kept."""

import pytest
from django.urls import reverse
from django.utils import translation

from projects.errors import ServiceError
from projects.models import BallotRequirementChange, DecisionRule, Project, WorkType, default_ballot_requirement
from projects.services.ballot_requirement import ballot_requirement_set
from tests import factories as f

pytestmark = pytest.mark.django_db

MAJOR = DecisionRule.ART278_MAJOR


@pytest.mark.parametrize(
    ("work_type", "required"),
    [
        (WorkType.ELEVATOR, MAJOR),
        (WorkType.MAINTENANCE_FUND, MAJOR),
        (WorkType.COMMON_PARTS, MAJOR),
        (WorkType.WATER_PIPES, ""),
        (WorkType.SQUARE, ""),
        (WorkType.OTHER, ""),
    ],
)
def test_the_default_follows_the_work_type(work_type, required):
    assert default_ballot_requirement(work_type) == required


def project_form(work_type):
    return {
        "title": "新项目",
        "project_class": "improvement",
        "work_type": work_type,
        "is_public": "on",
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "firms-TOTAL_FORMS": "0",
        "firms-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize(("work_type", "required"), [("elevator", MAJOR), ("common_parts", MAJOR), ("greenery", "")])
def test_a_new_project_gets_the_default_of_its_work_type(client, world, work_type, required):
    client.force_login(world.staff)
    client.post(reverse("projects:project_create", args=[world.community.pk]), project_form(work_type))
    assert Project.objects.get(title="新项目").requires_passed_ballot == required


def test_editing_the_project_keeps_the_requirement(client, world):
    project = f.project(community=world.community, work_type=WorkType.ELEVATOR, requires_passed_ballot=MAJOR)
    client.force_login(world.staff)
    client.post(reverse("projects:project_edit", args=[project.pk]), {**project_form("greenery"), "title": "改名"})
    project.refresh_from_db()
    assert project.title == "改名" and project.requires_passed_ballot == MAJOR


def test_a_change_is_recorded_with_who_and_why(world):
    project = f.project(community=world.community, work_type=WorkType.ELEVATOR, requires_passed_ballot=MAJOR)
    change = ballot_requirement_set(project=project, rule="", reason="  改为签字同意  ", by=world.staff)
    project.refresh_from_db()
    assert project.requires_passed_ballot == ""
    assert (change.from_rule, change.to_rule, change.reason, change.changed_by) == (
        MAJOR,
        "",
        "改为签字同意",
        world.staff,
    )
    ballot_requirement_set(project=project, rule=DecisionRule.ART278_ORDINARY, reason="恢复", by=world.admin)
    assert list(BallotRequirementChange.objects.values_list("to_rule", flat=True)) == ["", "art278_ordinary"]


@pytest.mark.parametrize(
    ("rule", "reason", "field"),
    [(MAJOR, " ", "reason"), ("two_thirds", "x", "rule"), ("nonsense", "x", "rule"), ("", "没变", "rule")],
)
def test_refusals_name_their_field_and_change_nothing(world, rule, reason, field):
    project = f.project(community=world.community)
    with pytest.raises(ServiceError) as refused:
        ballot_requirement_set(project=project, rule=rule, reason=reason, by=world.staff)
    assert refused.value.field == field
    assert not BallotRequirementChange.objects.exists()


def test_the_form_shows_a_chinese_error_next_to_the_missing_reason(client, world):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    url = reverse("projects:project_ballot_requirement", args=[project.pk])
    with translation.override("zh-hans"):
        response = client.post(url, {"rule": MAJOR, "reason": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    project.refresh_from_db()
    assert project.requires_passed_ballot == ""


def test_the_page_lists_the_changes(client, world):
    project = f.project(community=world.community)
    ballot_requirement_set(project=project, rule=MAJOR, reason="业委会要求表决", by=world.staff)
    client.force_login(world.staff)
    html = client.get(reverse("projects:project_ballot_requirement", args=[project.pk])).content.decode()
    assert html.count('data-testid="requirement-change"') == 1 and "业委会要求表决" in html
