"""Reads for the audit-trail page."""

from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import AuditAction, AuditEvent, Community, Membership

#: Actions that belong to a person, not to a community (a login opens every community).
PERSONAL_ACTIONS = [AuditAction.LOGIN, AuditAction.LOGOUT]


def community_audit_events(community: Community, *, action="", actor="", since=None, until=None) -> QuerySet:
    """What happened in ``community``, newest first, plus its members' logins and logouts.
    One query per page whatever the size (the actor is joined, the membership test is a
    subquery)."""
    members = Membership.objects.filter(community=community).values("user_id")
    events = AuditEvent.objects.filter(
        Q(community=community) | Q(community__isnull=True, action__in=PERSONAL_ACTIONS, actor_id__in=members)
    )
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if since:
        events = events.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        events = events.filter(at__lt=timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)))
    return events.select_related("actor").order_by("-at", "-pk")
