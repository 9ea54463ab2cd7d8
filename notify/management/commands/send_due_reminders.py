"""Send the reminders that are due by themselves; safe to run every few minutes."""

from django.core.management.base import BaseCommand

from notify.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Queue the 'ballot closes within 48 hours' SMS to households that have not voted, once per ballot."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{len(sent)} reminder(s) queued")
