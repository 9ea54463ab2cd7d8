"""The meeting life cycle: planned → announced → held → minutes recorded → reported back,
plus cancelled, with a clock passed in. Pure rules first, then the service that applies them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from consult.meeting_lifecycle import MeetingFacts, announcement_warnings, transition_problems
from consult.models import Meeting, MeetingStatus, MeetingTransition
from consult.services.action_items import action_item_create, action_item_set_status
from consult.services.meetings import MeetingChangeBlocked, meeting_change_status, meeting_update

from .conftest import advance, at, make_meeting

S = MeetingStatus
NOW = at(2025, 6, 10, 10, 0)


def facts(status, *, starts_at=None, **kw):
    defaults = dict(
        was_announced=False, has_minutes=False, has_public_summary=False, has_report_back=False, open_items=0
    )
    defaults.update(kw)
    return MeetingFacts(status=status, starts_at=starts_at or at(2025, 6, 13, 14, 30), **defaults)


@pytest.mark.parametrize(
    "status,target,kw,allowed",
    [
        (S.PLANNED, S.ANNOUNCED, {}, True),
        (S.PLANNED, S.HELD, {}, False),  # the meeting is three days away
        (S.PLANNED, S.MINUTED, {}, False),  # no skipping the meeting itself
        (S.PLANNED, S.REPORTED, {}, False),
        (S.ANNOUNCED, S.MINUTED, {}, False),
        (S.HELD, S.REPORTED, {"has_minutes": True, "has_public_summary": True, "has_report_back": True}, False),
        (S.REPORTED, S.CANCELLED, {}, False),
        (S.CANCELLED, S.ANNOUNCED, {}, False),
        (S.HELD, S.MINUTED, {"has_minutes": True, "has_public_summary": True}, True),
        (S.HELD, S.MINUTED, {"has_minutes": True}, False),  # the public summary is required
        (S.HELD, S.MINUTED, {"has_public_summary": True}, False),
        (S.MINUTED, S.REPORTED, {"has_report_back": True}, True),
        (S.MINUTED, S.REPORTED, {"has_report_back": True, "open_items": 1}, False),
        (S.MINUTED, S.REPORTED, {}, False),
    ],
)
def test_transition_table(status, target, kw, allowed):
    problems = transition_problems(facts(status, **kw), target, note="", now=NOW)
    assert (problems == []) is allowed, problems


def test_held_is_allowed_on_the_meeting_day_and_after():
    on_the_day = facts(S.ANNOUNCED, starts_at=at(2025, 6, 10, 19, 0))
    assert transition_problems(on_the_day, S.HELD, note="", now=NOW) == []
    tomorrow = facts(S.ANNOUNCED, starts_at=at(2025, 6, 11, 9, 0))
    assert transition_problems(tomorrow, S.HELD, note="", now=NOW)


def test_cannot_announce_a_meeting_whose_time_has_passed():
    past = facts(S.PLANNED, starts_at=at(2025, 6, 10, 9, 0))
    assert transition_problems(past, S.ANNOUNCED, note="", now=NOW)


@pytest.mark.parametrize(
    "status,target",
    [(S.ANNOUNCED, S.PLANNED), (S.MINUTED, S.HELD), (S.REPORTED, S.MINUTED), (S.CANCELLED, S.PLANNED)],
)
def test_steps_back_need_a_note(status, target):
    assert transition_problems(facts(status), target, note="", now=NOW)
    assert transition_problems(facts(status), target, note="点错了", now=NOW) == []


def test_cancelling_needs_a_reason():
    assert transition_problems(facts(S.ANNOUNCED), S.CANCELLED, note=" ", now=NOW)
    assert transition_problems(facts(S.ANNOUNCED), S.CANCELLED, note="暴雨", now=NOW) == []


def test_back_to_announced_only_when_it_was_announced():
    assert transition_problems(facts(S.HELD, was_announced=False), S.ANNOUNCED, note="x", now=NOW)
    assert transition_problems(facts(S.HELD, was_announced=True), S.ANNOUNCED, note="x", now=NOW) == []


@pytest.mark.parametrize(
    "starts_at,warned",
    [
        (NOW + datetime.timedelta(days=1), True),
        (NOW + datetime.timedelta(days=1, hours=23, minutes=59), True),
        (NOW + datetime.timedelta(days=2), False),
        (NOW + datetime.timedelta(days=3), False),
    ],
)
def test_warns_when_announcing_less_than_two_days_ahead(starts_at, warned):
    assert bool(announcement_warnings(starts_at=starts_at, now=NOW)) is warned


# --- the service, with a clock -----------------------------------------------------------


@pytest.mark.django_db
def test_full_life_cycle_records_who_and_when(world, department):
    meeting = make_meeting(
        world.community, world.staff, starts_at=at(2025, 6, 13, 14, 30), compound=world.compound, now=at(2025, 6, 1)
    )
    meeting_change_status(meeting=meeting, to_status=S.ANNOUNCED, by=world.staff, now=NOW)
    meeting.refresh_from_db()
    assert meeting.status == S.ANNOUNCED and meeting.announced_at == NOW

    held_at = at(2025, 6, 13, 14, 40)
    meeting_change_status(meeting=meeting, to_status=S.HELD, by=world.admin, now=held_at)
    item = action_item_create(
        meeting=meeting,
        title="更换污水管线",
        deadline=datetime.date(2025, 7, 1),
        owner_user=world.staff,
        by=world.staff,
        now=held_at,
    )
    Meeting.objects.filter(pk=meeting.pk).update(problems="堵塞", public_summary="商定更换管线")
    meeting_change_status(meeting=meeting, to_status=S.MINUTED, by=world.staff, now=at(2025, 6, 13, 17, 0))
    Meeting.objects.filter(pk=meeting.pk).update(report_back="已更换")
    with pytest.raises(MeetingChangeBlocked, match="1"):
        meeting_change_status(meeting=meeting, to_status=S.REPORTED, by=world.staff, now=at(2025, 7, 2, 9, 0))
    action_item_set_status(item=item, to_status="done", by=world.staff, now=at(2025, 6, 30, 9, 0))
    reported_at = at(2025, 7, 2, 9, 0)
    meeting_change_status(meeting=meeting, to_status=S.REPORTED, by=world.admin, now=reported_at)

    meeting.refresh_from_db()
    assert meeting.status == S.REPORTED and meeting.reported_at == reported_at
    history = list(
        MeetingTransition.objects.filter(meeting=meeting).values_list("from_status", "to_status", "changed_by")
    )
    assert history == [
        ("", S.PLANNED, world.staff.pk),
        (S.PLANNED, S.ANNOUNCED, world.staff.pk),
        (S.ANNOUNCED, S.HELD, world.admin.pk),
        (S.HELD, S.MINUTED, world.staff.pk),
        (S.MINUTED, S.REPORTED, world.admin.pk),
    ]
    assert MeetingTransition.objects.filter(meeting=meeting, to_status=S.HELD).get().changed_at == held_at


@pytest.mark.django_db
def test_blocked_change_leaves_no_trace(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 13, 14, 30))
    with pytest.raises(MeetingChangeBlocked):
        meeting_change_status(meeting=meeting, to_status=S.HELD, by=world.staff, now=NOW)
    meeting.refresh_from_db()
    assert meeting.status == S.PLANNED
    assert MeetingTransition.objects.filter(meeting=meeting).count() == 1  # only "created"


@pytest.mark.django_db
def test_taking_the_notice_down_and_cancelling_and_reopening(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 13, 14, 30))
    advance(meeting, world.staff, S.ANNOUNCED, now=NOW)
    meeting_change_status(meeting=meeting, to_status=S.PLANNED, by=world.staff, note="时间要改", now=NOW)
    meeting.refresh_from_db()
    assert meeting.announced_at is None

    meeting_change_status(meeting=meeting, to_status=S.CANCELLED, by=world.staff, note="暴雨预警", now=NOW)
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "暴雨预警"
    meeting_change_status(meeting=meeting, to_status=S.PLANNED, by=world.staff, note="天气好转", now=NOW)
    meeting.refresh_from_db()
    assert meeting.status == S.PLANNED and meeting.cancel_reason == ""


@pytest.mark.django_db
def test_withdrawing_the_report_back_clears_its_date(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 9, 14, 30))
    advance(meeting, world.staff, S.HELD, S.MINUTED, S.REPORTED, now=NOW)
    assert meeting.reported_at == NOW
    meeting_change_status(meeting=meeting, to_status=S.MINUTED, by=world.staff, note="数字有误", now=NOW)
    meeting.refresh_from_db()
    assert meeting.status == S.MINUTED and meeting.reported_at is None


@pytest.mark.django_db
def test_report_back_is_refused_when_public_text_names_a_resident(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 9, 14, 30))
    advance(meeting, world.staff, S.HELD, S.MINUTED, now=NOW)
    owner = world.household.owner_names
    Meeting.objects.filter(pk=meeting.pk).update(report_back=f"{owner}家的管道已修好，电话13812341234")
    with pytest.raises(MeetingChangeBlocked) as caught:
        meeting_change_status(meeting=meeting, to_status=S.REPORTED, by=world.staff, now=NOW)
    text = " ".join(caught.value.messages)
    assert "138****1234" in text and "13812341234" not in text
    assert owner not in text  # the message itself masks the name


@pytest.mark.django_db
def test_editing_time_of_an_announced_meeting_is_noted(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 13, 14, 30))
    advance(meeting, world.staff, S.ANNOUNCED, now=NOW)
    data = {f: getattr(meeting, f) for f in ("compound", "building", "project", "kind", "topic", "place", "host")}
    data.update(note_taker=None, starts_at=at(2025, 6, 14, 9, 0), partners="", agenda="")
    meeting_update(meeting=meeting, data=data, invited_departments=[], by=world.admin, now=NOW)
    note = MeetingTransition.objects.filter(meeting=meeting).order_by("pk").last()
    assert note.from_status == note.to_status == S.ANNOUNCED
    assert "2025-06-13 14:30" in note.note and "2025-06-14 09:00" in note.note
    assert note.changed_by == world.admin


@pytest.mark.django_db
def test_a_reported_meeting_cannot_be_edited(world):
    meeting = make_meeting(world.community, world.staff, starts_at=at(2025, 6, 9, 14, 30))
    advance(meeting, world.staff, S.HELD, S.MINUTED, S.REPORTED, now=NOW)
    data = {f: getattr(meeting, f) for f in ("compound", "building", "project", "kind", "topic", "place", "host")}
    data.update(note_taker=None, starts_at=meeting.starts_at, partners="", agenda="")
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, data=data, invited_departments=[], by=world.staff, now=NOW)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["compound", "building", "project"])
def test_a_meeting_stays_inside_its_community(world, field):
    from tests import factories as f

    elsewhere = {
        "compound": world.other_compound,
        "building": world.other_building,  # in the right community but no compound chosen
        "project": f.project(community=world.other_community),
    }[field]
    with pytest.raises(ValidationError) as caught:
        make_meeting(world.community, world.staff, **{field: elsewhere})
    assert field in caught.value.message_dict
