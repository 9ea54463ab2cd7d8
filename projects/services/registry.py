from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..models import Household, HouseholdChange
from ..models.registry import OWNERS_CHANGE
from .model_update import model_update
from .owners import OwnerSpec, owners_text, set_owners

TRACKED_FIELDS = [
    "room",
    "floor",
    "area",
    "area_source",
    "kind",
    "owner_names",
    "phone",
    "elderly_alone",
    "mobility_impaired",
    "bedridden",
    "notes",
    "unit_id",
]


def _plain(value):
    return str(value) if value is not None and not isinstance(value, bool | int | str) else value


def household_diff(before: dict, after: Household) -> dict:
    return {
        field: [_plain(before[field]), _plain(getattr(after, field))]
        for field in TRACKED_FIELDS
        if _plain(before[field]) != _plain(getattr(after, field))
    }


def household_snapshot(household: Household) -> dict:
    return {field: getattr(household, field) for field in TRACKED_FIELDS}


def household_update(
    *,
    household: Household,
    data: dict,
    by,
    source: str = HouseholdChange.Source.EDIT,
    now=None,
    owners: OwnerSpec | None = None,
    extra: dict | None = None,
) -> HouseholdChange | None:
    """Apply ``data`` to the household and record what changed; no record when nothing did.
    ``owners`` (the form's names, kind and reference) relinks the household's owners in the
    same transaction; ``owner_names`` then becomes their names as the registry spells them,
    and the history entry names the owners before and after (with kind or reference, since a
    change of kind alone changes how the flat counts). ``extra`` is added to that entry."""
    now = now or timezone.now()
    if data.get("area") is not None:
        data = {**data, "area": Decimal(data["area"]).quantize(Decimal("0.01"))}
    if owners is not None:
        data = {**data, "owner_names": owners.display}
        with transaction.atomic():
            before = owners_text(household) or household.owner_names  # names never linked yet
            set_owners(household.unit.building.compound.community_id, [(household, owners)])
            after = owners_text(household)
            extra = {OWNERS_CHANGE: [before, after]} if before != after else {}
            change = household_update(household=household, data=data, by=by, source=source, now=now, extra=extra)
            if change is None and extra:  # only the owners' kind or reference changed
                change = HouseholdChange.objects.create(
                    household=household, changed_by=by, changed_at=now, source=source, changes=extra
                )
            return change

    def log(locked: Household, diff: dict) -> HouseholdChange:
        changes = {field: [_plain(old), _plain(new)] for field, (old, new) in diff.items()} | (extra or {})
        return HouseholdChange.objects.create(
            household=locked, changed_by=by, changed_at=now, source=source, changes=changes
        )

    return model_update(household, TRACKED_FIELDS, data, history=log)


def log_sensitive_access(*, user, household: Household, context: str, now=None, request=None) -> None:
    """Record that a staff member saw a household's health-related care flags."""
    if household.has_care_flags:
        audit.care_flags_seen(
            user=user,
            household_ids=[household.pk],
            community=household.unit.building.compound.community,
            context=context,
            request=request,
            now=now,
        )
