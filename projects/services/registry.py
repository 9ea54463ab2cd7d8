from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import Household, HouseholdChange, SensitiveDataAccess

TRACKED_FIELDS = [
    "room",
    "floor",
    "area",
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
    *, household: Household, data: dict, by, source: str = HouseholdChange.Source.EDIT, now=None
) -> HouseholdChange | None:
    """Apply ``data`` to the household and record what changed; no record when nothing did."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        before = household_snapshot(locked)
        for field, value in data.items():
            if field == "area" and value is not None:
                value = Decimal(value).quantize(Decimal("0.01"))
            setattr(locked, field, value)
        locked.full_clean()
        changes = household_diff(before, locked)
        if not changes:
            return None
        locked.save()
        return HouseholdChange.objects.create(
            household=locked, changed_by=by, changed_at=now, source=source, changes=changes
        )


def log_sensitive_access(*, user, household: Household, context: str, now=None) -> None:
    """Record that a staff member saw a household's health-related care flags."""
    if household.has_care_flags:
        SensitiveDataAccess.objects.create(
            user=user, household=household, viewed_at=now or timezone.now(), context=context
        )
