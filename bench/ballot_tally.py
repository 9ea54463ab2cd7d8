"""Benchmark: household codes and the tally of a 10,000-household ballot.

    createdb -h 127.0.0.1 -U postgres h_ballots_bench   # once
    DEBUG=1 ALLOWED_HOSTS=testserver DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_ballots_bench \\
        .venv/bin/python bench/ballot_tally.py [--households 10000] [--runs 20]

Builds (once) a bench sub-district with exactly ``--households`` households of varied areas,
issues a code for each (bulk HMAC), opens one ballot over all of them (eligible snapshot),
casts ballots for about 75% in bulk, then measures:
- hashing 50,000 codes;
- the tally: number of queries and wall time (median of ``--runs``), with PostgreSQL's plan;
- the turnout-by-unit board and the staff ballot page, list page and public noticeboard
  through the full Django stack (queries and time).
"""

import argparse
import os
import random
import statistics
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from consult.demo.ballots import bulk_votes  # noqa: E402
from consult.models import Ballot  # noqa: E402
from consult.selectors.ballots import tally, tally_query, turnout_by_unit  # noqa: E402
from consult.services.ballots import agree_options, ballot_create, ballot_open  # noqa: E402
from projects.models import (  # noqa: E402
    Building,
    Community,
    Compound,
    Household,
    Membership,
    Project,
    Role,
    SubDistrict,
    Unit,
)
from projects.services.identity import generate_code, hash_code, issue_household_codes  # noqa: E402

SUB_DISTRICT = "基准测试街道"
COMMUNITY = "基准测试社区"


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def seed_registry(households: int, rng: random.Random) -> Community:
    """Compounds of 10 buildings × 5 units × 20 households (10 floors × 2), cut to size."""
    sub_district, _ = SubDistrict.objects.get_or_create(name=SUB_DISTRICT)
    community, created = Community.objects.get_or_create(sub_district=sub_district, name=COMMUNITY)
    if not created and Household.objects.filter(unit__building__compound__community=community).count() == households:
        return community
    if not created:
        sys.exit(f"{COMMUNITY} exists with another size: use a fresh database")
    rows, made, c = [], 0, 0
    with transaction.atomic():
        while made < households:
            c += 1
            compound = Compound.objects.create(community=community, name=f"基准小区{c:02d}")
            buildings = Building.objects.bulk_create(
                Building(compound=compound, name=f"{b}号楼", sort_key=b) for b in range(1, 11)
            )
            units = Unit.objects.bulk_create(
                Unit(building=building, name=f"{u}单元", sort_key=u) for building in buildings for u in range(1, 6)
            )
            for unit in units:
                for i in range(20):
                    if made >= households:
                        break
                    floor = i // 2 + 1
                    area = Decimal(rng.randint(4500, 14000)) / 100
                    rows.append(Household(unit=unit, room=f"{floor}{i % 2 + 1:02d}", floor=floor, area=area))
                    made += 1
        Household.objects.bulk_create(rows, batch_size=2000)
    return community


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(2024)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    community, seconds = timed(seed_registry, args.households, rng)
    households = Household.objects.filter(unit__building__compound__community=community)
    print(f"registry: {households.count()} households ({seconds:.1f} s)")
    staff, _ = get_user_model().objects.get_or_create(username="bench_staff")
    Membership.objects.get_or_create(user=staff, community=community, defaults={"role": Role.ADMIN})

    codes = [generate_code() for _ in range(50_000)]
    _, seconds = timed(lambda: [hash_code(c) for c in codes])
    print(f"hashing 50,000 codes (HMAC-SHA256): {seconds * 1000:.0f} ms")
    issued, seconds = timed(issue_household_codes, households=list(households.order_by("pk")), by=staff, replace=True)
    print(f"issuing {len(issued)} codes in bulk (draw, hash, insert): {seconds:.2f} s")

    ballot = Ballot.objects.filter(community=community, title__startswith="基准").first()
    if ballot is None:
        project = Project.objects.create(community=community, title="基准测试项目", created_by=staff)
        project.compounds.set(community.compounds.all())
        now = timezone.now()
        ballot = ballot_create(
            community=community,
            title="基准测试：一万户表决",
            option_set="agree",
            options=agree_options(),
            rule="art278_ordinary",
            scope_kind="project",
            target=project,
            opens_at=now,
            closes_at=now + timezone.timedelta(days=7),
            by=staff,
        )
        eligible, seconds = timed(ballot_open, ballot=ballot, by=staff)
        print(f"opening: eligible snapshot of {eligible} households in {seconds:.2f} s")
        cast, seconds = timed(bulk_votes, ballot, rng=rng, share=0.75, staff=staff, now=timezone.now())
        print(f"casting {cast} ballots in bulk: {seconds:.2f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    tally(ballot)  # warm up
    with CaptureQueriesContext(connection) as queries:
        result = tally(ballot)
    times = []
    for _ in range(args.runs):
        _, seconds = timed(tally, ballot)
        times.append(seconds * 1000)
    print(
        f"TALLY: {len(queries)} query; {result.eligible_heads} eligible, {result.participating_heads} voted; "
        f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms "
        f"over {args.runs} runs; {'passes' if result.passed else 'fails'}"
    )
    for condition in result.outcome.conditions:
        print(f"    {condition.sentence()}")
    if connection.vendor == "postgresql":
        sql, params = tally_query(ballot).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print("    plan: " + "\n          ".join(line for line in plan if "Execution" in line or "Planning" in line))

    with CaptureQueriesContext(connection) as queries:
        board, seconds = timed(turnout_by_unit, ballot)
    print(f"turnout by unit: {len(queries)} query, {len(board)} buildings, {seconds * 1000:.0f} ms")

    client = Client()
    client.force_login(staff)
    for label, url in [
        ("staff ballot page (turnout)", ballot.get_absolute_url()),
        ("ballot list", f"/consult/community/{community.pk}/ballots/"),
        ("community dashboard", f"/community/{community.pk}/"),
        ("public noticeboard", f"/c/{community.compounds.first().pk}/"),
    ]:
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as queries:
            response, seconds = timed(client.get, url)
        print(f"{label}: HTTP {response.status_code}, {len(queries)} queries, {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
