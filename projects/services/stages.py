from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Project, Stage, StageTransition
from ..stage_guards import blocking_reasons


class StageBlocked(ValidationError):
    """The target stage's guards are not satisfied; ``messages`` says what is missing."""


def check_stage_change(*, project: Project, to_stage: str, now) -> list[str]:
    """Reasons the change is not allowed (empty when it is).

    A project moves one stage forward at a time, or back to any earlier stage to correct a
    mistake. Guards registered for the target stage apply only when moving forward.
    """
    if to_stage not in Stage.values:
        return [_("Unknown stage.")]
    current = Stage.index(project.stage)
    target = Stage.index(to_stage)
    if target == current:
        return [_("The project is already in this stage.")]
    if target > current + 1:
        return [_("A project moves forward one stage at a time.")]
    if target < current:
        return []
    return blocking_reasons(project, to_stage, now=now)


def project_change_stage(*, project: Project, to_stage: str, by, note: str = "", now=None) -> StageTransition:
    now = now or timezone.now()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        reasons = check_stage_change(project=project, to_stage=to_stage, now=now)
        if reasons:
            raise StageBlocked(reasons)
        if Stage.index(to_stage) < Stage.index(project.stage) and not note.strip():
            raise ValidationError(_("Say why the project goes back to an earlier stage."))
        transition = StageTransition.objects.create(
            project=project,
            from_stage=project.stage,
            to_stage=to_stage,
            changed_by=by,
            changed_at=now,
            note=note,
        )
        project.stage = to_stage
        project.stage_changed_at = now
        project.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return transition
