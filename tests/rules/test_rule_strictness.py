"""``at_least_as_strict``: which ballot rules satisfy a project's required rule. Checked as a
table for the standard rules, and against a brute-force search over small tallies: whenever
it says "at least as strict", no tally passes the ballot's rule and fails the required one."""

from fractions import Fraction
from itertools import product

import pytest

from projects import thresholds as th
from projects.models import DecisionRule as R

STANDARD = [R.SIMPLE_MAJORITY, R.ART278_ORDINARY, R.ART278_MAJOR, R.UNANIMOUS]
# (ballot rule, required rule) pairs that are accepted; every other pair is refused.
ACCEPTED = {
    (R.SIMPLE_MAJORITY, R.SIMPLE_MAJORITY),
    (R.ART278_ORDINARY, R.SIMPLE_MAJORITY),
    (R.ART278_ORDINARY, R.ART278_ORDINARY),
    (R.ART278_MAJOR, R.SIMPLE_MAJORITY),
    (R.ART278_MAJOR, R.ART278_ORDINARY),
    (R.ART278_MAJOR, R.ART278_MAJOR),
    (R.UNANIMOUS, R.SIMPLE_MAJORITY),
    (R.UNANIMOUS, R.ART278_ORDINARY),
    (R.UNANIMOUS, R.ART278_MAJOR),
    (R.UNANIMOUS, R.UNANIMOUS),
}


@pytest.mark.parametrize(("ballot", "required"), list(product(STANDARD, STANDARD)))
def test_the_standard_rules_are_ordered(ballot, required):
    verdict = th.at_least_as_strict(th.rule_thresholds(ballot), th.rule_thresholds(required))
    assert verdict == ((ballot, required) in ACCEPTED)


def custom(agree_ratio: str, comparison: str, base: str = "participating", quorum: str | None = "2/3"):
    spec = [
        {"stage": "agreement", "measure": m, "base": base, "ratio": agree_ratio, "comparison": comparison}
        for m in ("area", "heads")
    ]
    if quorum:
        spec += [
            {"stage": "participation", "measure": m, "ratio": quorum, "comparison": "at_least"}
            for m in ("area", "heads")
        ]
    return th.custom_rule(spec)


def test_the_boundary_comparison_matters():
    major = th.rule_thresholds(R.ART278_MAJOR)
    assert th.at_least_as_strict(custom("3/4", "at_least"), major)
    assert th.at_least_as_strict(custom("3/4", "more_than"), major)  # > 3/4 implies ≥ 3/4
    assert not th.at_least_as_strict(custom("74/100", "more_than"), major)
    ordinary = th.rule_thresholds(R.ART278_ORDINARY)
    assert not th.at_least_as_strict(custom("1/2", "at_least"), ordinary)  # "half" is not "more than half"
    assert not th.at_least_as_strict(custom("3/4", "at_least", quorum=None), ordinary)  # no quorum


def test_a_share_of_all_eligible_agreeing_implies_the_quorum_and_the_share_among_participants():
    assert th.at_least_as_strict(
        custom("3/4", "at_least", base="eligible", quorum=None), th.rule_thresholds(R.ART278_MAJOR)
    )
    assert not th.at_least_as_strict(
        custom("3/5", "at_least", base="eligible", quorum=None), th.rule_thresholds(R.ART278_MAJOR)
    )


def small_tallies():
    """Every tally of up to three households with areas 1 or 2 and each answer possible."""
    for n in range(1, 4):
        for areas in product((1, 2), repeat=n):
            for answers in product(("agree", "refuse", "silent"), repeat=n):
                agreed = [a for a, x in zip(areas, answers, strict=True) if x == "agree"]
                took_part = [a for a, x in zip(areas, answers, strict=True) if x != "silent"]
                yield th.Tally.of(
                    eligible_heads=n,
                    eligible_area=sum(areas),
                    participating_heads=len(took_part),
                    participating_area=sum(took_part),
                    agreeing_heads=len(agreed),
                    agreeing_area=sum(agreed),
                )


CANDIDATES = [
    *(th.rule_thresholds(r) for r in STANDARD),
    th.rule_thresholds(R.TWO_THIRDS),
    custom("2/3", "at_least"),
    custom("1/2", "more_than", base="eligible", quorum=None),
    custom("3/4", "at_least", base="eligible", quorum="1/2"),
    th.share_of_all_rule(heads=Fraction(2, 3), area=None, comparison="at_least"),
]


@pytest.mark.parametrize(("i", "j"), list(product(range(len(CANDIDATES)), repeat=2)))
def test_at_least_as_strict_is_never_wrong_on_small_tallies(i, j):
    rule, required = CANDIDATES[i], CANDIDATES[j]
    if th.at_least_as_strict(rule, required):
        for tally in small_tallies():
            assert not (th.evaluate(rule, tally).passed and not th.evaluate(required, tally).passed), tally
