"""``record``: the one way to write the audit trail (``projects.models.AuditEvent``).

Call it inside the service's transaction, so the change and its record commit together.
``before``/``after`` hold plain JSON (use ``snapshot`` for a model's fields); a diff is
left to the reader page, so the record stays what was there, not an interpretation.
"""

import datetime
import decimal
import uuid

from django.db import models
from django.utils import timezone

from . import ratelimit
from .models import AuditAction, AuditEvent, SensitiveDataAccess

__all__ = ["AuditAction", "care_flags_seen", "changed", "record", "record_export", "snapshot"]


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()  # one spelling per instant, for diffs
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields=None, exclude=(), **extra) -> dict:
    """The concrete fields of ``instance`` (foreign keys as ids) plus ``extra`` values;
    ``fields`` keeps only those, ``exclude`` drops some."""
    data = {}
    for field in instance._meta.concrete_fields:
        if (fields is not None and field.name not in fields) or field.name in exclude:
            continue
        data[field.name if not field.is_relation else field.attname] = _plain(getattr(instance, field.attname))
    data.update({k: _plain(v) for k, v in extra.items()})
    return data


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value differs, from each side."""
    keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    action: str,
    *,
    actor=None,
    actor_name: str = "",
    community=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id="",
    object_label: str = "",
    before=None,
    after=None,
    request=None,
    now=None,
) -> AuditEvent:
    """Append one audit row. ``obj`` fills type, id and label; ``request`` the address."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    return AuditEvent.objects.create(
        at=now or timezone.now(),
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:150],
        community=community,
        action=action,
        object_type=object_type[:60],
        object_id=str(object_id or "")[:40],
        object_label=str(object_label)[:200],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        ip=ratelimit.client_ip(request),
    )


def record_export(request, *, community, what: str, obj: models.Model | None = None, **details) -> AuditEvent:
    """Someone downloaded personal data: which export (``what``), of what, with which
    options (``details``: filters, whether phones were shown)."""
    return record(
        AuditAction.DATA_EXPORTED,
        actor=request.user,
        community=community,
        obj=obj,
        object_type=obj._meta.label_lower if obj is not None else "export",
        object_label=what,
        after=details or None,
        request=request,
    )


def care_flags_seen(*, user, household_ids, community, context: str, request=None, now=None) -> None:
    """Someone saw health-related care flags (PIPL Art. 28). One audit row for the event,
    and one ``SensitiveDataAccess`` row per household: that table is the per-household
    index ("who saw this household's flags?"), written only from here."""
    household_ids = list(household_ids)
    if not household_ids:
        return
    now = now or timezone.now()
    SensitiveDataAccess.objects.bulk_create(
        [SensitiveDataAccess(user=user, household_id=pk, viewed_at=now, context=context) for pk in household_ids],
        batch_size=500,
    )
    record(
        AuditAction.CARE_FLAGS_VIEWED,
        actor=user,
        community=community,
        object_type="projects.household",
        object_id=household_ids[0] if len(household_ids) == 1 else "",
        object_label=context,
        after={"households": len(household_ids)},
        request=request,
        now=now,
    )
