"""Every record of a resident's act names who typed it in as ``entered_by`` and the paper's
number as ``paper_reference`` (``projects.models.entries``). Renames keep the data."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_audit_trail")]

    operations = [
        # The old per-model constraints name the old fields; they go first.
        migrations.RemoveConstraint(
            model_name='satisfactionresponse',
            name='satisfaction_channel_valid',
        ),
        migrations.RemoveConstraint(
            model_name='satisfactionresponse',
            name='satisfaction_proxy_has_entered_by',
        ),
        migrations.RemoveConstraint(
            model_name='signoffevent',
            name='signoff_event_online_has_no_staff',
        ),
        migrations.RemoveConstraint(
            model_name='signoffevent',
            name='signoff_event_proxy_has_staff',
        ),
        migrations.RenameField("signoffevent", "recorded_by", "entered_by"),
        migrations.RenameField("signoffevent", "form_number", "paper_reference"),
        migrations.RenameField("satisfactionchange", "by", "entered_by"),
    ]
