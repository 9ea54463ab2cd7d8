"""Stage transitions: one step forward at a time, back with a note, every change recorded,
and the guard hook the sign-off tracker uses to hold a project before construction."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.models import Project, Stage, StageTransition
from projects.services.stages import STAGES, StageBlocked, check_stage_change, project_change_stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsigned_guard():
    """A guard like the sign-off tracker's: blocks construction while a flag is set."""
    calls = []

    def guard(change):
        calls.append((change.obj.pk, change.now))
        if change.obj.description == "unsigned":
            return ["5号楼1单元: 2 households have not signed (1602, 902)."]
        return []

    STAGES.register_guard(guard, to=Stage.CONSTRUCTION)
    yield calls
    STAGES.unregister_guard(guard, to=Stage.CONSTRUCTION)


def test_a_project_walks_through_every_stage_and_each_step_is_recorded(world):
    project = f.project(community=world.community)
    start = timezone.now()
    for i, stage in enumerate(Stage.ordered()[1:], start=1):
        project_change_stage(
            project=project, to_stage=stage, by=world.staff, note=f"step {i}", now=start + timedelta(days=i)
        )
    project.refresh_from_db()
    assert project.stage == Stage.COMPLETED
    assert project.stage_changed_at == start + timedelta(days=7)
    history = list(project.transitions.values_list("from_stage", "to_stage", "note"))
    assert history[0] == (Stage.NEEDS, Stage.DESIGN, "step 1")
    assert history[-1] == (Stage.EVALUATION, Stage.COMPLETED, "step 7")
    assert len(history) == 7
    assert set(project.transitions.values_list("changed_by", flat=True)) == {world.staff.pk}


def test_skipping_a_stage_is_refused(world):
    project = f.project(community=world.community)
    with pytest.raises(StageBlocked):
        project_change_stage(project=project, to_stage=Stage.CONSENT, by=world.staff)
    assert not StageTransition.objects.exists()


def test_going_back_needs_a_note_and_skips_the_guards(world, unsigned_guard):
    project = f.project(community=world.community, stage=Stage.ACCEPTANCE, description="unsigned")
    with pytest.raises(ValidationError):
        project_change_stage(project=project, to_stage=Stage.DESIGN, by=world.staff, note="  ")
    project_change_stage(project=project, to_stage=Stage.DESIGN, by=world.staff, note="方案要重做")
    project.refresh_from_db()
    assert project.stage == Stage.DESIGN
    assert unsigned_guard == []  # guards apply only going forward


def test_a_guard_blocks_construction_and_its_reasons_are_given(world, unsigned_guard):
    project = f.project(community=world.community, stage=Stage.NOTICE, description="unsigned")
    now = timezone.now()
    with pytest.raises(StageBlocked) as blocked:
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=now)
    assert blocked.value.messages == ["5号楼1单元: 2 households have not signed (1602, 902)."]
    assert unsigned_guard == [(project.pk, now)]  # the guard is given the clock
    project.refresh_from_db()
    assert project.stage == Stage.NOTICE
    Project.objects.filter(pk=project.pk).update(description="")
    project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff)
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION


def test_guards_of_other_stages_do_not_apply(world, unsigned_guard):
    project = f.project(community=world.community, stage=Stage.NEEDS, description="unsigned")
    assert check_stage_change(project=project, to_stage=Stage.DESIGN, now=timezone.now()) == []


def test_stage_page_shows_the_guard_reasons_and_keeps_the_stage(client, world, unsigned_guard):
    project = f.project(community=world.community, stage=Stage.NOTICE, description="unsigned")
    client.force_login(world.staff)
    detail = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "2 households have not signed" in detail  # shown before anyone tries
    response = client.post(reverse("projects:project_stage", args=[project.pk]), {"to_stage": Stage.CONSTRUCTION})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="stage-blocked"' in page
    assert "2 households have not signed" in page
    assert "无法进入" in page  # in Chinese
    project.refresh_from_db()
    assert project.stage == Stage.NOTICE


def test_stage_page_moves_forward_and_back_with_a_message(client, world):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    client.force_login(world.staff)
    url = reverse("projects:project_stage", args=[project.pk])
    response = client.post(url, {"to_stage": Stage.CONSENT, "note": "方案定了"}, follow=True)
    assert "意愿征询" in response.content.decode() or "征询" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.CONSENT
    response = client.post(url, {"to_stage": Stage.NEEDS, "note": ""})
    assert response.status_code == 200
    assert "说明" in response.content.decode() or "原因" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.CONSENT
    client.post(url, {"to_stage": Stage.NEEDS, "note": "居民提出新需求"})
    project.refresh_from_db()
    assert project.stage == Stage.NEEDS
    assert project.transitions.last().note == "居民提出新需求"


@pytest.mark.parametrize("bad", ["", "nonsense", Stage.COMPLETED])
def test_stage_page_bad_input_never_fails(client, world, bad):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    client.force_login(world.staff)
    response = client.post(reverse("projects:project_stage", args=[project.pk]), {"to_stage": bad})
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.stage == Stage.DESIGN


def test_double_submit_moves_only_one_stage(client, world):
    project = f.project(community=world.community, stage=Stage.DESIGN)
    client.force_login(world.staff)
    url = reverse("projects:project_stage", args=[project.pk])
    client.post(url, {"to_stage": Stage.CONSENT})
    second = client.post(url, {"to_stage": Stage.CONSENT})
    assert second.status_code == 200  # "already in this stage", not an error page
    assert project.transitions.count() == 1
