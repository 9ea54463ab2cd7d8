"""The public notice's minimum length: a guard on NOTICE → CONSTRUCTION, per community."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import AuditAction, AuditEvent, Community, Stage
from projects.services.stages import StageBlocked, project_change_stage
from tests import factories as f

from .conftest import T0

pytestmark = pytest.mark.django_db


def _in_notice(world, days):
    Community.objects.filter(pk=world.community.pk).update(notice_min_days=days)
    return f.project(community=world.community, stage=Stage.NOTICE, stage_changed_at=T0)


def test_a_new_community_has_seven_days():
    assert Community._meta.get_field("notice_min_days").default == 7


def test_construction_waits_for_the_end_of_the_notice(world):
    project = _in_notice(world, 7)
    with translation.override("zh-hans"), pytest.raises(StageBlocked) as blocked:
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0 + timedelta(days=6))
    assert blocked.value.messages == ["公示期至少7天：本项目最早可于2026-03-09 09:00进入施工阶段。"]
    project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0 + timedelta(days=7))
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION


def test_the_community_sets_its_own_length_and_zero_turns_it_off(world):
    project = _in_notice(world, 20)  # e.g. Guangzhou's 20 days for elevators
    with pytest.raises(StageBlocked):
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0 + timedelta(days=19))
    Community.objects.filter(pk=world.community.pk).update(notice_min_days=0)
    project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0)


def test_going_back_into_notice_starts_the_clock_again(world):
    project = _in_notice(world, 7)
    project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0 + timedelta(days=8))
    project.refresh_from_db()
    project_change_stage(
        project=project, to_stage=Stage.NOTICE, by=world.staff, note="方案改了", now=T0 + timedelta(days=9)
    )
    project.refresh_from_db()
    with pytest.raises(StageBlocked):
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=T0 + timedelta(days=10))


def test_the_stage_page_names_the_date(client, world):
    project = _in_notice(world, 7)
    type(project).objects.filter(pk=project.pk).update(stage_changed_at=None)  # falls back to creation
    client.force_login(world.staff)
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "公示期至少7天" in page


def test_the_community_admin_edits_the_length_with_errors_next_to_the_field(client, world):
    url = reverse("projects:community_settings", args=[world.community.pk])
    client.force_login(world.admin)
    assert "最短公示期" in client.get(url).content.decode()
    response = client.post(url, {"notice_min_days": "400"})
    assert response.status_code == 200 and "365" in response.content.decode()
    response = client.post(url, {"notice_min_days": "-1"})
    assert response.status_code == 200
    assert client.post(url, {"notice_min_days": "20"}).status_code == 302
    world.community.refresh_from_db()
    assert world.community.notice_min_days == 20
    event = AuditEvent.objects.get(action=AuditAction.COMMUNITY_SETTINGS_CHANGED)
    assert (event.before, event.after) == ({"notice_min_days": 0}, {"notice_min_days": 20})
    client.force_login(world.staff)
    assert client.post(url, {"notice_min_days": "1"}).status_code == 403
