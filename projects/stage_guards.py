"""Rules that can stop a project from entering a stage.

A guard is ``guard(project, *, now) -> list[str]``: the reasons, in words staff can act on,
why the project may not enter the stage yet (empty when it may). The sign-off tracker
registers one for ``Stage.CONSTRUCTION``. ``services.stages.project_change_stage`` refuses a
transition while any guard returns a reason.
"""

from collections import defaultdict
from collections.abc import Callable

_guards: dict[str, list[Callable]] = defaultdict(list)


def register_stage_guard(stage: str, guard: Callable) -> None:
    if guard not in _guards[stage]:
        _guards[stage].append(guard)


def unregister_stage_guard(stage: str, guard: Callable) -> None:
    if guard in _guards[stage]:
        _guards[stage].remove(guard)


def blocking_reasons(project, stage: str, *, now) -> list[str]:
    reasons: list[str] = []
    for guard in _guards[stage]:
        reasons.extend(guard(project, now=now))
    return reasons
