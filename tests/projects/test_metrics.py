"""The progress and satisfaction arithmetic, as a table: exact fractions, stated rounding."""

from decimal import Decimal
from fractions import Fraction

import pytest

from projects import metrics


@pytest.mark.parametrize(
    "items,expected",
    [
        ([], None),
        ([("190", "190"), ("21", "21")], Fraction(1)),  # 佳和园: everything done
        ([("0", "190"), ("0", "21")], Fraction(0)),
        ([("95", "190"), ("21", "21")], Fraction(3, 4)),  # each item counts equally, whatever its unit
        ([("1", "3")], Fraction(1, 3)),
        ([("320", "500"), ("6", "12"), ("4", "10"), ("0", "1")], Fraction(64 + 50 + 40, 400)),
        ([("0.5", "1.5")], Fraction(1, 3)),  # decimals stay exact
        ([("250", "190")], Fraction(1)),  # a share above 100% is capped
    ],
)
def test_overall_progress_is_the_mean_of_capped_shares(items, expected):
    assert metrics.overall_progress((Decimal(d), Decimal(t)) for d, t in items) == expected


def test_item_share_refuses_a_zero_target():
    with pytest.raises(ValueError):
        metrics.item_share(Decimal("1"), Decimal("0"))


@pytest.mark.parametrize(
    "share,percent",
    [
        (None, None),
        (Fraction(0), 0),
        (Fraction(1), 100),
        (Fraction(999, 1000), 99),  # never shows 100% before everything is done
        (Fraction(2, 3), 66),
        (Fraction(1, 3), 33),
    ],
)
def test_progress_percent_rounds_down(share, percent):
    assert metrics.progress_percent(share) == percent


@pytest.mark.parametrize(
    "satisfied,responses,rate,shown",
    [
        (0, 0, None, None),
        (12, 13, Fraction(12, 13), Decimal("92.3")),
        (9, 10, Fraction(9, 10), Decimal("90.0")),
        (1, 8, Fraction(1, 8), Decimal("12.5")),
        (1, 16, Fraction(1, 16), Decimal("6.3")),  # 6.25 rounds half up
        (2, 3, Fraction(2, 3), Decimal("66.7")),
        (5, 5, Fraction(1), Decimal("100.0")),
    ],
)
def test_satisfaction_rate_and_its_display(satisfied, responses, rate, shown):
    assert metrics.satisfaction_rate(satisfied, responses) == rate
    assert metrics.percent_one_decimal(rate) == shown


@pytest.mark.parametrize("satisfied,responses", [(3, 2), (-1, 2), (0, -1)])
def test_satisfaction_rate_rejects_impossible_counts(satisfied, responses):
    with pytest.raises(ValueError):
        metrics.satisfaction_rate(satisfied, responses)
