"""Property tests of the one rules engine (``projects.thresholds``) against a brute-force
reference on small cases: at most 8 households with small whole-number areas.

The reference below is written straight from the rules as the Civil Code and local practice
word them, in integer cross-multiplication, and shares no code with the engine. Hypothesis
runs derandomized (a fixed seed) with a bounded number of examples so CI is repeatable."""

from decimal import Decimal
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import thresholds as th
from projects.models import Comparison, DecisionRule

AGREED, REFUSED, SILENT = "agreed", "refused", "silent"
RULES = [
    DecisionRule.SIMPLE_MAJORITY,
    DecisionRule.ART278_ORDINARY,
    DecisionRule.ART278_MAJOR,
    DecisionRule.UNANIMOUS,
    DecisionRule.TWO_THIRDS,
]
FAST = settings(derandomize=True, max_examples=150, deadline=None)

household = st.tuples(st.integers(min_value=1, max_value=200), st.sampled_from([AGREED, REFUSED, SILENT]))
households = st.lists(household, min_size=0, max_size=8)
ratios = st.tuples(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=12)).filter(
    lambda nd: nd[0] <= nd[1]
)


def counts(rows, scale=1):
    heads = len(rows)
    area = sum(a for a, _s in rows) * scale
    agreed = [a * scale for a, s in rows if s == AGREED]
    answered = [a * scale for a, s in rows if s != SILENT]
    return heads, area, len(answered), sum(answered), len(agreed), sum(agreed)


def tally_of(rows, scale=1) -> th.Tally:
    e, ea, p, pa, a, aa = counts(rows, scale)
    return th.Tally.of(
        eligible_heads=e,
        eligible_area=Decimal(ea),
        participating_heads=p,
        participating_area=Decimal(pa),
        agreeing_heads=a,
        agreeing_area=Decimal(aa),
    )


def reference(rule, rows) -> bool:
    """The rules as written, in integers: ≥ t is d·x ≥ n·base, > t is d·x > n·base."""
    e, ea, p, pa, a, aa = counts(rows)
    if p == 0:
        return False  # nobody took part (and so an empty scope) never passes
    quorum = 3 * p >= 2 * e and 3 * pa >= 2 * ea and ea > 0
    if rule == DecisionRule.SIMPLE_MAJORITY:
        return 2 * a > p
    if rule == DecisionRule.ART278_ORDINARY:
        return quorum and 2 * a > p and 2 * aa > pa
    if rule == DecisionRule.ART278_MAJOR:
        return quorum and 4 * a >= 3 * p and 4 * aa >= 3 * pa and pa > 0
    if rule == DecisionRule.UNANIMOUS:
        return a == e
    if rule == DecisionRule.TWO_THIRDS:
        return 3 * a >= 2 * e
    raise AssertionError(rule)


def passes(rule, rows, scale=1) -> bool:
    return th.evaluate(th.rule_thresholds(rule), tally_of(rows, scale)).passed


@FAST
@given(households, st.sampled_from(RULES))
def test_engine_agrees_with_the_reference(rows, rule):
    assert passes(rule, rows) is reference(rule, rows)


@FAST
@given(households, st.sampled_from(RULES), st.data())
def test_one_more_agreement_never_turns_a_pass_into_a_fail(rows, rule, data):
    if not passes(rule, rows):
        return
    others = [i for i, (_a, s) in enumerate(rows) if s != AGREED]
    if others:  # a household that had refused or stayed silent agrees
        i = data.draw(st.sampled_from(others))
        changed = [*rows[:i], (rows[i][0], AGREED), *rows[i + 1 :]]
        assert passes(rule, changed)
    new_area = data.draw(st.integers(min_value=1, max_value=200))
    assert passes(rule, [*rows, (new_area, AGREED)])  # a new agreeing household joins the scope


@FAST
@given(households, st.sampled_from(RULES), st.integers(min_value=2, max_value=1000))
def test_scaling_every_area_changes_nothing(rows, rule, factor):
    assert passes(rule, rows, scale=factor) is passes(rule, rows)


CONDITION_KINDS = [
    (th.Stage.PARTICIPATION, th.Base.ELIGIBLE),
    (th.Stage.AGREEMENT, th.Base.ELIGIBLE),
    (th.Stage.AGREEMENT, th.Base.PARTICIPATING),
]


def on_the_bound(stage, base, measure, numerator, denominator) -> th.Tally:
    """A tally whose measured share is exactly numerator/denominator for this condition."""
    unit = Fraction(1) if measure is th.Measure.HEADS else Fraction(1, 100)  # areas in cents
    n, d = numerator * unit, denominator * unit
    if stage is th.Stage.PARTICIPATION:
        e, p, a = d, n, Fraction(0)
    elif base is th.Base.ELIGIBLE:
        e, p, a = d, d, n
    else:
        e, p, a = d + 3 * unit, d, n
    fields = {"eligible": e, "participating": p, "agreeing": a}
    other = {"eligible": 1000, "participating": 1000, "agreeing": 1000}  # the other measure: irrelevant
    heads = fields if measure is th.Measure.HEADS else other
    area = fields if measure is th.Measure.AREA else other
    return th.Tally.of(**{f"{k}_heads": int(v) for k, v in heads.items()}, **{f"{k}_area": v for k, v in area.items()})


@FAST
@given(
    ratios,
    st.integers(min_value=1, max_value=7),
    st.sampled_from(CONDITION_KINDS),
    st.sampled_from(list(th.Measure)),
    st.sampled_from(list(Comparison)),
)
def test_every_boundary_comparison_is_exact(ratio, multiple, kind, measure, comparison):
    n, d = ratio
    stage, base = kind
    threshold = th.Threshold(stage, measure, Fraction(n, d), comparison, base)
    bound, whole = n * multiple, d * multiple  # share exactly n/d
    at = th.check(threshold, on_the_bound(stage, base, measure, bound, whole))
    assert at.passed is (comparison is Comparison.AT_LEAST)  # "以上" includes the bound, "过半数" does not
    if bound > 0:
        assert not th.check(threshold, on_the_bound(stage, base, measure, bound - 1, whole)).passed
    if bound < whole:
        assert th.check(threshold, on_the_bound(stage, base, measure, bound + 1, whole)).passed


def all_thresholds():
    rules = [th.rule_thresholds(rule) for rule in RULES]
    for heads, area in product([None, Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)], repeat=2):
        if heads or area:
            for comparison in Comparison:
                rules.append(th.share_of_all_rule(heads=heads, area=area, comparison=comparison))
    return sorted({t for rule in rules for t in rule}, key=repr)


@FAST
@given(households, st.sampled_from(all_thresholds()))
def test_the_shortfall_is_the_true_minimum(rows, threshold):
    """Brute force: the fewest agreeing answers from households still silent that meet it."""
    tally = tally_of(rows)
    result = th.check(threshold, tally)
    if result.passed or threshold.measure is th.Measure.AREA:
        return
    silent_areas = sorted((a for a, s in rows if s == SILENT), reverse=True)

    def with_k_more(k):
        return th.Tally.of(
            eligible_heads=tally.eligible_heads,
            eligible_area=tally.eligible_area,
            participating_heads=tally.participating_heads + k,
            participating_area=tally.participating_area + sum(silent_areas[:k]),
            agreeing_heads=tally.agreeing_heads + k,
            agreeing_area=tally.agreeing_area + sum(silent_areas[:k]),
        )

    minimum = next((k for k in range(len(silent_areas) + 1) if th.check(threshold, with_k_more(k)).passed), None)
    if minimum is not None:
        assert result.shortfall == minimum
    else:
        assert result.shortfall is None or result.shortfall > len(silent_areas)


@FAST
@given(households, st.sampled_from(all_thresholds()))
def test_the_area_shortfall_is_exact(rows, threshold):
    """m² of agreeing area from households still silent: exactly the shortfall meets an
    "at least" bound and a cent less does not; "more than" needs anything beyond it."""
    tally = tally_of(rows)
    result = th.check(threshold, tally)
    if result.passed or threshold.measure is th.Measure.HEADS or result.shortfall is None:
        return
    if result.denominator == 0:  # nobody answered yet: any agreeing area at all is enough
        assert result.shortfall == 0
        return
    cent = Fraction(1, 100)

    def grown(x) -> bool:
        """x m² more answer (and, for an agreement condition, agree)."""
        agreeing = x if threshold.stage is th.Stage.AGREEMENT else 0
        more = th.Tally.of(
            eligible_heads=tally.eligible_heads,
            eligible_area=tally.eligible_area,
            participating_heads=tally.participating_heads,
            participating_area=tally.participating_area + x,
            agreeing_heads=tally.agreeing_heads,
            agreeing_area=tally.agreeing_area + agreeing,
        )
        return th.check(threshold, more).passed

    room = tally.unanswered_area
    short = result.shortfall
    if threshold.comparison is Comparison.AT_LEAST:
        if short <= room:
            assert grown(short)
        if cent <= short <= room + cent:
            assert not grown(short - cent)
    else:
        if short + cent <= room:
            assert grown(short + cent)
        if short <= room:
            assert not grown(short)


@settings(derandomize=True, max_examples=120, deadline=None)
@given(st.lists(household, min_size=1, max_size=7), st.sampled_from(RULES))
def test_decided_equals_every_completion_of_the_unanswered(rows, rule):
    """``certain`` against brute force: every way the silent households may still answer
    (agree, refuse or stay silent), judged by the reference."""
    silent = [i for i, (_a, s) in enumerate(rows) if s == SILENT]
    completions = product([AGREED, REFUSED, SILENT], repeat=len(silent))
    always = True
    for answers in completions:
        completed = list(rows)
        for i, answer in zip(silent, answers, strict=True):
            completed[i] = (rows[i][0], answer)
        if not reference(rule, completed):
            always = False
            break
    assert th.certain(th.rule_thresholds(rule), tally_of(rows)) is always


@pytest.mark.parametrize("rule", [DecisionRule.UNANIMOUS, DecisionRule.TWO_THIRDS])
@FAST
@given(households)
def test_shares_of_all_households_are_decided_by_construction(rule, rows):
    tally = tally_of(rows)
    assert th.certain(th.rule_thresholds(rule), tally) is th.evaluate(th.rule_thresholds(rule), tally).passed
