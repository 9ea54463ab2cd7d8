"""Template filters of the project pages."""

import json
from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def quantity(value) -> str:
    """190.00 → "190", 12.50 → "12.5": quantities as people write them, never "1.9E+2"."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).normalize(), "f")


@register.filter
def share_width(done, target) -> str:
    """CSS width percent of a progress bar (0–100), exact enough for drawing."""
    try:
        target = Decimal(target)
        return str(min(100, max(0, int(Decimal(done) * 100 / target)))) if target > 0 else "0"
    except (ArithmeticError, TypeError, ValueError):
        return "0"


@register.filter
def as_json(value) -> str:
    """A before/after record of the audit trail, readable (Chinese as is, one key a line)."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@register.filter
def pct(value) -> str:
    """The bar-width class for a percentage: ``pct-0`` … ``pct-100`` (``static/css/app.css``).
    The Content-Security-Policy forbids ``style=""``, so a bar's width is a class."""
    try:
        number = round(float(str(value).rstrip("%")))
    except (TypeError, ValueError, OverflowError):
        number = 0
    return f"pct-{min(100, max(0, number))}"


@register.filter
def resolution_time(value: timedelta | None) -> str:
    """A mean resolution time in days (one decimal), or in hours below one day."""
    if value is None:
        return "—"
    hours = Decimal(value.total_seconds()) / 3600
    if hours < 24:
        return _("%(n)s hours") % {"n": hours.quantize(Decimal("0.1"))}
    return _("%(n)s days") % {"n": (hours / 24).quantize(Decimal("0.1"))}


@register.filter
def person(user) -> str:
    """A staff member as people know them: full name, else username; "—" for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
