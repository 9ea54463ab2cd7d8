"""How long the district-scale wish list takes to seed, and how its pages read at that size.

Runs against the database in DATABASE_URL, which must be empty (it migrates it first):

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/wishes_district.py
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/wishes_district.py

Without the registry seed step of ``seed_demo`` it builds a stand-in district first: 30
communities × 4 compounds × 10 buildings × 3 units × 30 households (108,000 households),
one office member per community. Then it times seed step 40 at ``district`` scale and the
reads the pages make on the busiest compound and community.
"""

import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from consult.demo.wishes import seed_wishes  # noqa: E402
from consult.models import Support, Wish  # noqa: E402
from consult.selectors.wishes import QueueFilters, public_wishes, wish_queue  # noqa: E402
from projects.demo import DemoContext  # noqa: E402
from projects.models import Building, Community, Compound, Household, Membership, Role, SubDistrict, Unit  # noqa: E402


def build_registry() -> None:
    with transaction.atomic():
        sub_district = SubDistrict.objects.create(name="基准街道")
        user_model = get_user_model()
        for c in range(30):
            community = Community.objects.create(sub_district=sub_district, name=f"基准社区{c + 1}")
            staff = user_model.objects.create_user(f"bench_staff_{c + 1}", password="bench-only-1")
            Membership.objects.create(user=staff, community=community, role=Role.STAFF)
            compounds = Compound.objects.bulk_create(
                [Compound(community=community, name=f"小区{c + 1}-{k + 1}") for k in range(4)]
            )
            buildings = Building.objects.bulk_create(
                [Building(compound=x, name=f"{b + 1}号楼", sort_key=b + 1) for x in compounds for b in range(10)]
            )
            units = Unit.objects.bulk_create(
                [Unit(building=b, name=f"{u + 1}单元", sort_key=u + 1) for b in buildings for u in range(3)]
            )
            Household.objects.bulk_create(
                [
                    Household(unit=u, room=f"{f + 1}0{r + 1}", floor=f + 1, area=Decimal("65.00"), phone="13800000000")
                    for u in units
                    for f in range(15)
                    for r in range(2)
                ],
                batch_size=5000,
            )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label, func):
    reset_queries()
    started = time.monotonic()
    result = func()
    print(f"  {label}: {(time.monotonic() - started) * 1000:.0f} ms")
    return result


def main() -> None:
    print(f"engine: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if Wish.objects.exists():
        sys.exit("The database already has wishes; use an empty one.")
    if not Household.objects.exists():
        started = time.monotonic()
        build_registry()
        print(f"stand-in registry: {Household.objects.count()} households in {time.monotonic() - started:.1f}s")
    ctx = DemoContext(scale="district", rng=random.Random(2024), now=timezone.now(), log=lambda m: print(f"  {m}"))
    started, cpu = time.monotonic(), _cpu()
    seed_wishes(ctx)
    print(
        f"seed step 40 (district): {Wish.objects.count()} wishes, "
        f"{Support.objects.filter(withdrawn_at__isnull=True).count()} supports in {time.monotonic() - started:.1f}s "
        f"(this process used {_cpu() - cpu:.1f}s of CPU; the rest is the database and other load)"
    )
    busiest = Compound.objects.annotate(n=Count("wishes")).order_by("-n").first()
    community = busiest.community
    print(f"reads on the busiest compound ({busiest.n} wishes):")
    timed("public list, first page by support", lambda: list(public_wishes(busiest)[:20]))
    timed("public list, count for the pager", lambda: public_wishes(busiest).count())
    user = Membership.objects.filter(community=community).first().user
    timed("triage queue, first page", lambda: list(wish_queue(user, community, QueueFilters())[:50]))
    timed(
        "triage queue, open wishes by support",
        lambda: list(wish_queue(user, community, QueueFilters(status="open", sort="support"))[:50]),
    )


if __name__ == "__main__":
    main()
