"""Reads for action items: the per-community list (overdue first) and the dashboard counts.

"Overdue" is decided against a ``today`` passed in, with the same rule as
``meeting_lifecycle.is_overdue``: still open and the deadline has passed.
"""

import datetime

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from projects.models import Community
from projects.parsing import parse_id

from ..models import OPEN_ITEM_STATUSES, ActionItem, ActionItemStatus
from .meetings import department_of

SHOW_CHOICES = ("overdue", "open", "closed", "all")


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_ITEM_STATUSES, deadline__lt=today)


def visible_action_items(user, community: Community) -> QuerySet[ActionItem]:
    """All items of the community's meetings; a department viewer gets only its own."""
    qs = ActionItem.objects.filter(meeting__community=community)
    department_id = department_of(user, community)
    if department_id is not None:
        qs = qs.filter(owner_department_id=department_id)
    return qs


def action_item_list(
    user,
    community: Community,
    *,
    today: datetime.date,
    show: str = "open",
    owner: str = "",
    query: str = "",
) -> QuerySet[ActionItem]:
    qs = visible_action_items(user, community).select_related("meeting__compound", "owner_user", "owner_department")
    if show == "overdue":
        qs = qs.filter(overdue_q(today))
    elif show == "open":
        qs = qs.filter(status__in=OPEN_ITEM_STATUSES)
    elif show == "closed":
        qs = qs.exclude(status__in=OPEN_ITEM_STATUSES)
    if owner == "me":
        qs = qs.filter(owner_user=user)
    elif (department_id := parse_id(owner)) is not None:
        qs = qs.filter(owner_department_id=department_id)
    query = query.strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(meeting__topic__icontains=query))
    return qs.annotate(
        overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-overdue", "deadline", "pk")


def action_item_summary(user, community: Community, *, today: datetime.date) -> dict:
    """Counts for the dashboard and the list's tabs: one aggregate query."""
    soon = today + datetime.timedelta(days=7)
    return visible_action_items(user, community).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_ITEM_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due_this_week=Count("pk", filter=Q(status__in=OPEN_ITEM_STATUSES, deadline__gte=today, deadline__lte=soon)),
        done=Count("pk", filter=Q(status=ActionItemStatus.DONE)),
        closed=Count("pk", filter=~Q(status__in=OPEN_ITEM_STATUSES)),
        all=Count("pk"),
    )


def overdue_items(user, community: Community, *, today: datetime.date, limit: int = 5) -> list[ActionItem]:
    return list(
        visible_action_items(user, community)
        .filter(overdue_q(today))
        .select_related("meeting", "owner_user", "owner_department")
        .order_by("deadline", "pk")[:limit]
    )
