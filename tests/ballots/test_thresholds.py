"""The rules as a table: every boundary, one household or one m² either side, head count
against area, abstentions, zero participation, and very unequal areas."""

import io
import tokenize
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from projects import thresholds as th
from projects.models import DecisionRule
from projects.thresholds import Tally, evaluate, rule_thresholds


def tally(eh, ea, ph, pa, ah, aa) -> Tally:
    return Tally.of(
        eligible_heads=eh,
        eligible_area=Decimal(str(ea)),
        participating_heads=ph,
        participating_area=Decimal(str(pa)),
        agreeing_heads=ah,
        agreeing_area=Decimal(str(aa)),
    )


def verdict(rule, t, custom=None):
    outcome = evaluate(rule_thresholds(rule, custom), t)
    return outcome.passed, {c.threshold.key: c.passed for c in outcome.conditions}


# 30 households of 100 m² each unless stated: 3,000 m² in all; 2/3 is 20 households and 2,000 m².
TABLE = [
    # rule, tally (eligible h, area, participating h, area, agreeing h, area), passed, failing conditions
    # --- simple majority of ballots cast (by head, strictly more than half, no quorum)
    (DecisionRule.SIMPLE_MAJORITY, (30, 3000, 6, 600, 3, 300), False, {"agreement_heads"}),
    (DecisionRule.SIMPLE_MAJORITY, (30, 3000, 6, 600, 4, 400), True, set()),
    (
        DecisionRule.SIMPLE_MAJORITY,
        (30, 3000, 5, 500, 2, 200),
        False,
        {"agreement_heads"},
    ),  # 2 for, 2 against, 1 abstain
    (DecisionRule.SIMPLE_MAJORITY, (30, 3000, 3, 300, 2, 20), True, set()),  # area does not count
    (DecisionRule.SIMPLE_MAJORITY, (30, 3000, 0, 0, 0, 0), False, {"agreement_heads"}),
    # --- Art. 278 ordinary: quorum ≥ 2/3 and ≥ 2/3; agreement > 1/2 and > 1/2 of participating
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 11, 1100), True, set()),  # quorum exactly at 2/3
    (
        DecisionRule.ART278_ORDINARY,
        (30, 3000, 19, 2000, 11, 1100),
        False,
        {"participation_heads"},
    ),  # one household short
    (DecisionRule.ART278_ORDINARY, (30, 3000, 21, 2100, 11, 1100), True, set()),  # one household over
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 1999, 11, 1100), False, {"participation_area"}),  # one m² short
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2001, 11, 1100), True, set()),  # one m² over
    (
        DecisionRule.ART278_ORDINARY,
        (30, 3000, 20, "1999.99", 11, 1100),
        False,
        {"participation_area"},
    ),  # one cent short
    (
        DecisionRule.ART278_ORDINARY,
        (30, 3000, 20, 2000, 10, 1100),
        False,
        {"agreement_heads"},
    ),  # exactly half: not 过半数
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 11, 1000), False, {"agreement_area"}),  # exactly half the area
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 11, 1001), True, set()),  # one m² over half
    (DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 10, 999), False, {"agreement_heads", "agreement_area"}),
    (
        DecisionRule.ART278_ORDINARY,
        (30, 3000, 0, 0, 0, 0),
        False,
        {"participation_heads", "participation_area", "agreement_heads", "agreement_area"},
    ),
    # --- Art. 278 major: same quorum; agreement ≥ 3/4 and ≥ 3/4 of participating
    (DecisionRule.ART278_MAJOR, (30, 3000, 20, 2000, 15, 1500), True, set()),  # exactly 3/4 and exactly 3/4
    (DecisionRule.ART278_MAJOR, (30, 3000, 20, 2000, 14, 1500), False, {"agreement_heads"}),  # one household short
    (DecisionRule.ART278_MAJOR, (30, 3000, 20, 2000, 15, 1499), False, {"agreement_area"}),  # one m² short
    (DecisionRule.ART278_MAJOR, (30, 3000, 20, 2000, 16, 1501), True, set()),
    (DecisionRule.ART278_MAJOR, (30, 3000, 19, 1900, 19, 1900), False, {"participation_heads", "participation_area"}),
    (
        DecisionRule.ART278_MAJOR,
        (30, 3000, 0, 0, 0, 0),
        False,
        {"participation_heads", "participation_area", "agreement_heads", "agreement_area"},
    ),
    # --- unanimous: every eligible household agrees
    (DecisionRule.UNANIMOUS, (32, 2080, 32, 2080, 32, 2080), True, set()),
    (DecisionRule.UNANIMOUS, (32, 2080, 32, 2080, 31, 2015), False, {"agreement_heads"}),  # one refuses
    (DecisionRule.UNANIMOUS, (32, 2080, 31, 2015, 31, 2015), False, {"agreement_heads"}),  # one did not vote
    (DecisionRule.UNANIMOUS, (32, 2080, 0, 0, 0, 0), False, {"agreement_heads"}),
    (DecisionRule.UNANIMOUS, (0, 0, 0, 0, 0, 0), False, {"agreement_heads"}),  # nobody eligible
]


@pytest.mark.parametrize("rule,numbers,passed,failing", TABLE)
def test_threshold_table(rule, numbers, passed, failing):
    outcome_passed, conditions = verdict(rule, tally(*numbers))
    assert outcome_passed is passed
    assert {key for key, ok in conditions.items() if not ok} == failing


def test_abstentions_count_as_participation_not_agreement():
    # 20 took part: 10 for, 9 against, 1 abstained. 10/20 is not more than half; had the
    # abstention been left out, 10/19 would have passed.
    passed, conditions = verdict(DecisionRule.ART278_ORDINARY, tally(30, 3000, 20, 2000, 10, 1000))
    assert not passed and not conditions["agreement_heads"]
    passed, _ = verdict(DecisionRule.ART278_ORDINARY, tally(30, 3000, 19, 1900, 10, 1000))
    assert not passed  # and without the abstainer the quorum fails instead


def test_abstentions_bring_the_quorum_that_lets_a_vote_pass():
    # 20 households took part, 3 of them abstained: the quorum is met thanks to them, and
    # 12 of the 20 agree (> 1/2).
    passed, _ = verdict(DecisionRule.ART278_ORDINARY, tally(30, 3000, 20, 2000, 12, 1200))
    assert passed


class TestVeryUnequalAreas:
    """A 1,000 m² shop next to 29 flats of 40 m²: 2,160 m² in all."""

    def test_heads_pass_while_area_fails(self):
        # 20 flats take part: 20/30 households (= 2/3) but only 800/2,160 m².
        passed, conditions = verdict(DecisionRule.ART278_ORDINARY, tally(30, 2160, 20, 800, 20, 800))
        assert not passed
        assert conditions["participation_heads"] and not conditions["participation_area"]

    def test_area_passes_while_heads_fail(self):
        # The shop and 19 flats take part (20/30, 1,760 m²); the shop and 9 flats agree:
        # 10/20 households (not more than half) but 1,360/1,760 m² of the area.
        passed, conditions = verdict(DecisionRule.ART278_ORDINARY, tally(30, 2160, 20, 1760, 10, 1360))
        assert not passed
        assert conditions["agreement_area"] and not conditions["agreement_heads"]

    def test_the_big_owner_alone_cannot_meet_the_quorum(self):
        passed, conditions = verdict(DecisionRule.ART278_MAJOR, tally(30, 2160, 1, 1000, 1, 1000))
        assert not passed
        assert not conditions["participation_heads"] and not conditions["participation_area"]


class TestCustomRules:
    def spec(self, **rows):
        return [
            {"stage": stage, "measure": measure, "base": base, "ratio": ratio, "comparison": comparison}
            for (stage, measure, base, ratio, comparison) in rows.values()
        ]

    def test_two_thirds_of_all_households_agree_as_a_sign_off_gate(self):
        custom = self.spec(a=("agreement", "heads", "eligible", "2/3", "at_least"))
        assert verdict(DecisionRule.CUSTOM, tally(30, 3000, 25, 2500, 20, 2000), custom)[0]
        assert not verdict(DecisionRule.CUSTOM, tally(30, 3000, 25, 2500, 19, 1900), custom)[0]

    def test_area_only_strict_half(self):
        custom = self.spec(a=("agreement", "area", "participating", "50%", "more_than"))
        assert not verdict(DecisionRule.CUSTOM, tally(10, 1000, 4, 400, 3, 200), custom)[0]  # exactly half
        assert verdict(DecisionRule.CUSTOM, tally(10, 1000, 4, 400, 1, "200.01"), custom)[0]  # heads do not matter

    def test_percent_and_decimal_ratios_read_exactly(self):
        assert th.parse_ratio("60%") == Fraction(3, 5)
        assert th.parse_ratio("66.67%") == Fraction(6667, 10000)
        assert th.parse_ratio("0.75") == Fraction(3, 4)
        assert th.parse_ratio(" 2 / 3 ") == Fraction(2, 3)

    @pytest.mark.parametrize("text", ["", "0", "0%", "3/2", "120%", "abc", "1/0", "-1/3"])
    def test_bad_ratios_are_refused(self, text):
        with pytest.raises(ValueError):
            th.parse_ratio(text)

    def test_a_custom_rule_needs_an_agreement_condition_and_no_duplicates(self):
        with pytest.raises(ValueError):
            th.custom_rule(self.spec(a=("participation", "area", "eligible", "2/3", "at_least")))
        with pytest.raises(ValueError):
            th.custom_rule(
                self.spec(
                    a=("agreement", "area", "participating", "1/2", "more_than"),
                    b=("agreement", "area", "participating", "2/3", "at_least"),
                )
            )

    def test_stored_form_round_trips(self):
        for threshold in th.STANDARD_RULES[DecisionRule.ART278_MAJOR]:
            assert th.Threshold.from_json(threshold.to_json()) == threshold


class TestNoFloats:
    def test_module_source_has_no_float(self):
        source = Path(th.__file__).read_text()
        assert "float(" not in source
        numbers = [
            tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.NUMBER
        ]
        assert numbers and all(n.isdigit() for n in numbers), numbers

    def test_results_are_fractions(self):
        outcome = evaluate(rule_thresholds(DecisionRule.ART278_ORDINARY), tally(30, "3000.50", 20, "2000.25", 11, 1100))
        for condition in outcome.conditions:
            assert isinstance(condition.numerator, Fraction)
            assert isinstance(condition.denominator, Fraction)
            assert isinstance(condition.share, Fraction)
            assert isinstance(condition.threshold.ratio, Fraction)
        assert outcome.conditions[0].numerator == Fraction("2000.25")

    @pytest.mark.parametrize("bad", [0.5, 2000.0, float("nan")])
    def test_floats_are_refused_not_rounded(self, bad):
        with pytest.raises(TypeError):
            th.exact(bad)
        with pytest.raises(TypeError):
            Tally.of(
                eligible_heads=30,
                eligible_area=bad,
                participating_heads=0,
                participating_area=0,
                agreeing_heads=0,
                agreeing_area=0,
            )

    def test_threshold_refuses_a_float_ratio(self):
        with pytest.raises(TypeError):
            th.Threshold(th.Stage.AGREEMENT, th.Measure.HEADS, 0.5, th.Comparison.MORE_THAN, th.Base.PARTICIPATING)


class TestTallyIsConsistent:
    @pytest.mark.parametrize(
        "numbers",
        [(10, 100, 11, 100, 0, 0), (10, 100, 5, 50, 6, 50), (10, 100, 5, 101, 0, 0), (10, 100, 5, 50, 5, 51)],
    )
    def test_impossible_counts_are_refused(self, numbers):
        with pytest.raises(ValueError):
            tally(*numbers)


class TestDisplay:
    def condition(self, rule, numbers, key):
        outcome = evaluate(rule_thresholds(rule), tally(*numbers))
        return next(c for c in outcome.conditions if c.threshold.key == key)

    def test_sentence_like_the_notice(self):
        c = self.condition(DecisionRule.ART278_ORDINARY, (30, 3000, 22, 2139, 12, 1200), "participation_area")
        assert c.sentence() == f"{c.label} 71.3% ≥ 66.7% ✓"

    def test_exactly_at_the_bound_shows_equal_figures(self):
        c = self.condition(DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 12, 1200), "participation_area")
        assert c.percents() == ("66.7%", "66.7%") and c.passed

    def test_just_below_the_bound_never_looks_equal(self):
        c = self.condition(DecisionRule.ART278_ORDINARY, (30, 3000, 20, "1999.99", 12, 1200), "participation_area")
        share, threshold = c.percents()
        assert share != threshold and not c.passed
        assert c.sentence().endswith("✗") and " < " in c.sentence()

    def test_strict_failure_at_half_reads_less_or_equal(self):
        c = self.condition(DecisionRule.ART278_ORDINARY, (30, 3000, 20, 2000, 10, 1200), "agreement_heads")
        assert " 50.0% ≤ 50.0% ✗" in c.sentence()

    def test_no_participation_shows_a_dash(self):
        c = self.condition(DecisionRule.ART278_ORDINARY, (30, 3000, 0, 0, 0, 0), "agreement_heads")
        assert c.share is None and c.percents()[0] == "—"

    @pytest.mark.parametrize(
        "value,places,text",
        [
            (Fraction(1, 8), 1, "12.5%"),
            (Fraction(1, 3), 2, "33.33%"),
            (Fraction(2, 3), 0, "67%"),
            (Fraction(1), 1, "100.0%"),
        ],
    )
    def test_percent_rounds_half_up_exactly(self, value, places, text):
        assert th.percent_text(value, places) == text
