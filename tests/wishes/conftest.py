"""Fixtures of the wish-list tests: a wish builder through the real service, and
households in a fresh unit."""

import pytest

from tests.factories import wish as make_wish


@pytest.fixture
def wish_of(world):
    def build(**kw):
        return make_wish(kw.pop("compound", world.compound), **kw)

    return build


def neighbours(world, count, building=None):
    """``count`` households in a fresh unit of the world's first building (or ``building``)."""
    from tests import factories as f

    return f.households(f.unit(building=building or world.building), count)
