"""The project stages as a ``Lifecycle``: one stage forward at a time, or back to any earlier
stage (with a note) to correct a mistake. Guards registered for a stage hold projects back
from entering it (the sign-off tracker's construction gate); they apply only going forward.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..errors import ServiceError
from ..lifecycle import Change, Lifecycle, Refusals, TransitionTable
from ..models import Project, Stage, StageTransition


class StageBlocked(ServiceError):
    """The target stage's guards are not satisfied; ``messages`` says what is missing."""


def _ordered() -> list[str]:
    return [s.value for s in Stage.ordered()]


def _write_stage(change: Change) -> list[str]:
    change.obj.stage = change.to_state
    change.obj.stage_changed_at = change.now
    return ["stage", "stage_changed_at", "updated_at"]


def _record(change: Change) -> StageTransition:
    return StageTransition.objects.create(
        project=change.obj,
        from_stage=change.from_state,
        to_stage=change.to_state,
        changed_by=change.by,
        changed_at=change.now,
        note=change.note,
    )


STAGES = Lifecycle(
    name="project_stage",
    model=Project,
    table=TransitionTable(
        forward={stage: tuple(_ordered()[i + 1 : i + 2]) for i, stage in enumerate(_ordered())},
        backward={stage: tuple(_ordered()[:i]) for i, stage in enumerate(_ordered())},
        refusals=Refusals(
            unknown=_("Unknown stage."),
            same=_("The project is already in this stage."),
            not_allowed=lambda from_stage, to_stage: _("A project moves forward one stage at a time."),
        ),
    ),
    read_state=lambda project: project.stage,
    write_state=_write_stage,
    record=_record,
    error=StageBlocked,
)


def check_stage_change(*, project: Project, to_stage: str, now) -> list[str]:
    """Reasons the change is not allowed (empty when it is), for the project page."""
    return STAGES.problems(project, to_stage, now=now)


def blocking_reasons(project: Project, stage: str, *, now) -> list[str]:
    """What the registered guards say about ``project`` entering ``stage``."""
    return STAGES.guard_refusals(project, stage, now=now)


def _require_note_going_back(change: Change) -> None:
    """A missing note is a form error (the stage is not blocked, the form is incomplete)."""
    if change.backward and not change.note.strip():
        raise ServiceError(_("Say why the project goes back to an earlier stage."))


def project_change_stage(*, project: Project, to_stage: str, by, note: str = "", now=None) -> StageTransition:
    return STAGES.transition(
        project, to_stage, by=by, note=note, now=now or timezone.now(), apply=_require_note_going_back
    )
