"""Every list page reads the tables that grow with the district through an index.

Issue 11 found the public wish list hash-joining a sequential scan of all 50,000 households
to show 20 wishes. Whether the planner does that depends on table sizes and statistics, so
this test builds a moderately sized community (tens of thousands of rows), runs ANALYZE (the
server here has autovacuum off, as after any bulk load) and EXPLAINs every query the pages
actually run, whatever selector they use today. A ``Seq Scan`` on one of the growing tables
fails the test with the query and its plan.

PostgreSQL only: SQLite's planner has nothing to say about a PostgreSQL deployment.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult.models import CastBallot, Support, Wish, WishCategory, WishStatus
from projects.models import Building, Channel, Compound, Household, SignoffRecord, SignoffStatus, Stage, Unit
from tests import factories as f

from ..signoffs.conftest import open_campaign

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's; SQLite has none"),
]

COMMUNITIES = 10  # the world's community and nine more: each a tenth of the district
COMPOUNDS = 40
HOUSEHOLDS_PER_UNIT = 100  # two buildings of two units: 400 households a compound, 16,000 in all
SUPPORTS_PER_WISH = 3
GROWING = {model._meta.db_table for model in (Household, Wish, Support, CastBallot, SignoffRecord)}


def build_district(world) -> list[Compound]:
    """Rows in bulk, ordered by compound as a real import leaves them."""
    now = timezone.now()
    communities = [world.community] + [f.community(sub_district=world.sub_district) for _ in range(COMMUNITIES - 1)]
    compounds = Compound.objects.bulk_create(
        [Compound(community=communities[i * COMMUNITIES // COMPOUNDS], name=f"小区{i:02d}") for i in range(COMPOUNDS)]
    )
    buildings = Building.objects.bulk_create(
        [Building(compound=c, name=f"{b}号楼", sort_key=b) for c in compounds for b in (1, 2)]
    )
    units = Unit.objects.bulk_create([Unit(building=b, name=f"{u}单元", sort_key=u) for b in buildings for u in (1, 2)])
    households = Household.objects.bulk_create(
        [
            Household(
                unit=u, room=f"{n // 4 + 1}{n % 4 + 1:02d}", floor=n // 4 + 1, area=80, owner_names=f"住户{u.pk}-{n}"
            )
            for u in units
            for n in range(HOUSEHOLDS_PER_UNIT)
        ],
        batch_size=5000,
    )
    compound_of = {b.pk: b.compound for b in buildings}
    unit_building = {u.pk: u.building_id for u in units}
    wishes = Wish.objects.bulk_create(
        [
            Wish(
                community_id=compound_of[unit_building[h.unit_id]].community_id,
                compound=compound_of[unit_building[h.unit_id]],
                household=h,
                title=f"愿望{h.pk}",
                category=WishCategory.values[h.pk % len(WishCategory.values)],
                status=WishStatus.SUBMITTED,
                channel=Channel.ONLINE,
                submitted_at=now - timedelta(minutes=h.pk),
            )
            for h in households
        ],
        batch_size=5000,
    )
    Support.objects.bulk_create(
        [
            Support(wish=w, household=households[(i + k) % len(households)], channel=Channel.ONLINE, created_at=now)
            for i, w in enumerate(wishes)
            for k in range(SUPPORTS_PER_WISH)
        ],
        batch_size=10000,
    )
    return compounds


def seq_scans(plan) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in GROWING:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= seq_scans(child)
    return found


def plans_of(client, url) -> list[tuple[str, set[str], str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    found = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            found.append((sql, seq_scans(plan[0]["Plan"]), json.dumps(plan[0]["Plan"], ensure_ascii=False)[:3000]))
    return found


def test_list_pages_use_indexes_on_growing_tables(client, act_as, world):
    compounds = build_district(world)
    busiest = compounds[2]  # in the world's community
    campaigns = {}
    for compound in [busiest, *compounds[::5]]:  # eight more campaigns: the records outgrow ours
        project = f.project(community=compound.community, title="上下水改造", stage=Stage.CONSENT)
        project.buildings.set(Building.objects.filter(compound=compound))
        campaigns[compound.pk] = open_campaign(project, world.staff)
    SignoffRecord.objects.bulk_create(
        [
            SignoffRecord(
                campaign=campaigns[compound_id],
                household_id=pk,
                status=(SignoffStatus.TALKED, SignoffStatus.CONCERNS, SignoffStatus.REFUSED)[pk % 3],
            )
            for pk, compound_id in Household.objects.filter(unit__building__compound__in=list(campaigns)).values_list(
                "pk", "unit__building__compound_id"
            )
        ],
        batch_size=5000,
    )
    campaign = campaigns[busiest.pk]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert Household.objects.count() > 15_000 and Support.objects.count() > 45_000

    public = {
        "noticeboard": reverse("projects:noticeboard", args=[busiest.pk]),
        "public wish list, page 1": reverse("consult:wish_list", args=[busiest.pk]),
        "public wish list, deep page": reverse("consult:wish_list", args=[busiest.pk]) + "?page=15",
    }
    staff = {
        "household search": reverse("projects:household_search", args=[world.community.pk]) + "?q=301",
        "sign-off board": reverse("projects:signoff_board", args=[campaign.pk]),
        "wish triage": reverse("consult:wish_queue", args=[world.community.pk]),
        "wish triage, one compound": reverse("consult:wish_queue", args=[world.community.pk])
        + f"?compound={busiest.pk}",
    }
    failures = []
    pages = [(name, url, "anonymous") for name, url in public.items()]
    pages += [(name, url, "staff") for name, url in staff.items()]
    for name, url, role in pages:
        act_as(client, role)
        for sql, scanned, plan in plans_of(client, url):
            if scanned:
                failures.append(f"{name}: Seq Scan on {sorted(scanned)}\n  {sql[:600]}\n  {plan}")
    assert not failures, "\n\n".join(failures)
