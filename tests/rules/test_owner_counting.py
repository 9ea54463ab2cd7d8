"""Counting owners as the SPC interpretation on 建筑物区分所有权 Art. 9 counts them, in the
one rules engine: who counts as one person (``owner_voters``), how a person's several flats
answer (``heads_by_answer``, ``count_units``), and that ``certain`` stays exact when an
owner's agreement is contingent on flats that have not answered yet (checked against every
completion, brute force, on small cases)."""

from decimal import Decimal
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import thresholds as th
from projects.models import DecisionRule

AGREE, REFUSE = th.AGREE, "refused"
FAST = settings(derandomize=True, max_examples=120, deadline=None)


def unit(voter, area, answer=None):
    return th.UnitAnswer(voter=voter, area=Decimal(area), answer=answer)


# --- who counts as one person ---------------------------------------------------------------


def test_owner_of_several_flats_counts_once():
    voters = th.owner_voters({1: [("王", False)], 2: [("王", False)], 3: [("李", False)]}, [1, 2, 3])
    assert voters == {1: 1, 2: 1, 3: 3}


def test_co_owners_of_one_flat_are_one_head():
    voters = th.owner_voters({5: [("王", False), ("李", False)]}, [5, 6])
    assert voters == {5: 5, 6: 6}  # 6 has no owner recorded: it counts on its own


def test_co_ownership_joins_transitively():
    """A flat co-owned by A and B, and another flat of B's: one person holds both."""
    voters = th.owner_voters({1: [("A", False), ("B", False)], 2: [("B", False)], 3: [("C", False)]}, [1, 2, 3])
    assert voters[1] == voters[2] != voters[3]


def test_all_developer_units_count_once_whichever_developer():
    holdings = {1: [("开发商甲", True)], 2: [("开发商甲", True)], 3: [("开发商乙", True)], 4: [("王", False)]}
    voters = th.owner_voters(holdings, [1, 2, 3, 4])
    assert voters[1] == voters[2] == voters[3] == 1 and voters[4] == 4


def test_holdings_outside_the_scope_are_ignored():
    voters = th.owner_voters({1: [("王", False)], 99: [("王", False)]}, [1, 2])
    assert voters == {1: 1, 2: 2}


# --- how a person's flats answer ------------------------------------------------------------


def test_property_unit_with_forty_flats_is_one_owner_but_forty_households():
    """体委小区: 市体校 holds 40 公房 flats next to 10 privately owned ones."""
    school = [unit("市体校", 50, AGREE) for _ in range(40)]
    private = [unit(f"业主{i}", 60, REFUSE if i < 6 else AGREE) for i in range(10)]
    owners = th.count_units(school + private)
    assert (owners.eligible_heads, owners.agreeing_heads, owners.participating_heads) == (11, 5, 11)
    assert owners.eligible_area == 40 * 50 + 10 * 60 and owners.agreeing_area == 40 * 50 + 4 * 60
    residents = th.count_units(th.UnitAnswer(i, u.area, u.answer) for i, u in enumerate(school + private))
    assert (residents.eligible_heads, residents.agreeing_heads) == (50, 44)
    major = th.rule_thresholds(DecisionRule.ART278_MAJOR)
    assert th.evaluate(major, residents).passed  # 44/50 households ≥ 3/4
    assert not th.evaluate(major, owners).passed  # 5/11 owners < 3/4, whatever the area


def test_owner_whose_flats_voted_differently_took_part_but_counts_for_no_option():
    per_answer, participating, eligible = th.heads_by_answer(
        [unit("王", 60, "for"), unit("王", 70, "against"), unit("李", 80, "for"), unit("赵", 50)]
    )
    assert per_answer == {"for": 1} and participating == 2 and eligible == 3


def test_area_counts_per_flat_even_when_the_head_does_not():
    tally = th.count_units([unit("王", 60, AGREE), unit("王", 70, REFUSE)])
    assert (tally.agreeing_heads, tally.participating_heads) == (0, 1)
    assert tally.agreeing_area == 60 and tally.participating_area == 130


def test_agreement_with_a_flat_still_silent_is_contingent():
    tally = th.count_units([unit("王", 60, AGREE), unit("王", 70), unit("李", 80)])
    assert (tally.agreeing_heads, tally.contingent_heads, tally.firm_agreeing_heads) == (1, 1, 0)
    worst = tally.with_unanswered(agreeing=False)
    assert worst.agreeing_heads == 0 and worst.participating_heads == 2
    unanimous = th.rule_thresholds(DecisionRule.UNANIMOUS)
    assert th.certain_shortfall(unanimous[0], tally) == 2  # both owners must still agree for certain


def test_unknown_area_counts_as_nothing():
    tally = th.count_units([th.UnitAnswer("王", None, AGREE), unit("李", 80, AGREE)])
    assert tally.eligible_area == 80
    assert th.uses_area(th.rule_thresholds(DecisionRule.ART278_MAJOR))
    assert not th.uses_area(th.rule_thresholds(DecisionRule.UNANIMOUS))


# --- properties -----------------------------------------------------------------------------

RULES = [
    DecisionRule.SIMPLE_MAJORITY,
    DecisionRule.ART278_ORDINARY,
    DecisionRule.ART278_MAJOR,
    DecisionRule.UNANIMOUS,
    DecisionRule.TWO_THIRDS,
]
flats = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 150), st.sampled_from([AGREE, REFUSE, None])), max_size=6)


def units_of(rows, scale=1):
    return [th.UnitAnswer(voter, Fraction(area) * scale, answer) for voter, area, answer in rows]


@FAST
@given(flats, st.sampled_from(RULES), st.fractions(min_value=Fraction(1, 7), max_value=13, max_denominator=9))
def test_scaling_every_area_changes_nothing_when_owners_hold_several_flats(rows, rule, factor):
    thresholds = th.rule_thresholds(rule)
    plain, scaled = th.count_units(units_of(rows)), th.count_units(units_of(rows, factor))
    assert th.evaluate(thresholds, plain).passed is th.evaluate(thresholds, scaled).passed
    assert th.certain(thresholds, plain) is th.certain(thresholds, scaled)


@FAST
@given(flats, st.sampled_from(RULES))
def test_certain_means_every_completion_passes(rows, rule):
    """Brute force: give every silent flat each of agree / refuse / stay silent."""
    thresholds = th.rule_thresholds(rule)
    silent = [i for i, (_v, _a, answer) in enumerate(rows) if answer is None]
    every = True
    for answers in product([AGREE, REFUSE, None], repeat=len(silent)):
        completed = list(rows)
        for i, answer in zip(silent, answers, strict=True):
            voter, area, _none = completed[i]
            completed[i] = (voter, area, answer)
        every &= th.evaluate(thresholds, th.count_units(units_of(completed))).passed
    assert th.certain(thresholds, th.count_units(units_of(rows))) is every


@FAST
@given(flats, st.sampled_from(RULES))
def test_one_voter_per_flat_is_the_household_count(rows, rule):
    """A residents' consultation: every flat its own head, exactly as the per-household
    Tally the sign-off board has always built."""
    units = [th.UnitAnswer(i, Fraction(area), answer) for i, (_v, area, answer) in enumerate(rows)]
    agreed = [a for _v, a, answer in rows if answer == AGREE]
    refused = [a for _v, a, answer in rows if answer == REFUSE]
    expected = th.Tally.of_answers(
        heads=len(rows),
        area=sum(a for _v, a, _x in rows),
        agreed_heads=len(agreed),
        agreed_area=sum(agreed),
        refused_heads=len(refused),
        refused_area=sum(refused),
    )
    assert th.count_units(units) == expected


@pytest.mark.parametrize("rule", RULES)
def test_an_owner_adding_a_flat_in_agreement_never_turns_pass_into_fail(rule):
    base = [unit("A", 60, AGREE), unit("B", 80, AGREE), unit("C", 70, REFUSE)]
    thresholds = th.rule_thresholds(rule)
    before = th.evaluate(thresholds, th.count_units(base)).passed
    after = th.evaluate(thresholds, th.count_units([*base, unit("A", 50, AGREE)])).passed
    assert after or not before
