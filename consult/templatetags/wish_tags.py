from django import template
from django.utils.translation import gettext

from projects.models import Channel

from ..receipts import format_receipt_code

register = template.Library()

STATUS_CLASSES = {
    "submitted": "text-bg-secondary",
    "accepted": "text-bg-info",
    "planned": "text-bg-primary",
    "merged": "text-bg-light border",
    "declined": "text-bg-dark",
    "in_progress": "text-bg-warning",
    "done": "text-bg-success",
}


@register.filter
def status_class(status: str) -> str:
    """Badge colour of a wish status; the label is always written next to it (not colour alone)."""
    return STATUS_CLASSES.get(status, "text-bg-secondary")


register.filter("receipt", format_receipt_code)


@register.filter
def get_count(counts: dict, key: str) -> int:
    """``{{ status_counts|get_count:value }}``: a tally from a dict, 0 when absent."""
    return counts.get(key, 0) if counts else 0


@register.filter
def channel_label(value: str) -> str:
    return Channel(value).label if value in Channel.values else value


@register.filter
def wish_no(pk) -> str:
    """``{{ wish.pk|wish_no }}`` → "No. 12" / "12 号": how staff and residents cite a wish."""
    return gettext("No. %(n)s") % {"n": pk}
