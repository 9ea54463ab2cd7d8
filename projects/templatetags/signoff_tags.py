from django import template

register = template.Library()

STATUS_CLASSES = {
    "not_contacted": "secondary",
    "talked": "info",
    "agreed": "success",
    "concerns": "warning",
    "refused": "danger",
}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap colour of a sign-off status: ``btn-{{ status|status_class }}``."""
    return STATUS_CLASSES.get(str(status), "secondary")
