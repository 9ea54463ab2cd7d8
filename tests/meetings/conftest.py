"""Fixtures for the meeting tests: meetings at every stage, built through the services so
the history rows exist as they would in real use."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consult.models import Meeting, MeetingStatus
from consult.services.meetings import meeting_change_status
from projects.models import Department, Membership
from tests import factories as f
from tests.factories import meeting as make_meeting

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def advance(meeting, by, *steps, now=None) -> Meeting:
    """Move a meeting through statuses; fills in what each step needs."""
    for status in steps:
        if status == MeetingStatus.MINUTED:
            Meeting.objects.filter(pk=meeting.pk).update(
                problems="餐饮污水堵塞", solutions="更换污水管线", public_summary="商户和居民共同商定更换管线。"
            )
        if status == MeetingStatus.REPORTED:
            Meeting.objects.filter(pk=meeting.pk).update(report_back="管线已更换，隔油池已安装。")
        meeting_change_status(meeting=meeting, to_status=status, by=by, note="测试", now=now)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def department(world) -> Department:
    """The department of ``world.department`` (the department viewer)."""
    return Membership.objects.get(user=world.department, community=world.community).department


@pytest.fixture
def other_department(world) -> Department:
    return Department.objects.create(sub_district=world.sub_district, name="城管队")


@pytest.fixture
def upcoming(world, department):
    """An announced meeting in three days, the department invited."""
    meeting = make_meeting(world.community, world.staff, compound=world.compound, departments=[department])
    return advance(meeting, world.staff, MeetingStatus.ANNOUNCED)


@pytest.fixture
def held(world, department):
    """A meeting held an hour ago, the department invited, with one item for the department
    and one for a staff member."""
    meeting = make_meeting(
        world.community,
        world.staff,
        compound=world.compound,
        departments=[department],
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    meeting = advance(meeting, world.staff, MeetingStatus.HELD)
    f.action_item(meeting, world.staff, title="更换190米污水管线", owner_department=department)
    f.action_item(meeting, world.staff, title="通知21家商户")
    return meeting
