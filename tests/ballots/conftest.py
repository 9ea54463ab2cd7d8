"""Fixtures for the ballot tests: a ballot over a unit of households with known areas, and
helpers to act as a household on the test client."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.models import BallotRule, OptionKind, OptionSet, ScopeKind
from consult.services import ballots as services
from projects.identity import SESSION_KEY
from projects.models import Channel
from tests import factories as f


def act_as(client, household) -> None:
    """Make the test client act as ``household`` (as if it had entered its code)."""
    session = client.session
    session[SESSION_KEY] = household.pk
    session.save()


def make_ballot(
    world,
    *,
    scope_kind=ScopeKind.UNIT,
    target=None,
    rule=BallotRule.ART278_ORDINARY,
    option_set=OptionSet.AGREE,
    choices=None,
    custom=None,
    open_it=True,
    now=None,
    opens_in=timedelta(hours=-1),
    lasts=timedelta(days=7),
    community=None,
):
    now = now or timezone.now()
    options = (
        services.choice_options(choices, with_abstain=True)
        if option_set == OptionSet.CHOICE
        else services.agree_options()
    )
    ballot = services.ballot_create(
        community=community or world.community,
        title="加装电梯表决",
        option_set=option_set,
        options=options,
        rule=rule,
        custom_thresholds=custom or [],
        scope_kind=scope_kind,
        target=target or world.unit,
        opens_at=now + opens_in,
        closes_at=now + opens_in + lasts,
        by=world.admin,
        now=now + opens_in - timedelta(minutes=5),
    )
    if open_it:
        services.ballot_open(ballot=ballot, by=world.admin, now=now + opens_in)
    return ballot


def option(ballot, kind=OptionKind.FOR):
    return ballot.options.get(kind=kind)


def vote(ballot, household, kind=OptionKind.FOR, *, by=None, channel=Channel.ONLINE, **kw):
    return services.cast_ballot(
        ballot=ballot,
        household=household,
        option=option(ballot, kind),
        channel=channel,
        entered_by=by,
        staff_entry=channel != Channel.ONLINE,
        **kw,
    )


@pytest.fixture
def tower(world):
    """world.unit filled up to 10 households: the first one is world.household (60 m²),
    then nine of 80 m². Total 780 m²."""
    f.households(world.unit, 9, area=Decimal("80.00"), start_floor=2)
    return list(world.unit.households.order_by("floor", "room"))
