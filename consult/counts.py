"""Figures the wish list keeps instead of recounting on every page, and their recount.

``Wish.support_count`` is maintained by every support write (``consult.services.wishes``).
This module recounts it from the events, the active ``Support`` rows: after bulk loads that
bypass the services (the demo seeder), and in ``manage.py check_counts``, which reports any
drift and can repair it.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Support, Wish


def recounted_supports():
    """The active supports of each wish, counted from the rows, as an annotation."""
    per_wish = (
        Support.objects.filter(wish=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by()
        .values("wish")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_wish, output_field=IntegerField()), Value(0))


def support_drift(wishes: QuerySet[Wish] | None = None) -> list[tuple[int, int, int]]:
    """(wish id, kept count, recount) of every wish whose kept count is wrong."""
    qs = Wish.objects.all() if wishes is None else wishes
    rows = (
        qs.order_by("pk")
        .annotate(recount=recounted_supports())
        .values_list("pk", "support_count", "recount")
        .iterator(chunk_size=5000)
    )
    return [(pk, kept, recount) for pk, kept, recount in rows if kept != recount]


def recount_supports(wishes: QuerySet[Wish] | None = None) -> int:
    """Set every kept support count to its recount in one UPDATE; returns rows touched."""
    qs = Wish.objects.all() if wishes is None else wishes
    return qs.update(support_count=recounted_supports())
