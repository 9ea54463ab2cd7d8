"""Issue 10's bypass, replayed: take the six households that have not agreed out of scope
("暂时联系不上"), move consent → notice → construction in the same second, then undo the
removals. Every step is refused or recorded, and the gate stays closed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects.models import ScopeEvent, Stage
from projects.selectors.scope import affected_households
from projects.services.scope import scope_adjust, scope_undo
from projects.services.stages import StageBlocked, blocking_reasons, project_change_stage

from .conftest import T0

pytestmark = pytest.mark.django_db


def test_the_bypass_is_refused_or_recorded_and_the_gate_stays_closed(riser, world):
    world.community.notice_min_days = 7  # the default, as a community that never changed it
    world.community.save(update_fields=["notice_min_days"])
    project, now = riser.project, T0.replace(hour=15)
    before = set(affected_households(project).values_list("pk", flat=True))

    # 1. Take the six out: recorded, each with who, when and why, but none counts yet.
    removals = [
        scope_adjust(project=project, household=h, included=False, reason="暂时联系不上", by=world.staff, now=now)
        for h in riser.holdouts
    ]
    assert all(r.needs_confirmation and r.is_pending for r in removals)
    assert set(affected_households(project).values_list("pk", flat=True)) == before

    # 2. consent → notice → construction in the same second: notice yes, construction no.
    project_change_stage(project=project, to_stage=Stage.NOTICE, by=world.staff, now=now)
    project.refresh_from_db()
    with translation.override("zh-hans"), pytest.raises(StageBlocked) as blocked:
        project_change_stage(project=project, to_stage=Stage.CONSTRUCTION, by=world.staff, now=now)
    messages = blocked.value.messages
    assert "公示期至少7天：本项目最早可于2026-03-09 15:00进入施工阶段。" in messages
    assert any("还有6户未同意" in m for m in messages), messages  # the sign-off gate too
    project.refresh_from_db()
    assert project.stage == Stage.NOTICE

    # 3. Undo the removals: refused, they never took effect; nothing is deleted.
    for removal in removals:
        with pytest.raises(ValidationError):
            scope_undo(event=removal, reason="联系上了", by=world.staff, now=now)
    assert ScopeEvent.objects.filter(project=project).count() == 6
    assert all(e.reason == "暂时联系不上" and e.made_by == world.staff for e in ScopeEvent.objects.all())

    # The project form cannot shrink the scope either while the campaign is open (see
    # test_scope_events.py); a week later the notice is long enough, but the gate is closed.
    week_later = now.replace(day=now.day + 7)
    with translation.override("zh-hans"):
        reasons = blocking_reasons(project, Stage.CONSTRUCTION, now=week_later)
    assert reasons and not any("公示期" in r for r in reasons)
    assert any("还有6户未同意" in r for r in reasons)
