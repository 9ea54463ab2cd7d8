import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from projects.identity import SESSION_KEY
from projects.models import Household, Role

from . import factories as f
from .helpers import principal


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_process(tmp_path_factory):
    """Files written outside a test (the demo seeded once per module) go to a folder of this
    test process: never the repository's media/, and never a folder another xdist worker uses."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """After each test, no language stays active. The test client runs requests in the test's
    own thread and LocaleMiddleware leaves the last request's language active, so a test that
    browsed in English would otherwise change the words the next test on the same worker sees
    (a service's refusal, seed_demo's output), depending on how xdist shares out the files."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _own_media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder (the private sign-off forms go beside it)
    and starts with an empty cache (rate limits, throttles), so no test sees what another
    left behind, in whatever order or process they run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """Two communities in one sub-district plus one elsewhere, with one household each,
    and a user for every role the permission matrices test."""

    class World:
        pass

    w = World()
    w.sub_district = f.sub_district(name="旧宫镇")
    w.community = f.community(sub_district=w.sub_district, name="北门社区")
    w.compound = f.compound(community=w.community, name="佳和园")
    w.building = f.building(compound=w.compound, name="1号楼")
    w.unit = f.unit(building=w.building, name="1单元")
    w.household = f.household(unit=w.unit, room="101", floor=1, phone="13812341234")
    w.other_building = f.building(compound=w.compound, name="2号楼")
    w.other_unit = f.unit(building=w.other_building, name="1单元")
    w.other_household = f.household(unit=w.other_unit, room="201", floor=2)

    w.other_community = f.community(sub_district=w.sub_district, name="南路一社区")
    w.other_compound = f.compound(community=w.other_community, name="南路一")
    w.foreign_household = f.household(unit=f.unit(building=f.building(compound=w.other_compound)))

    w.admin = f.member(w.community, Role.ADMIN, username="admin_bm")
    w.staff = f.member(w.community, Role.STAFF, username="staff_bm")
    w.building_head = f.member(w.community, Role.BUILDING_HEAD, buildings=[w.building], username="head_bm")
    w.department = f.member(w.community, Role.DEPARTMENT, username="dept_bm")
    w.other_staff = f.member(w.other_community, Role.STAFF, username="staff_nl")
    w.sub_district_staff = f.sub_district_staff(w.sub_district, username="street")
    w.superuser = f.user(username="root", is_superuser=True, is_staff=True)
    return w


@pytest.fixture
def act_as(request):
    """``act_as(client, who)`` makes a test client act as ``who``, and returns it:

    - a ``Household``: as if its code had been entered (the household in the session);
    - a user: logged in;
    - a role name from ``tests.helpers.ROLES``: that role's household or user in ``world``;
    - ``None`` or "anonymous": nobody."""

    def act(client, who):
        if isinstance(who, str):
            who = principal(request.getfixturevalue("world"), who)
        if isinstance(who, Household):
            session = client.session
            session[SESSION_KEY] = who.pk
            session.save()
        elif who is not None:
            client.force_login(who)
        return client

    return act
