from django import template
from django.utils.translation import gettext_lazy as _

from ..meeting_lifecycle import is_overdue as _is_overdue

register = template.Library()

STATUS_STYLES = {
    "planned": "text-bg-secondary",
    "announced": "text-bg-info",
    "held": "text-bg-primary",
    "minuted": "text-bg-warning",
    "reported": "text-bg-success",
    "cancelled": "text-bg-dark",
    "open": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "dropped": "text-bg-light border",
}


@register.filter
def lines(text: str) -> list[str]:
    """Minutes are typed one point per line; show them as a list."""
    return [line.strip(" -•·\t") for line in (text or "").splitlines() if line.strip(" -•·\t")]


@register.filter
def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, "text-bg-secondary")


@register.simple_tag
def item_overdue(item, today) -> bool:
    return _is_overdue(status=item.status, deadline=item.deadline, today=today)


ITEM_FIELD_LABELS = {
    "title": _("What"),
    "details": _("Details"),
    "deadline": _("Deadline"),
    "owner": _("Responsible party"),
}


@register.filter
def item_field_label(field: str) -> str:
    """Names of the fields recorded in an action item's history, for people."""
    return ITEM_FIELD_LABELS.get(field, field)


@register.filter
def person(user) -> str:
    """A staff member's name as colleagues know it; "—" when nobody is set."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
