"""Reads of written authorisations (委托书) for the household page and the ballot pages."""

from django.db.models import Count, Q, QuerySet

from ..models import CastBallot, ProxyAuthorisation


def authorisations_of_household(household) -> QuerySet[ProxyAuthorisation]:
    """Every authorisation of the household, newest first, revoked ones included (the record
    is kept), each with how many valid ballots were cast under it: one query."""
    return (
        ProxyAuthorisation.objects.filter(household=household)
        .select_related("entered_by", "revoked_by", "ballot")
        .annotate(ballots_cast=Count("cast_ballots", filter=Q(cast_ballots__voided_at__isnull=True)))
        .order_by("-entered_at", "-pk")
    )


def proxy_casts(ballot) -> QuerySet[CastBallot]:
    """The valid ballots of ``ballot`` cast under a written authorisation (staff only)."""
    return (
        CastBallot.objects.valid()
        .filter(ballot=ballot, proxy__isnull=False)
        .select_related("household__unit__building", "proxy")
        .order_by("household__unit__building__sort_key", "household__unit__sort_key", "household__room", "pk")
    )
