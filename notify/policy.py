"""When and to whom a message may go: consent, quiet hours, the daily limit.

Pure functions over times and plain values, plus the two queries they need, so the rules are
tested without a provider and used the same way when a message is queued and when it is sent
(consent can be withdrawn in between)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import ContactConsent, Delivery, DeliveryStatus


def normalize_phone(phone: str) -> str:
    """Digits only: consent recorded for "138 1234 5678" covers "13812345678"."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


def in_quiet_hours(moment: datetime) -> bool:
    """21:00–08:00 local time (settings): nobody's phone buzzes at night."""
    hour = timezone.localtime(moment).hour
    start, end = settings.NOTIFY_QUIET_START, settings.NOTIFY_QUIET_END
    return hour >= start or hour < end if start > end else start <= hour < end


def next_allowed(moment: datetime) -> datetime:
    """``moment`` itself outside quiet hours, else the end of the quiet hours."""
    if not in_quiet_hours(moment):
        return moment
    local = timezone.localtime(moment)
    day = local.date() if local.hour < settings.NOTIFY_QUIET_END else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(settings.NOTIFY_QUIET_END)), local.tzinfo)


def next_morning(moment: datetime) -> datetime:
    """The end of the next night's quiet hours: when a household over its daily limit hears again."""
    local = timezone.localtime(moment)
    day = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(settings.NOTIFY_QUIET_END)), local.tzinfo)


def consented_phones(community, phones) -> dict[str, bool]:
    """For each number, its latest consent row's answer (absent: never recorded). One query."""
    phones = {normalize_phone(p) for p in phones if normalize_phone(p)}
    if not phones:
        return {}
    rows = ContactConsent.objects.filter(community=community, phone__in=phones)
    latest = rows.filter(phone=OuterRef("phone")).order_by("-recorded_at", "-pk").values("pk")[:1]
    return dict(rows.filter(pk=Subquery(latest)).values_list("phone", "granted"))


def sent_today(household_ids, moment: datetime) -> dict[int, int]:
    """SMS sent (or being sent) to each household since local midnight. One query."""
    from django.db.models import Count

    local = timezone.localtime(moment)
    midnight = timezone.make_aware(datetime.combine(local.date(), time()), local.tzinfo)
    rows = (
        Delivery.objects.filter(
            household_id__in=household_ids,
            status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
            claimed_at__gte=midnight,
        )
        .values("household_id")
        .annotate(n=Count("pk"))
    )
    return {row["household_id"]: row["n"] for row in rows}
