"""``manage.py check_counts [--fix]``: recount the kept figures from the events and report drift.

The kept figures (``consult.counts``) are changed by the services in the same transaction as
the rows they count, so drift means a write went around the services (a bulk load, a hand
edit in the database shell, the admin). Exits non-zero when it finds drift, so a cron job
or a deploy script notices; ``--fix`` then sets each figure to its recount.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from consult.counts import recount_supports, support_drift
from consult.models import Wish

SHOWN = 20  # drifted wishes listed by number; the rest are counted


class Command(BaseCommand):
    help = "Recount kept figures (support per wish) from their rows; report drift, --fix repairs it."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Set every drifted figure to its recount.")

    def handle(self, *args, fix, **options):
        drift = support_drift()
        if not drift:
            self.stdout.write(
                _("Support counts: all %(n)d wishes agree with their supports.") % {"n": Wish.objects.count()}
            )
            return
        for pk, kept, recount in drift[:SHOWN]:
            self.stdout.write(
                _("Wish No. %(pk)d: kept %(kept)d supports, recount %(recount)d.")
                % {"pk": pk, "kept": kept, "recount": recount}
            )
        if len(drift) > SHOWN:
            self.stdout.write(_("… and %(n)d more wishes.") % {"n": len(drift) - SHOWN})
        if fix:
            drifted = [pk for pk, _kept, _recount in drift]
            with transaction.atomic():
                # The same row locks the services take, so no support lands between count and write.
                list(Wish.objects.select_for_update().filter(pk__in=drifted).order_by("pk").values_list("pk"))
                recount_supports(Wish.objects.filter(pk__in=drifted))
            self.stdout.write(_("Repaired the support counts of %(n)d wishes.") % {"n": len(drift)})
            return
        raise CommandError(
            _("%(n)d wishes have a support count that differs from their supports; run with --fix.") % {"n": len(drift)}
        )
