"""The consent arithmetic as tables: every rule at and around its boundary, exactly."""

from decimal import Decimal
from fractions import Fraction

import pytest

from projects import consent_rules as cr

A = Decimal("60.00")  # every household 60 m² unless a test says otherwise


def tally(total, agreed, refused=0, *, area=A, agreed_area=None, refused_area=None):
    return cr.Tally(
        total_heads=total,
        total_area=area * total,
        agreed_heads=agreed,
        agreed_area=agreed_area if agreed_area is not None else area * agreed,
        refused_heads=refused,
        refused_area=refused_area if refused_area is not None else area * refused,
    )


@pytest.mark.parametrize(
    "total,agreed,met,short",
    [(32, 32, True, None), (32, 31, False, 1), (32, 30, False, 2), (1, 1, True, None), (1, 0, False, 1)],
)
def test_unanimous(total, agreed, met, short):
    decision = cr.evaluate(cr.RuleSpec(cr.UNANIMOUS), tally(total, agreed))
    assert decision.met is met
    assert decision.conditions[0].shortfall == short


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
    decision = cr.evaluate(cr.RuleSpec(cr.TWO_THIRDS), tally(total, agreed))
    assert decision.met is met
    assert decision.conditions[0].shortfall == short


def _by_key(decision):
    return {c.key: c for c in decision.conditions}


def test_art278_quorum_is_met_at_exactly_two_thirds_and_refusals_count_as_taking_part():
    # 12 households: 6 agreed + 2 refused = 8 answered = exactly 2/3 by head and by area.
    decision = cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), tally(12, 6, 2))
    c = _by_key(decision)
    assert c[cr.HEADS_PARTICIPATING].met and c[cr.AREA_PARTICIPATING].met
    # 6 of 8 participants = exactly 3/4: a major matter passes at the bound.
    assert c[cr.HEADS_AGREED_OF_PARTICIPATING].met and c[cr.AREA_AGREED_OF_PARTICIPATING].met
    assert decision.met


def test_art278_quorum_one_answer_short():
    decision = cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), tally(12, 6, 1))  # 7 of 12 answered
    c = _by_key(decision)
    assert not c[cr.HEADS_PARTICIPATING].met
    assert c[cr.HEADS_PARTICIPATING].shortfall == 1
    assert not decision.met


def test_art278_major_just_below_three_quarters():
    # 9 answered of 12 (quorum ok); 6 agreed of 9 = 66.7% < 75%.
    decision = cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), tally(12, 6, 3))
    c = _by_key(decision)
    assert c[cr.HEADS_PARTICIPATING].met
    assert not c[cr.HEADS_AGREED_OF_PARTICIPATING].met
    # (6 + x) / (9 + x) ≥ 3/4 ⇔ x ≥ 3: three more agreeing answers are needed.
    assert c[cr.HEADS_AGREED_OF_PARTICIPATING].shortfall == 3
    assert not decision.met


def test_art278_ordinary_needs_strictly_more_than_half():
    exactly_half = cr.evaluate(cr.RuleSpec(cr.ART278_ORDINARY), tally(12, 4, 4))
    assert not _by_key(exactly_half)[cr.HEADS_AGREED_OF_PARTICIPATING].met  # "过半数" is >, not ≥
    assert _by_key(exactly_half)[cr.HEADS_AGREED_OF_PARTICIPATING].shortfall == 1
    assert not exactly_half.met
    one_more = cr.evaluate(cr.RuleSpec(cr.ART278_ORDINARY), tally(12, 5, 4))
    assert one_more.met


def test_art278_area_and_heads_are_both_required():
    # Heads pass (9 of 12 agree), but the three big flats that refused hold most of the area.
    t = cr.Tally(
        total_heads=12,
        total_area=Decimal("900"),
        agreed_heads=9,
        agreed_area=Decimal("360"),  # 9 × 40 m²
        refused_heads=3,
        refused_area=Decimal("540"),  # 3 × 180 m²
    )
    decision = cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), t)
    c = _by_key(decision)
    assert c[cr.HEADS_AGREED_OF_PARTICIPATING].met
    assert not c[cr.AREA_AGREED_OF_PARTICIPATING].met
    assert not decision.met


def test_art278_area_quorum_at_exact_fraction_of_decimal_areas():
    # Areas that do not divide nicely: 2/3 of 100.01 m² is 66.673…; 66.68 answered is enough.
    base = dict(total_heads=3, total_area=Decimal("100.01"), agreed_heads=2, refused_heads=0, refused_area=0)
    assert _by_key(cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), cr.Tally(agreed_area=Decimal("66.68"), **base)))[
        cr.AREA_PARTICIPATING
    ].met
    below = _by_key(cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), cr.Tally(agreed_area=Decimal("66.67"), **base)))
    assert not below[cr.AREA_PARTICIPATING].met
    assert below[cr.AREA_PARTICIPATING].shortfall == Fraction(2, 3) * Fraction(Decimal("100.01")) - Fraction(
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
    rule = cr.RuleSpec(cr.CUSTOM, custom_heads=heads, custom_area=area, custom_strict=strict)
    assert cr.evaluate(rule, tally(12, agreed, agreed_area=agreed_area)).met is met


def test_custom_rule_needs_a_threshold():
    with pytest.raises(ValueError):
        cr.evaluate(cr.RuleSpec(cr.CUSTOM), tally(3, 3))


@pytest.mark.parametrize("kind", [cr.UNANIMOUS, cr.TWO_THIRDS, cr.ART278_MAJOR, cr.ART278_ORDINARY])
def test_empty_scope_never_passes(kind):
    decision = cr.evaluate(cr.RuleSpec(kind), tally(0, 0))
    assert not decision.met and decision.empty_scope


def test_floats_are_refused():
    with pytest.raises(TypeError):
        cr.evaluate(cr.RuleSpec(cr.ART278_MAJOR), cr.Tally(3, 180.0, 2, 120.0))


@pytest.mark.parametrize(
    "text,value",
    [("2/3", Fraction(2, 3)), ("75%", Fraction(3, 4)), ("75％", Fraction(3, 4)), ("0.5", Fraction(1, 2)), ("1", 1)],
)
def test_parse_fraction(text, value):
    assert cr.parse_fraction(text) == value


@pytest.mark.parametrize("text", ["", "0", "3/2", "1/0", "abc", "120%", "-1/3", "nan"])
def test_parse_fraction_rejects(text):
    with pytest.raises(ValueError):
        cr.parse_fraction(text)
