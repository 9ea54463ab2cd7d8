"""Reads for complaints: the project's list (narrowed for department viewers) and its figures."""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from ..access import staff_access
from ..models import OPEN_STATUSES, Complaint, ComplaintStatus, Project, Role

RESOLUTION_TIME = ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())


def complaints_visible_to(user, project: Project) -> QuerySet[Complaint]:
    """Department viewers see only the complaints their department handles."""
    qs = project.complaints.select_related("household__unit__building", "handler_user", "handler_department")
    if user.is_superuser:
        return qs
    access = staff_access(user)
    if access.roles.get(project.community_id) == Role.DEPARTMENT:
        return qs.filter(handler_department_id=access.departments.get(project.community_id))
    return qs


def search_complaints(qs: QuerySet[Complaint], *, status: str = "", q: str = "") -> QuerySet[Complaint]:
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(summary__icontains=q) | Q(hotline_ref__icontains=q) | Q(household__room__icontains=q))
    return qs.order_by("-received_at", "-pk")


def complaint_stats(qs: QuerySet[Complaint]) -> dict:
    """Counts and the mean time from receipt to resolution, computed by the database.

    ``avg_resolution`` is a ``timedelta`` (None before the first resolution)."""
    stats = qs.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        resolved=Count("pk", filter=Q(status=ComplaintStatus.RESOLVED)),
        avg_resolution=Avg(RESOLUTION_TIME, filter=Q(status=ComplaintStatus.RESOLVED)),
    )
    if stats["avg_resolution"] is not None and not isinstance(stats["avg_resolution"], timedelta):
        stats["avg_resolution"] = timedelta(microseconds=stats["avg_resolution"])
    return stats
