"""``manage.py seed_demo``: fill an empty database with the demo (or the district benchmark).

Runs every registered demo step (``projects.demo.demo_steps()``: registry first, then
projects, meetings, wishes, ballots, sign-offs) inside ONE transaction, so a failing step
leaves the database exactly as empty as it was and the next ``dev.py serve`` simply tries
again. It only ever fills an empty database: mixing demo people into real records would be
a privacy and data-quality accident, so a database with data is refused, not appended to.
"""

import random
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.demo import DemoContext, demo_steps
from projects.models import Household, SubDistrict

DEFAULT_SEED = 2021
COUNTED_APPS = ("auth", "projects", "consult", "notify")


def existing_data() -> dict[str, int]:
    """Rows that make a database "not empty": registry places, households, user accounts."""
    models = (SubDistrict, Household, get_user_model())
    counts = {model._meta.verbose_name_plural: model._default_manager.count() for model in models}
    return {label: n for label, n in counts.items() if n}


def row_counts() -> dict:
    """Rows per model of the apps the demo fills, to report what each step created."""
    return {
        model: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.label in COUNTED_APPS
        for model in config.get_models()
    }


def describe(before: dict, after: dict) -> str:
    created = [(model, after[model] - before.get(model, 0)) for model in after]
    parts = [f"{n:,} {model._meta.verbose_name_plural}" for model, n in created if n]
    return ", ".join(parts) or _("nothing")


class Command(BaseCommand):
    help = "Fill an empty database with demo data (or the district-scale benchmark data set)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "district"],
            default="demo",
            help="demo: the named places of the news reports (about 3,300 households); "
            "district: one sub-district with 12 communities and 50,000 households.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the database already has data, instead of failing.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed: the same seed gives the same data."
        )

    def handle(self, *args, scale, if_empty, seed, **options):
        existing = existing_data()
        if existing:
            found = ", ".join(f"{n:,} {label}" for label, n in existing.items())
            if if_empty:
                self.stdout.write(
                    _("The database already has data (%(found)s): demo data not loaded.") % {"found": found}
                )
                return
            raise CommandError(
                _(
                    "The database already has data (%(found)s). seed_demo only fills an empty database, "
                    "so that demo people never mix with real records. Use a fresh database: point "
                    "DATABASE_URL at a new one (or delete db.sqlite3), run migrate, then seed_demo."
                )
                % {"found": found}
            )

        ctx = DemoContext(
            scale=scale, rng=random.Random(seed), now=timezone.now(), log=lambda msg: self.stdout.write(f"      {msg}")
        )
        self.stdout.write(_("Loading demo data (scale %(scale)s, seed %(seed)s)") % {"scale": scale, "seed": seed})
        started = time.perf_counter()
        before = row_counts()
        first = before
        with transaction.atomic():
            for step in demo_steps():
                step_started = time.perf_counter()
                step.func(ctx)
                elapsed = time.perf_counter() - step_started
                after = row_counts()
                self.stdout.write(f"  [{step.order:>2}] {step.name:<12} {elapsed:6.2f} s  {describe(before, after)}")
                before = after
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: with autovacuum off (or before it wakes up),
            # the tables just filled still look empty and every page would get a bad plan.
            analyze_started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"  [--] ANALYZE       {time.perf_counter() - analyze_started:6.2f} s")
        total = time.perf_counter() - started
        summary = _("Demo data loaded in %(seconds).1f s: %(created)s") % {
            "seconds": total,
            "created": describe(first, before),
        }
        self.stdout.write(self.style.SUCCESS(summary))
