"""The one way to change a row whose changes are logged: lock → apply → validate → diff → save → log.

Household edits, sign-off campaign settings and wish corrections all need the same steps:
read the row again under ``select_for_update`` (a concurrent edit would otherwise be lost
or logged against stale values), validate, save only the fields that changed, and write
one history row with the difference. Each feature keeps its own history format; it passes
a ``history`` writer that receives the locked row and the raw difference.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction

Diff = dict[str, tuple[Any, Any]]
M = TypeVar("M", bound=models.Model)
H = TypeVar("H")


def model_update(
    instance: M,
    fields: Iterable[str],
    data: dict[str, Any],
    *,
    history: Callable[[M, Diff], H],
    clean_exclude: Iterable[str] | None = None,
    touch: dict[str, Any] | None = None,
    check: Callable[[M], None] | None = None,
    force: bool = False,
) -> H | None:
    """Apply ``data`` (only the keys named in ``fields``) to ``instance`` and log the change.

    - ``history(locked, diff)`` writes the feature's history row and is returned; ``diff``
      maps each changed field to ``(old, new)``.
    - ``clean_exclude``: fields ``full_clean`` skips (e.g. relations the form does not edit).
    - ``touch``: values set only when something changed, such as ``updated_at``.
    - ``check(locked)``: further validation that needs the lock (a quota on related rows).
    - ``force``: write and log even with no field change (e.g. only photos changed).

    Returns ``None`` and writes nothing when nothing changed. The caller's ``instance``
    gets the saved values, so a page rendered afterwards shows them.
    """
    fields = list(fields)
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if check is not None:
            check(locked)
        before = {name: getattr(locked, name) for name in fields}
        for name in fields:
            if name in data:
                setattr(locked, name, data[name])
        locked.full_clean(exclude=list(clean_exclude) if clean_exclude is not None else None)
        diff = {name: (before[name], getattr(locked, name)) for name in fields if before[name] != getattr(locked, name)}
        if not diff and not force:
            return None
        for name, value in (touch or {}).items():
            setattr(locked, name, value)
        changed = [*diff, *(touch or {})]
        if changed:
            locked.save(update_fields=changed)
        record = history(locked, diff)
    for name in changed:
        setattr(instance, name, getattr(locked, name))
    return record
