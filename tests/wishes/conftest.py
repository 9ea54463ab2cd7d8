"""Fixtures of the wish-list tests: a wish builder through the real service, acting as a
household in the test client's session, and small image files."""

import pytest
from django.core.cache import cache

from tests.factories import wish as make_wish


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wish_of(world):
    def build(**kw):
        return make_wish(kw.pop("compound", world.compound), **kw)

    return build


def neighbours(world, count, building=None):
    """``count`` households in a fresh unit of the world's first building (or ``building``)."""
    from tests import factories as f

    return f.households(f.unit(building=building or world.building), count)
