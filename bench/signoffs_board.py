"""Render time of the sign-off board for a 2,000-household campaign.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_signoffs_bench \
        .venv/bin/python bench/signoffs_board.py [--households 2000] [--runs 30]

Creates the database when missing, migrates, builds a district-sized registry (buildings of
4 units × 50 households) and the district demo campaign over it (``seed_district_campaign``:
bulk events and contacts, records rebuilt from the logs), then renders each sign-off page
through Django's test client as a community staff member and reports the median and 95th
percentile wall time and the number of queries. The data stays for the next run.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = url.replace(parsed.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build(households: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from projects.demo import DemoContext
    from projects.demo.signoffs import seed_district_campaign
    from projects.models import Building, Community, Compound, Household, Membership, Role, SubDistrict, Unit

    community_name = f"压测社区{households}"
    sub_district, _ = SubDistrict.objects.get_or_create(name="压测街道")
    community, created = Community.objects.get_or_create(sub_district=sub_district, name=community_name)
    user, _ = get_user_model().objects.get_or_create(username=f"bench_staff_{households}")
    Membership.objects.get_or_create(user=user, community=community, defaults={"role": Role.STAFF})
    if created:
        compound = Compound.objects.create(community=community, name=f"压测小区{households}")
        per_unit, units_per_building = 50, 4
        rows, n = [], 0
        for b in range((households + per_unit * units_per_building - 1) // (per_unit * units_per_building)):
            building = Building.objects.create(compound=compound, name=f"{b + 1}号楼", sort_key=b + 1)
            for u in range(units_per_building):
                unit = Unit.objects.create(building=building, name=f"{u + 1}单元", sort_key=u + 1)
                for i in range(per_unit):
                    if n == households:
                        break
                    floor = i // 2 + 1
                    rows.append(
                        Household(
                            unit=unit,
                            room=f"{floor}{i % 2 + 1:02d}",
                            floor=floor,
                            area=60 + (n % 7) * 5,
                            owner_names=f"业主{n}",
                            phone="13900139000",
                        )
                    )
                    n += 1
        Household.objects.bulk_create(rows, batch_size=2000)
    ctx = DemoContext(scale="district", rng=random.Random(1), now=timezone.now(), log=print)
    seed_district_campaign(ctx, target=households)
    from projects.models import SignoffCampaign

    campaign = SignoffCampaign.objects.select_related("project").get(project__community=community)
    return campaign, user


def measure(client, url: str, runs: int, method: str = "get", data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    getattr(client, method)(url, data or {})  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        getattr(client, method)(url, data or {})
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own, e.g. .../h_signoffs_bench")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from projects.selectors import signoffs as sel

    call_command("migrate", verbosity=0)
    campaign, user = build(args.households)
    progress = sel.campaign_progress(campaign, now=timezone.now())
    client = Client()
    client.force_login(user)
    households = list(sel.campaign_households(campaign).order_by("pk").values_list("pk", "unit_id"))
    blocker = sel.blockers(user, campaign, sel.BlockerFilter(), now=timezone.now()).first()
    pages = {
        "board": reverse("projects:signoff_board", args=[campaign.pk]),
        "unit grid (50 households)": reverse("projects:signoff_unit", args=[campaign.pk, households[-1][1]]),
        "blocker list (page 1 of 50)": reverse("projects:signoff_blockers", args=[campaign.pk]),
        "visit list (all blockers)": reverse("projects:signoff_visits", args=[campaign.pk]),
        "sign-off sheets (all units)": reverse("projects:signoff_sheets", args=[campaign.pk]),
        "export .xlsx": reverse("projects:signoff_export", args=[campaign.pk]),
        "project page (gate panel)": reverse("projects:project", args=[campaign.project_id]),
    }
    print(f"\n{connection.vendor} · {datetime.now():%Y-%m-%d %H:%M} · campaign {campaign.pk}")
    print(
        f"{progress.totals.total} households in {len(progress.units)} units, {progress.totals.agreed} agreed, "
        f"gate {'open' if progress.gate_open else 'closed'} · {args.runs} runs each\n"
    )
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, page in pages.items():
        runs = (
            args.runs
            if "sheets" not in name and "export" not in name and "visit" not in name
            else max(5, args.runs // 3)
        )
        median, p95, queries = measure(client, page, runs)
        print(f"{name:32} {median:10.1f} {p95:8.1f} {queries:8d}")
    tick = reverse("projects:signoff_tick", args=[campaign.pk, blocker.pk])
    statuses = iter(["talked", "refused"] * args.runs)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        client.post(tick, {"status": next(statuses)}, HTTP_HX_REQUEST="true")
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"{'htmx tick (card + counts + gate)':32} {statistics.median(times):10.1f} {times[int(len(times) * 0.95) - 1]:8.1f}"
    )
    start = time.perf_counter()
    for _ in range(args.runs):
        sel.campaign_progress(campaign, now=timezone.now())
    print(f"{'rollup query alone (the gate)':32} {(time.perf_counter() - start) * 1000 / args.runs:10.1f}")


if __name__ == "__main__":
    main()
