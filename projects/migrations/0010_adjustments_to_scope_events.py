"""Copy the old one-row-per-household scope adjustments into the scope event log."""

from django.db import migrations


def adjustments_to_events(apps, schema_editor):
    """Each old adjustment row (one per project and household, the latest state) becomes one
    event in effect: those removals took effect before a second staff member was required."""
    Adjustment = apps.get_model("projects", "ProjectHouseholdAdjustment")
    ScopeEvent = apps.get_model("projects", "ScopeEvent")
    ScopeEvent.objects.bulk_create(
        ScopeEvent(
            project_id=a.project_id,
            household_id=a.household_id,
            action="add" if a.included else "remove",
            reason=a.reason.strip() or "-",
            made_by_id=a.made_by_id,
            made_at=a.made_at,
        )
        for a in Adjustment.objects.order_by("made_at", "pk")
    )


def events_to_adjustments(apps, schema_editor):
    """Back to one row per household: the latest household event that was not an undo."""
    Adjustment = apps.get_model("projects", "ProjectHouseholdAdjustment")
    ScopeEvent = apps.get_model("projects", "ScopeEvent")
    latest = {}
    for e in ScopeEvent.objects.filter(household__isnull=False, reverses__isnull=True).order_by("pk"):
        latest[(e.project_id, e.household_id)] = e
    Adjustment.objects.bulk_create(
        Adjustment(
            project_id=e.project_id,
            household_id=e.household_id,
            included=e.action == "add",
            reason=e.reason,
            made_by_id=e.made_by_id,
            made_at=e.made_at,
        )
        for e in latest.values()
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_scope_events")]

    operations = [migrations.RunPython(adjustments_to_events, events_to_adjustments)]
