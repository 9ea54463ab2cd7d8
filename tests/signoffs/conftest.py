"""Fixtures for the sign-off tracker: a campaign over two buildings of ``world``.

- 1号楼1单元 (``world.building``, the building head's): 101 plus 301, 302, 401 → 4 households;
- 2号楼1单元 (``world.other_building``): 201 plus 301, 302, 401 → 4 households.
The clock is passed in: ``T0`` is when the campaign opened.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from projects.models import DecisionRule, Stage
from projects.services import signoffs as svc
from tests import factories as f
from tests.helpers import phone_jpeg, photo_upload

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)


def at(day: int, hour: int = 10) -> datetime:
    """``day`` days after T0 (a Monday in March 2025), at ``hour`` local time."""
    return T0.replace(day=T0.day + day, hour=hour)


def open_campaign(project, by, **data):
    data = {
        "title": "签字同意",
        "consent_text": "同意施工",
        "rule": DecisionRule.UNANIMOUS,
        "paper_required": False,
        **data,
    }
    return svc.signoff_campaign_open(project=project, data=data, by=by, now=T0)


@pytest.fixture
def so(world):
    class SO:
        pass

    s = SO()
    s.world = world
    s.head_households = [world.household, *f.households(world.unit, 3, start_floor=3)]
    s.other_households = [world.other_household, *f.households(world.other_unit, 3, start_floor=3)]
    s.households = s.head_households + s.other_households
    s.project = f.project(community=world.community, title="1号楼2号楼上下水改造", stage=Stage.CONSENT)
    s.project.buildings.set([world.building, world.other_building])
    s.campaign = open_campaign(s.project, world.staff)
    return s


@pytest.fixture
def photo_jpeg():
    """A real JPEG with EXIF (camera and GPS) as a phone would upload it."""

    def make(name="form.jpg", size=(400, 300)):
        return photo_upload(name, phone_jpeg(size))

    return make
