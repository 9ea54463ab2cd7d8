"""Owners' decisions count owners (SPC interpretation Art. 9); residents' consultations count
households; a rule that counts area refuses to open while a household in scope has none."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consult.models import BallotStatus, EligibleHousehold, OptionKind
from consult.selectors.ballots import stored_result, tally
from consult.services import ballots as services
from projects.errors import ServiceError
from projects.models import DecisionKind, DecisionRule, Owner, OwnerKind, Ownership

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def hold(owner, *households):
    for household in households:
        Ownership.objects.create(owner=owner, household=household)


@pytest.fixture
def school(world):
    return Owner.objects.create(community=world.community, kind=OwnerKind.PROPERTY_UNIT, name="市体校")


def close(ballot, world):
    ballot.refresh_from_db()
    return services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at + timedelta(minutes=1))


def test_property_unit_with_several_flats_counts_once_in_an_owners_decision(world, tower, school):
    hold(school, *tower[1:6])  # five 公房 flats of 80 m²
    ballot = make_ballot(world, rule=DecisionRule.ART278_ORDINARY)
    voters = dict(EligibleHousehold.objects.filter(ballot=ballot).values_list("household_id", "voter"))
    assert len({voters[h.pk] for h in tower[1:6]}) == 1  # fixed at opening
    for household in tower[1:6]:
        vote(ballot, household, OptionKind.FOR)
    for household in (tower[0], tower[6], tower[7]):
        vote(ballot, household, OptionKind.AGAINST)
    result = close(ballot, world)
    # Owners: 市体校 + 5 others = 6; took part: 市体校 and three others = 4; 1 agrees.
    assert (result.eligible_heads, result.participating_heads) == (6, 4)
    assert result.leading.heads == 1
    assert result.leading.area == 5 * 80  # the area counts per flat
    assert not result.passed  # 1/4 owners is not more than half, although 400/620 m² is
    assert result.counts_owners
    ballot.refresh_from_db()
    again = stored_result(ballot, list(ballot.options.all()))
    assert (again.eligible_heads, again.participating_heads, again.passed) == (6, 4, False)


def test_the_same_votes_in_a_residents_consultation_count_every_household(world, tower, school):
    hold(school, *tower[1:6])
    ballot = make_ballot(world, rule=DecisionRule.ART278_ORDINARY, open_it=False)
    ballot.decision_kind = DecisionKind.RESIDENTS
    ballot.save(update_fields=["decision_kind"])
    services.ballot_open(ballot=ballot, by=world.admin, now=ballot.opens_at)
    for household in tower[1:6]:
        vote(ballot, household, OptionKind.FOR)
    for household in (tower[0], tower[6], tower[7]):
        vote(ballot, household, OptionKind.AGAINST)
    result = close(ballot, world)
    assert (result.eligible_heads, result.participating_heads, result.leading.heads) == (10, 8, 5)
    assert result.passed and not result.counts_owners


def test_owner_whose_flats_voted_differently_counts_for_no_option(world, tower):
    owner = Owner.objects.create(community=world.community, name="王建国", reference="0417")
    hold(owner, tower[1], tower[2])
    ballot = make_ballot(world)
    vote(ballot, tower[1], OptionKind.FOR)
    vote(ballot, tower[2], OptionKind.AGAINST)
    result = close(ballot, world)
    heads = {t.option.kind: t.heads for t in result.options}
    assert heads[OptionKind.FOR] == heads[OptionKind.AGAINST] == 0
    assert (result.participating_heads, result.eligible_heads) == (1, 9)


def test_opening_a_decision_that_counts_area_names_every_room_without_one(world, tower):
    for household in (tower[3], tower[7]):
        household.area = None
        household.save(update_fields=["area"])
    ballot = make_ballot(world, rule=DecisionRule.ART278_ORDINARY, open_it=False)
    with pytest.raises(ServiceError) as refused:
        services.ballot_open(ballot=ballot, by=world.admin, now=timezone.now())
    message = str(refused.value)
    unit = f"{world.unit.building.name}{world.unit.name}"
    assert f"{unit}{tower[3].room}" in message and f"{unit}{tower[7].room}" in message
    assert f"{unit}{tower[0].room}" not in message
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT and not EligibleHousehold.objects.filter(ballot=ballot).exists()


def test_a_decision_by_heads_only_opens_without_areas(world, tower):
    tower[3].area = None
    tower[3].save(update_fields=["area"])
    ballot = make_ballot(world, rule=DecisionRule.SIMPLE_MAJORITY)
    assert ballot.status == BallotStatus.OPEN
    assert EligibleHousehold.objects.get(ballot=ballot, household=tower[3]).area is None
    vote(ballot, tower[3], OptionKind.FOR)
    assert tally(ballot).leading.heads == 1


def test_an_eligible_row_without_a_person_counts_as_itself(world, tower, school):
    """Rows added to an open ballot by another path than opening leave ``voter`` empty."""
    hold(school, *tower[1:3])
    ballot = make_ballot(world)
    EligibleHousehold.objects.filter(ballot=ballot, household=tower[5]).update(voter=None)
    vote(ballot, tower[5], OptionKind.FOR)
    result = close(ballot, world)
    assert (result.eligible_heads, result.leading.heads) == (9, 1)
