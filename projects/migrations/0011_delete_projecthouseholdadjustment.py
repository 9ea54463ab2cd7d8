"""The adjustment table is replaced by the scope event log (copied by 0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("projects", "0010_adjustments_to_scope_events")]

    operations = [migrations.DeleteModel(name="ProjectHouseholdAdjustment")]
