"""Fixtures of the wish-list tests: a wish builder through the real service, acting as a
household in the test client's session, and small image files."""

import pytest
from django.core.cache import cache

from consult.models import WishCategory
from consult.services.wishes import wish_submit
from projects.identity import SESSION_KEY
from projects.models import Channel


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def make_wish(compound, *, by=None, household=None, channel=None, **kw):
    """A wish entered through the service: online by a resident unless ``by`` (staff) is given."""
    if channel is None:
        channel = Channel.ONLINE if by is None else Channel.QUESTIONNAIRE
    kw.setdefault("title", "楼道加装扶手")
    kw.setdefault("category", WishCategory.ELDERLY)
    if household is None and by is None:
        kw.setdefault("contact_phone", "13912345678")
        kw.setdefault("contact_name", "王秀英")
    return wish_submit(compound=compound, channel=channel, entered_by=by, household=household, **kw)


@pytest.fixture
def wish_of(world):
    def build(**kw):
        return make_wish(kw.pop("compound", world.compound), **kw)

    return build


def act_as(client, household):
    """What the household-code page does: put the household in the session."""
    session = client.session
    session[SESSION_KEY] = household.pk
    session.save()


def neighbours(world, count, building=None):
    """``count`` households in a fresh unit of the world's first building (or ``building``)."""
    from tests import factories as f

    return f.households(f.unit(building=building or world.building), count)
