"""Reads for counting owners: whom each household counts as in an owners' decision."""

from django.db.models import QuerySet

from .. import thresholds as th
from ..models import Household, OwnerKind, Ownership


def voter_map(households: QuerySet[Household]) -> dict[int, int]:
    """For an owners' decision: the household each household counts as (SPC interpretation
    Art. 9, see ``thresholds.owner_voters``). Two queries, the second filtered by the first
    as a subquery (no list of thousands of ids as parameters)."""
    ids = list(households.order_by().values_list("pk", flat=True))
    holdings: dict[int, list[tuple[int, bool]]] = {}
    rows = Ownership.objects.filter(household__in=households.order_by().values("pk")).values_list(
        "household_id", "owner_id", "owner__kind"
    )
    for household_id, owner_id, kind in rows.iterator(chunk_size=5000):
        holdings.setdefault(household_id, []).append((owner_id, kind == OwnerKind.DEVELOPER))
    return th.owner_voters(holdings, ids)
