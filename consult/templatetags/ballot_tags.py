"""Formatting for ballot pages: exact shares as percentages and areas in m², without floats."""

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.translation import gettext as _

from projects.thresholds import Measure, percent_text, ratio_text

register = template.Library()


@register.filter
def percent(value) -> str:
    """A ``Fraction`` share as "71.3%"; "—" when there is nothing to take a share of."""
    if value is None:
        return "—"
    return percent_text(Fraction(value), 1)


@register.simple_tag
def share(part, whole) -> str:
    """``part`` of ``whole`` as a percentage, e.g. turnout "62.5%"."""
    if not whole:
        return "—"
    return percent_text(Fraction(Decimal(part)) / Fraction(Decimal(whole)), 1)


@register.filter
def area(value) -> str:
    """Square metres with two decimals and thousands separators: 12,345.60."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def fraction_area(value) -> str:
    """An exact ``Fraction`` of m² (from the tally) shown with two decimals."""
    if value is None:
        return "—"
    value = Fraction(value)
    return f"{Decimal(value.numerator) / Decimal(value.denominator):,.2f}"


@register.filter
def ratio(value) -> str:
    """A threshold ratio as written in the law: 2/3, 3/4, 1/2."""
    return ratio_text(Fraction(value))


@register.filter
def condition_numbers(condition) -> str:
    """The counts behind a condition: "2,139.00 / 3,000.00 m²" or "25 / 32 households"."""
    if condition.threshold.measure == Measure.AREA:
        return f"{fraction_area(condition.numerator)} / {fraction_area(condition.denominator)} m²"
    return _("%(part)d / %(whole)d households") % {
        "part": int(condition.numerator),
        "whole": int(condition.denominator),
    }
