"""Read queries of the outbox and jobs pages, each a fixed number of queries."""

from django.db.models import Count, Q

from .models import ContactConsent, Delivery, DeliveryStatus, Job, Message


def messages_of(community, *, kind: str = ""):
    rows = Message.objects.filter(community=community).select_related("triggered_by", "job")
    if kind:
        rows = rows.filter(kind=kind)
    counts = {status: Count("deliveries", filter=Q(deliveries__status=status)) for status in DeliveryStatus.values}
    return rows.annotate(**{f"n_{status}": n for status, n in counts.items()}).order_by("-created_at", "-pk")


def deliveries_of(message):
    return (
        Delivery.objects.filter(message=message)
        .select_related("household__unit__building", "group")
        .order_by("status", "pk")
    )


def messages_about(community, ref: str, limit: int = 5):
    return list(messages_of(community).filter(ref=ref)[:limit])


def jobs_of(community):
    return Job.objects.filter(community=community).select_related("created_by").order_by("-created_at", "-pk")


def recent_consents(community, limit: int = 50):
    return list(
        ContactConsent.objects.filter(community=community)
        .select_related("household__unit__building", "entered_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )
