"""``manage.py verify_ballot_digest <ballot id> | --all``: recompute published results' digests.

Exit status 0 when every digest checked matches, 1 when any does not (so a cron job or a
reviewer's script notices), 2 when there is nothing to check (unknown or unpublished
ballot). How the digest is computed: ``consult/ballot_digest.py``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from consult.ballot_digest import check_digest
from consult.models import Ballot

MISMATCH = 1
NOTHING_TO_CHECK = 2


class Command(BaseCommand):
    help = "Recompute the SHA-256 digest of published ballot results and compare it with the published one."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("ballot_id", nargs="?", type=int, help="The ballot to check.")
        target.add_argument("--all", action="store_true", dest="every", help="Check every published ballot.")

    def handle(self, *args, ballot_id=None, every=False, **options):
        published = Ballot.objects.filter(published_at__isnull=False).order_by("pk")
        if every:
            ballots = list(published)
        else:
            ballots = list(published.filter(pk=ballot_id))
            if not ballots:
                raise CommandError(
                    _("Ballot %(id)s does not exist or its result is not published.") % {"id": ballot_id},
                    returncode=NOTHING_TO_CHECK,
                )
        mismatches = 0
        for ballot in ballots:
            check = check_digest(ballot)
            if check.matches:
                self.stdout.write(
                    _("ballot %(id)d: matches %(digest)s") % {"id": ballot.pk, "digest": check.recomputed}
                )
            else:
                mismatches += 1
                self.stdout.write(
                    self.style.ERROR(
                        _("ballot %(id)d: DOES NOT MATCH: recomputed %(recomputed)s, published %(stored)s")
                        % {"id": ballot.pk, "recomputed": check.recomputed, "stored": check.stored or "-"}
                    )
                )
        if mismatches:
            raise CommandError(
                _("%(n)d of %(total)d published results do not match.") % {"n": mismatches, "total": len(ballots)},
                returncode=MISMATCH,
            )
        self.stdout.write(
            self.style.SUCCESS(_("%(total)d published results checked, all match.") % {"total": len(ballots)})
        )
