"""Every record of a resident's act names who typed it in as ``entered_by`` and the paper's
number as ``paper_reference`` (``projects.models.entries``). Renames keep the data."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consult", "0002_ballot_event_note_params")]

    operations = [
        # The old per-model constraints name the old fields; they go first.
        migrations.RemoveConstraint(
            model_name='ballotobjection',
            name='objection_proxy_records_staff',
        ),
        migrations.RemoveConstraint(
            model_name='castballot',
            name='cast_ballot_paper_serial_once',
        ),
        migrations.RemoveConstraint(
            model_name='castballot',
            name='cast_ballot_channel_valid',
        ),
        migrations.RemoveConstraint(
            model_name='castballot',
            name='cast_ballot_paper_has_serial',
        ),
        migrations.RemoveConstraint(
            model_name='castballot',
            name='cast_ballot_proxy_records_staff',
        ),
        migrations.RemoveConstraint(
            model_name='meetingrsvp',
            name='rsvp_proxy_has_recorder',
        ),
        migrations.RemoveConstraint(
            model_name='support',
            name='wish_support_channel_valid',
        ),
        migrations.RemoveConstraint(
            model_name='support',
            name='wish_support_offline_names_who_entered',
        ),
        migrations.RemoveConstraint(
            model_name='wish',
            name='wish_channel_valid',
        ),
        migrations.RemoveConstraint(
            model_name='wish',
            name='wish_offline_names_who_entered',
        ),
        migrations.RenameField("meetingrsvp", "recorded_by", "entered_by"),
        migrations.RenameField("wish", "paper_ref", "paper_reference"),
        migrations.RenameField("support", "paper_ref", "paper_reference"),
        migrations.RenameField("castballot", "paper_serial", "paper_reference"),
    ]
