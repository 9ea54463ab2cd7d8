"""Who will come and who came: RSVPs one per household, the sign-in list, counts by kind,
the quick entry of paper sheets, and reading rooms the way staff type them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import Attendance, AttendeeKind, MeetingRSVP, MeetingStatus
from consult.room_lookup import RoomIndex, RoomRef, split_headcount
from consult.selectors.meetings import attendance_counts
from consult.services.meeting_attendance import (
    QuickEntry,
    attendance_add,
    attendance_quick_entry,
    attendance_sign_in_household,
    rsvp_say_coming,
    rsvp_withdraw,
)
from projects.models import Channel
from tests import factories as f

from .conftest import advance, make_meeting

pytestmark = pytest.mark.django_db


# --- reading rooms ----------------------------------------------------------------------

REFS = [
    RoomRef(1, "南路一", "5号楼", "1单元", "101"),
    RoomRef(2, "南路一", "5号楼", "1单元", "1101"),
    RoomRef(3, "南路一", "1号楼", "2单元", "101"),
    RoomRef(4, "南路一", "1号楼", "2单元", "301"),
    RoomRef(5, "佳和园", "1号楼", "底商", "S07"),
]


@pytest.mark.parametrize(
    "line,pk,headcount",
    [
        ("5-1-101", 1, 1),
        ("5号楼1单元101", 1, 1),
        ("1101", 2, 1),  # a room that exists as typed wins over reading it as 1-101
        ("1-101", 3, 1),
        ("1-2-301 ×2", 4, 2),
        ("1号楼2单元301 2人", 4, 2),
        ("301x3", 4, 3),
        ("１－２－３０１", 4, 1),  # full-width digits from a Chinese input method
        ("s07", 5, 1),
        ("南路一5号楼1单元101", 1, 1),
    ],
)
def test_rooms_are_read_as_staff_type_them(line, pk, headcount):
    resolved = RoomIndex(REFS).resolve(line)
    assert resolved.error == ""
    assert (resolved.ref.pk, resolved.headcount) == (pk, headcount)


@pytest.mark.parametrize(
    "line,fragment",
    [("101", "有 2 个房间符合"), ("9-9-999", "没有这个房号"), ("301 ×0", "1 到 50 之间"), ("301 ×99", "1 到 50")],
)
def test_unclear_rooms_say_why(line, fragment):
    resolved = RoomIndex(REFS).resolve(line)
    assert resolved.ref is None and fragment in resolved.error


def test_headcount_suffix_needs_something_before_it():
    assert split_headcount("2人") == ("2人", None)
    assert split_headcount("张阿姨 ×2") == ("张阿姨", 2)


# --- RSVPs ------------------------------------------------------------------------------


def test_one_rsvp_per_household_saying_it_again_updates_it(world, upcoming):
    rsvp_say_coming(meeting=upcoming, household=world.household, people=1)
    rsvp_say_coming(meeting=upcoming, household=world.household, people=3)
    rsvp = MeetingRSVP.objects.get(meeting=upcoming, household=world.household)
    assert rsvp.people == 3
    assert MeetingRSVP.objects.filter(meeting=upcoming).count() == 1


def test_the_database_refuses_a_second_rsvp_row(world, upcoming):
    rsvp_say_coming(meeting=upcoming, household=world.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRSVP.objects.create(meeting=upcoming, household=world.household, created_at=timezone.now())


def test_withdrawn_rsvp_is_kept_and_can_come_back(world, upcoming):
    rsvp_say_coming(meeting=upcoming, household=world.household)
    rsvp_withdraw(meeting=upcoming, household=world.household)
    rsvp = MeetingRSVP.objects.get()
    assert rsvp.withdrawn_at is not None
    assert attendance_counts(upcoming)["rsvp_households"] == 0
    rsvp_say_coming(meeting=upcoming, household=world.household, channel=Channel.PHONE, by=world.staff)
    rsvp.refresh_from_db()
    assert rsvp.withdrawn_at is None and rsvp.channel == Channel.PHONE and rsvp.entered_by == world.staff


def test_staff_may_note_rsvps_before_the_notice_is_up_residents_may_not(world):
    meeting = make_meeting(world.community, world.staff, compound=world.compound)
    with pytest.raises(ValidationError, match="还未发布公告"):
        rsvp_say_coming(meeting=meeting, household=world.household)
    rsvp_say_coming(meeting=meeting, household=world.household, channel=Channel.HOME_VISIT, by=world.staff)
    assert MeetingRSVP.objects.get().channel == Channel.HOME_VISIT


def test_proxy_rsvp_records_who_took_it(world, upcoming):
    with pytest.raises(ValidationError):
        rsvp_say_coming(meeting=upcoming, household=world.household, channel=Channel.PHONE, by=None)
    with pytest.raises(ValidationError):
        rsvp_say_coming(meeting=upcoming, household=world.household, channel=Channel.ONLINE, by=world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRSVP.objects.create(
            meeting=upcoming, household=world.household, channel=Channel.PHONE, created_at=timezone.now()
        )


def test_households_of_another_compound_cannot_rsvp(world, upcoming):
    with pytest.raises(ValidationError, match="其他小区"):
        rsvp_say_coming(meeting=upcoming, household=world.foreign_household)


def test_no_rsvp_once_the_meeting_has_started(world, upcoming):
    later = upcoming.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        rsvp_say_coming(meeting=upcoming, household=world.household, now=later)


# --- the sign-in list -------------------------------------------------------------------


def test_counts_by_kind_and_against_rsvps(world, held, department):
    extra = f.households(world.unit, 3, start_floor=5)
    MeetingRSVP.objects.bulk_create(
        [
            MeetingRSVP(meeting=held, household=h, created_at=timezone.now())
            for h in (world.household, extra[0], extra[1])
        ]
    )
    attendance_sign_in_household(meeting=held, household=world.household, headcount=2, by=world.staff)
    attendance_sign_in_household(meeting=held, household=extra[0], by=world.staff)
    attendance_sign_in_household(meeting=held, household=extra[2], by=world.staff)  # came without saying so
    attendance_add(meeting=held, kind=AttendeeKind.RESIDENT, name="租户小李", by=world.staff)
    attendance_add(meeting=held, kind=AttendeeKind.WALK_IN, headcount=5, by=world.staff)
    attendance_add(meeting=held, kind=AttendeeKind.DEPARTMENT, department=department, headcount=2, by=world.staff)
    attendance_add(meeting=held, kind=AttendeeKind.STAFF, name="王主任", by=world.staff)

    counts = attendance_counts(held)
    assert counts["household_lines"] == 3 and counts["household_people"] == 4
    assert counts["resident_people"] == 1
    assert counts["walk_in_lines"] == 1 and counts["walk_in_people"] == 5
    assert counts["department_people"] == 2
    assert counts["staff_people"] == 1
    assert counts["total_people"] == 4 + 1 + 5 + 2 + 1
    assert counts["households_without_rsvp"] == 1
    assert (counts["rsvp_households"], counts["rsvp_came"], counts["rsvp_absent"]) == (3, 2, 1)


def test_counts_are_two_queries_whatever_the_size(world, held, django_assert_num_queries):
    with django_assert_num_queries(2):
        attendance_counts(held)


def test_signing_in_twice_is_refused_with_a_message(world, held):
    attendance_sign_in_household(meeting=held, household=world.household, by=world.staff)
    with pytest.raises(ValidationError, match="已签到"):
        attendance_sign_in_household(meeting=held, household=world.household, by=world.staff)
    assert Attendance.objects.filter(meeting=held).count() == 1


@pytest.mark.parametrize(
    "kw",
    [
        {"kind": AttendeeKind.HOUSEHOLD},  # household line without a household
        {"kind": AttendeeKind.DEPARTMENT},  # department line without a department
        {"kind": AttendeeKind.RESIDENT, "name": ""},  # named resident without a name
        {"kind": AttendeeKind.WALK_IN, "headcount": 0},
        {"kind": "guest"},
    ],
)
def test_database_checks_each_sign_in_line(world, held, kw):
    kw.setdefault("headcount", 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=held, recorded_by=world.staff, recorded_at=timezone.now(), **kw)


def test_sign_in_waits_for_the_meeting_to_be_held(world, upcoming):
    with pytest.raises(ValidationError, match="已召开"):
        attendance_sign_in_household(meeting=upcoming, household=world.household, by=world.staff)


def test_quick_entry_adds_everything_and_skips_what_is_already_there(world, held, department):
    attendance_sign_in_household(meeting=held, household=world.household, by=world.staff)
    entry = QuickEntry(
        households=[(world.household.pk, 1), (world.other_household.pk, 2)],
        residents=[("租户小李", 1)],
        staff=[("王主任", 1)],
        departments=[department],
        walk_ins=4,
    )
    result = attendance_quick_entry(meeting=held, entry=entry, by=world.staff)
    assert result.added == 5 and result.people == 2 + 1 + 1 + 1 + 4
    assert result.skipped == [world.household.room]
    again = attendance_quick_entry(meeting=held, entry=QuickEntry(departments=[department]), by=world.staff)
    assert again.added == 0 and again.skipped == [department.name]
    assert attendance_counts(held)["total_people"] == 1 + 9


def test_quick_entry_refuses_households_of_another_area_and_saves_nothing(world, held):
    entry = QuickEntry(households=[(world.other_household.pk, 1), (world.foreign_household.pk, 1)])
    with pytest.raises(ValidationError):
        attendance_quick_entry(meeting=held, entry=entry, by=world.staff)
    assert not Attendance.objects.filter(meeting=held).exists()


def test_reported_meeting_list_is_closed(world, held):
    from consult.models import ActionItem

    ActionItem.objects.filter(meeting=held).update(status="done", closed_at=timezone.now())
    advance(held, world.staff, MeetingStatus.MINUTED, MeetingStatus.REPORTED)
    with pytest.raises(ValidationError):
        attendance_sign_in_household(meeting=held, household=world.household, by=world.staff)
