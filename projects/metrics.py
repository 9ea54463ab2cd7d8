"""Project arithmetic, exact and without the ORM: progress and satisfaction.

Definitions (the pages state them in words too):

- **Overall progress** of a project is the unweighted mean, over its progress items, of
  ``done / target``, each share capped at 1. Items are measured in different units (metres of
  pipe, grease traps, square metres), so they cannot be summed; each counts equally. A project
  without items has no overall progress (``None``), which is not the same as 0 %.
- **Progress percent** shown to people is rounded *down* to a whole percent, so "100 %"
  appears only when every item is complete.
- **Satisfaction rate** is the share of responses scoring 4 or 5 out of all responses
  (``None`` before the first response). It is shown rounded half-up to one decimal.
"""

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

SATISFIED_MIN_SCORE = 4


def item_share(done, target) -> Fraction:
    """``done / target`` of one item, between 0 and 1."""
    target = Fraction(Decimal(target))
    if target <= 0:
        raise ValueError("A progress target must be greater than 0.")
    share = Fraction(Decimal(done)) / target
    return min(max(share, Fraction(0)), Fraction(1))


def overall_progress(items: Iterable[tuple]) -> Fraction | None:
    """Mean of the capped shares of ``(done, target)`` pairs; ``None`` when there are none."""
    shares = [item_share(done, target) for done, target in items]
    if not shares:
        return None
    return sum(shares, Fraction(0)) / len(shares)


def progress_percent(share: Fraction | None) -> int | None:
    """Whole percent, rounded down: 99.9 % shows as 99 %, never as 100 %."""
    if share is None:
        return None
    return (share.numerator * 100) // share.denominator


def satisfaction_rate(satisfied: int, responses: int) -> Fraction | None:
    if responses < 0 or satisfied < 0 or satisfied > responses:
        raise ValueError("Satisfied responses must be between 0 and the number of responses.")
    if responses == 0:
        return None
    return Fraction(satisfied, responses)


def percent_one_decimal(share: Fraction | None) -> Decimal | None:
    """Percent rounded half-up to one decimal: 12/13 → 92.3."""
    if share is None:
        return None
    tenths = (share.numerator * 1000 * 2 + share.denominator) // (2 * share.denominator)
    return Decimal(tenths).scaleb(-1)
