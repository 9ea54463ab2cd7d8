"""The tally: one aggregate query at any size, exact areas, choices between designs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.models import CastBallot, EligibleHousehold, OptionKind, OptionSet, ScopeKind
from consult.selectors.ballots import stored_result, tally
from consult.services import ballots as services
from projects.models import Channel, Household
from tests import factories as f

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def fill_and_vote(world, n: int):
    """A building with ``n`` households of awkward areas; 3/4 of them vote in bulk."""
    building = f.building(compound=world.compound)
    unit = f.unit(building=building)
    households = f.households(unit, n, area=Decimal("67.31"))
    ballot = make_ballot(world, scope_kind=ScopeKind.BUILDING, target=building)
    options = {o.kind: o for o in ballot.options.all()}
    eligible = {e.household_id: e for e in EligibleHousehold.objects.filter(ballot=ballot)}
    kinds = [OptionKind.FOR, OptionKind.FOR, OptionKind.AGAINST, OptionKind.ABSTAIN]
    CastBallot.objects.bulk_create(
        CastBallot(
            ballot=ballot,
            eligible=eligible[h.pk],
            household=h,
            option=options[kinds[i % 4]],
            channel=Channel.ONLINE,
            cast_at=timezone.now(),
        )
        for i, h in enumerate(households)
        if i % 4 != 3
    )
    return ballot


@pytest.mark.parametrize("n", [8, 400])
def test_tally_is_one_query_at_any_size(world, django_assert_num_queries, n):
    ballot = fill_and_vote(world, n)
    with django_assert_num_queries(1):
        result = tally(ballot)
    voted = n - n // 4
    assert result.eligible_heads == n
    assert result.participating_heads == voted
    assert result.eligible_area == Decimal("67.31") * n  # exact, even where SQLite sums in floats
    assert result.participating_area == Decimal("67.31") * voted


def test_voided_ballots_are_not_counted(world, tower):
    ballot = make_ballot(world)
    cast = vote(ballot, world.household)
    services.void_cast_ballot(cast=cast, by=world.staff, reason="误录")
    vote(ballot, tower[1])
    result = tally(ballot)
    assert result.participating_heads == 1 and result.participating_area == Decimal("80.00")


def test_major_matter_passes_exactly_at_three_quarters(world):
    # 8 households of 100 m²: 6 agree, 2 against: 6/8 = 3/4 of heads and area.
    households = f.households(world.other_unit, 7, area=Decimal("100.00"), start_floor=3)
    world.other_household.area = Decimal("100.00")
    world.other_household.save()
    ballot = make_ballot(world, target=world.other_unit, rule="art278_major")
    everyone = [world.other_household, *households]
    for i, household in enumerate(everyone):
        vote(ballot, household, OptionKind.FOR if i < 6 else OptionKind.AGAINST)
    result = tally(ballot)
    assert result.passed
    assert [c.passed for c in result.outcome.conditions] == [True, True, True, True]
    services.void_cast_ballot(
        cast=CastBallot.objects.get(ballot=ballot, household=everyone[0]), by=world.staff, reason="代签无效"
    )
    vote(ballot, everyone[0], OptionKind.ABSTAIN)  # 5/8 agree now: one household short
    assert not tally(ballot).passed


def test_choice_between_designs_counts_the_leading_option(world, tower):
    ballot = make_ballot(
        world, option_set=OptionSet.CHOICE, choices=["方案A", "方案B", "方案C"], rule="simple_majority"
    )
    designs = {o.label: o for o in ballot.options.all()}
    picks = ["方案B"] * 6 + ["方案A"] * 2 + ["方案C"]
    for household, pick in zip(tower, picks, strict=False):
        services.cast_ballot(ballot=ballot, household=household, option=designs[pick], channel=Channel.ONLINE)
    result = tally(ballot)
    assert result.leading.option.label == "方案B" and result.passed  # 6 of 9 ballots cast
    abstain = ballot.options.get(kind=OptionKind.ABSTAIN)
    services.cast_ballot(ballot=ballot, household=tower[9], option=abstain, channel=Channel.ONLINE)
    assert tally(ballot).passed  # 6 of 10 still more than half


def test_tied_designs_decide_nothing(world, tower):
    ballot = make_ballot(world, option_set=OptionSet.CHOICE, choices=["方案A", "方案B"], rule="simple_majority")
    designs = {o.label: o for o in ballot.options.all()}
    for household, pick in zip(tower, ["方案A", "方案B"] * 2, strict=False):
        services.cast_ballot(ballot=ballot, household=household, option=designs[pick], channel=Channel.ONLINE)
    result = tally(ballot)
    assert result.tie and not result.passed


def test_zero_participation_fails(world, tower):
    ballot = make_ballot(world, rule="simple_majority")
    result = tally(ballot)
    assert not result.passed and result.outcome.no_participation and result.participating_heads == 0


def test_stored_result_matches_the_live_count(world, tower):
    now = timezone.now()
    ballot = make_ballot(world, now=now)
    for i, household in enumerate(tower):
        vote(ballot, household, [OptionKind.FOR, OptionKind.AGAINST, OptionKind.ABSTAIN][i % 3], now=now)
    live = services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at + timedelta(minutes=1))
    ballot.refresh_from_db()
    stored = stored_result(ballot, list(ballot.options.all()))
    assert stored.passed == live.passed == ballot.passed
    assert [c.sentence() for c in stored.outcome.conditions] == [c.sentence() for c in live.outcome.conditions]
    assert stored.eligible_area == live.eligible_area and stored.participating_area == live.participating_area
    # a household added to the registry afterwards changes nothing
    f.household(unit=world.unit, room="999", floor=9)
    assert tally(ballot).eligible_heads == live.eligible_heads == Household.objects.filter(unit=world.unit).count() - 1
