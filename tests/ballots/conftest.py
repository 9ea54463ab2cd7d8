"""Fixtures for the ballot tests: a ballot over a unit of households with known areas, and
helpers to act as a household on the test client."""

from decimal import Decimal

import pytest

from consult.models import OptionKind
from consult.services import ballots as services
from projects.models import Channel
from tests import factories as f
from tests.factories import ballot as make_ballot  # noqa: F401 - imported by the ballot tests


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
