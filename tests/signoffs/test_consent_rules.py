"""The consent arithmetic as tables: every rule at and around its boundary, exactly.

Sign-offs are judged by the one rules engine (``projects.thresholds``); these are the
sign-off cases, with a campaign's reading of the counts (answered = agreed + refused)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from projects import thresholds as th
from projects.models import Comparison, DecisionRule

A = Decimal("60.00")  # every household 60 m² unless a test says otherwise

HEADS_AGREED = (th.Stage.AGREEMENT, th.Measure.HEADS, th.Base.ELIGIBLE)
HEADS_PARTICIPATING = (th.Stage.PARTICIPATION, th.Measure.HEADS, th.Base.ELIGIBLE)
AREA_PARTICIPATING = (th.Stage.PARTICIPATION, th.Measure.AREA, th.Base.ELIGIBLE)
HEADS_AGREED_OF_PARTICIPATING = (th.Stage.AGREEMENT, th.Measure.HEADS, th.Base.PARTICIPATING)
AREA_AGREED_OF_PARTICIPATING = (th.Stage.AGREEMENT, th.Measure.AREA, th.Base.PARTICIPATING)


def tally(total, agreed, refused=0, *, area=A, agreed_area=None, refused_area=None):
    return th.Tally.of_answers(
        heads=total,
        area=area * total,
        agreed_heads=agreed,
        agreed_area=agreed_area if agreed_area is not None else area * agreed,
        refused_heads=refused,
        refused_area=refused_area if refused_area is not None else area * refused,
    )


def evaluate(kind, counts):
    return th.evaluate(th.rule_thresholds(kind), counts)


@pytest.mark.parametrize(
    "total,agreed,met,short",
    [(32, 32, True, None), (32, 31, False, 1), (32, 30, False, 2), (1, 1, True, None), (1, 0, False, 1)],
)
def test_unanimous(total, agreed, met, short):
    outcome = evaluate(DecisionRule.UNANIMOUS, tally(total, agreed))
    assert outcome.passed is met
    assert outcome.conditions[0].shortfall == short


@pytest.mark.parametrize(
    "total,agreed,met,short",
    [
        (30, 20, True, None),  # exactly 2/3: "以上" includes the bound
        (30, 19, False, 1),
        (32, 22, True, None),  # 22/32 = 68.75%
        (32, 21, False, 1),  # 21/32 = 65.6% < 66.7%; 2/3 × 32 = 21.33 → 22 needed
        (3, 2, True, None),
        (3, 1, False, 1),
    ],
)
def test_two_thirds_of_households(total, agreed, met, short):
    outcome = evaluate(DecisionRule.TWO_THIRDS, tally(total, agreed))
    assert outcome.passed is met
    assert outcome.conditions[0].shortfall == short


def _by_key(outcome):
    return {(c.threshold.stage, c.threshold.measure, c.threshold.base): c for c in outcome.conditions}


def test_art278_quorum_is_met_at_exactly_two_thirds_and_refusals_count_as_taking_part():
    # 12 households: 6 agreed + 2 refused = 8 answered = exactly 2/3 by head and by area.
    outcome = evaluate(DecisionRule.ART278_MAJOR, tally(12, 6, 2))
    c = _by_key(outcome)
    assert c[HEADS_PARTICIPATING].passed and c[AREA_PARTICIPATING].passed
    # 6 of 8 participants = exactly 3/4: a major matter passes at the bound.
    assert c[HEADS_AGREED_OF_PARTICIPATING].passed and c[AREA_AGREED_OF_PARTICIPATING].passed
    assert outcome.passed


def test_art278_quorum_one_answer_short():
    outcome = evaluate(DecisionRule.ART278_MAJOR, tally(12, 6, 1))  # 7 of 12 answered
    c = _by_key(outcome)
    assert not c[HEADS_PARTICIPATING].passed
    assert c[HEADS_PARTICIPATING].shortfall == 1
    assert not outcome.passed


def test_art278_major_just_below_three_quarters():
    # 9 answered of 12 (quorum ok); 6 agreed of 9 = 66.7% < 75%.
    outcome = evaluate(DecisionRule.ART278_MAJOR, tally(12, 6, 3))
    c = _by_key(outcome)
    assert c[HEADS_PARTICIPATING].passed
    assert not c[HEADS_AGREED_OF_PARTICIPATING].passed
    # (6 + x) / (9 + x) ≥ 3/4 ⇔ x ≥ 3: three more agreeing answers are needed.
    assert c[HEADS_AGREED_OF_PARTICIPATING].shortfall == 3
    assert not outcome.passed


def test_art278_ordinary_needs_strictly_more_than_half():
    exactly_half = evaluate(DecisionRule.ART278_ORDINARY, tally(12, 4, 4))
    assert not _by_key(exactly_half)[HEADS_AGREED_OF_PARTICIPATING].passed  # "过半数" is >, not ≥
    assert _by_key(exactly_half)[HEADS_AGREED_OF_PARTICIPATING].shortfall == 1
    assert not exactly_half.passed
    one_more = evaluate(DecisionRule.ART278_ORDINARY, tally(12, 5, 4))
    assert one_more.passed


def test_art278_area_and_heads_are_both_required():
    # Heads pass (9 of 12 agree), but the three big flats that refused hold most of the area.
    t = th.Tally.of_answers(
        heads=12,
        area=Decimal("900"),
        agreed_heads=9,
        agreed_area=Decimal("360"),  # 9 × 40 m²
        refused_heads=3,
        refused_area=Decimal("540"),  # 3 × 180 m²
    )
    outcome = evaluate(DecisionRule.ART278_MAJOR, t)
    c = _by_key(outcome)
    assert c[HEADS_AGREED_OF_PARTICIPATING].passed
    assert not c[AREA_AGREED_OF_PARTICIPATING].passed
    assert not outcome.passed


def test_art278_area_quorum_at_exact_fraction_of_decimal_areas():
    # Areas that do not divide nicely: 2/3 of 100.01 m² is 66.673…; 66.68 answered is enough.
    base = dict(heads=3, area=Decimal("100.01"), agreed_heads=2, refused_heads=0, refused_area=0)
    assert _by_key(evaluate(DecisionRule.ART278_MAJOR, th.Tally.of_answers(agreed_area=Decimal("66.68"), **base)))[
        AREA_PARTICIPATING
    ].passed
    below = _by_key(evaluate(DecisionRule.ART278_MAJOR, th.Tally.of_answers(agreed_area=Decimal("66.67"), **base)))
    assert not below[AREA_PARTICIPATING].passed
    assert below[AREA_PARTICIPATING].shortfall == Fraction(2, 3) * Fraction(Decimal("100.01")) - Fraction(
        Decimal("66.67")
    )


@pytest.mark.parametrize(
    "heads,area,strict,agreed,agreed_area,met",
    [
        (Fraction(3, 4), None, False, 9, None, True),  # 9/12 = 3/4, at least: met
        (Fraction(3, 4), None, True, 9, None, False),  # more than 3/4: not met
        (Fraction(3, 4), None, True, 10, None, True),
        (None, Fraction(1, 2), True, 6, None, False),  # area exactly half, "过半数": not met
        (None, Fraction(1, 2), True, 6, Decimal("360.01"), True),
        (Fraction(1, 2), Fraction(1, 2), False, 6, Decimal("359.99"), False),  # heads ok, area not
    ],
)
def test_custom_thresholds(heads, area, strict, agreed, agreed_area, met):
    comparison = Comparison.MORE_THAN if strict else Comparison.AT_LEAST
    rule = th.share_of_all_rule(heads=heads, area=area, comparison=comparison)
    assert th.evaluate(rule, tally(12, agreed, agreed_area=agreed_area)).passed is met


def test_custom_rule_needs_a_threshold():
    with pytest.raises(ValueError):
        th.share_of_all_rule(heads=None, area=None, comparison=Comparison.AT_LEAST)


@pytest.mark.parametrize(
    "kind", [DecisionRule.UNANIMOUS, DecisionRule.TWO_THIRDS, DecisionRule.ART278_MAJOR, DecisionRule.ART278_ORDINARY]
)
def test_empty_scope_never_passes(kind):
    outcome = evaluate(kind, tally(0, 0))
    assert not outcome.passed and outcome.empty_scope


def test_floats_are_refused():
    with pytest.raises(TypeError):
        th.Tally.of_answers(heads=3, area=180.0, agreed_heads=2, agreed_area=120.0)


@pytest.mark.parametrize(
    "text,value",
    [
        ("2/3", Fraction(2, 3)),
        ("75%", Fraction(3, 4)),
        ("75％", Fraction(3, 4)),
        ("0.5", Fraction(1, 2)),
        ("1", 1),
        ("2／3", Fraction(2, 3)),
    ],
)
def test_parse_fraction(text, value):
    assert th.parse_ratio(text) == value


@pytest.mark.parametrize("text", ["", "0", "3/2", "1/0", "abc", "120%", "-1/3", "nan"])
def test_parse_fraction_rejects(text):
    with pytest.raises(ValueError):
        th.parse_ratio(text)
