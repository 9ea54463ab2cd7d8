"""Writes for who will come (RSVP) and who came (the sign-in list).

One RSVP per household per meeting and one sign-in line per household are database
constraints; the services lock the meeting row first so two staff typing the same sheet,
or a resident tapping twice, end with one row and a clear message rather than an error.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError
from projects.models import Channel, Household
from projects.services.entries import check_entry

from ..meeting_lifecycle import RECORDING_STATUSES, RSVP_STATUSES
from ..models import Attendance, AttendeeKind, Meeting, MeetingRSVP, MeetingStatus
from ..room_lookup import RoomIndex, RoomRef


def meeting_area_households(meeting: Meeting):
    """Households a meeting is for: its compound, or the whole community. Residents of a
    neighbouring compound who come anyway are signed in by name."""
    qs = Household.objects.filter(unit__building__compound__community_id=meeting.community_id)
    if meeting.compound_id:
        qs = qs.filter(unit__building__compound_id=meeting.compound_id)
    return qs


def room_index(meeting: Meeting) -> RoomIndex:
    rows = meeting_area_households(meeting).values_list(
        "pk", "unit__building__compound__name", "unit__building__name", "unit__name", "room"
    )
    return RoomIndex([RoomRef(*row) for row in rows])


def household_in_area(meeting: Meeting, household: Household) -> bool:
    building = household.unit.building
    if building.compound.community_id != meeting.community_id:
        return False
    if meeting.compound_id and building.compound_id != meeting.compound_id:
        return False
    return not (meeting.building_id and building.pk != meeting.building_id)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# --- RSVP -------------------------------------------------------------------------------


def rsvp_say_coming(
    *, meeting: Meeting, household: Household, people: int = 1, channel: str = Channel.ONLINE, by=None, now=None
) -> MeetingRSVP:
    """The household says it will come. Online (``by=None``) only for an announced meeting;
    staff may note it from a call or a visit before the notice is up. Saying it again
    updates the number of people and brings back a withdrawn RSVP."""
    now = now or timezone.now()
    check_entry(channel=channel, entered_by=by)
    if not 1 <= people <= 20:
        raise ServiceError(_("Between 1 and 20 people per household."))
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status not in RSVP_STATUSES or meeting.starts_at <= now:
            raise ServiceError(_("This meeting no longer takes RSVPs."))
        if channel == Channel.ONLINE and meeting.status != MeetingStatus.ANNOUNCED:
            raise ServiceError(_("This meeting has not been announced yet."))
        if not household_in_area(meeting, household):
            raise ServiceError(_("This meeting is for another compound or building."))
        rsvp = MeetingRSVP.objects.filter(meeting=meeting, household=household).first()
        if rsvp is None:
            try:
                with transaction.atomic():
                    return MeetingRSVP.objects.create(
                        meeting=meeting,
                        household=household,
                        people=people,
                        channel=channel,
                        entered_by=by,
                        created_at=now,
                    )
            except IntegrityError:  # the same household, a second tap, another connection
                rsvp = MeetingRSVP.objects.get(meeting=meeting, household=household)
        rsvp.people = people
        rsvp.channel = channel
        rsvp.entered_by = by
        rsvp.withdrawn_at = None
        rsvp.save(update_fields=["people", "channel", "entered_by", "withdrawn_at"])
        return rsvp


def rsvp_withdraw(*, meeting: Meeting, household: Household, now=None) -> MeetingRSVP | None:
    """Kept as a row with ``withdrawn_at`` so staff can see someone changed their mind."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(meeting)
        rsvp = MeetingRSVP.objects.filter(meeting=meeting, household=household, withdrawn_at__isnull=True).first()
        if rsvp is not None:
            rsvp.withdrawn_at = now
            rsvp.save(update_fields=["withdrawn_at"])
        return rsvp


# --- sign-in list -----------------------------------------------------------------------


def _check_recording(meeting: Meeting) -> None:
    if meeting.status not in RECORDING_STATUSES:
        raise ServiceError(_("Mark the meeting as held before signing people in."))


def attendance_sign_in_household(
    *, meeting: Meeting, household: Household, headcount: int = 1, by, now=None, note: str = ""
) -> Attendance:
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _lock(meeting)
        _check_recording(meeting)
        if household.unit.building.compound.community_id != meeting.community_id:
            raise ServiceError(_("This household is in another community."))
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    meeting=meeting,
                    kind=AttendeeKind.HOUSEHOLD,
                    household=household,
                    headcount=headcount,
                    note=note,
                    recorded_by=by,
                    recorded_at=now,
                )
        except IntegrityError:
            raise ServiceError(
                _("%(household)s is already signed in.") % {"household": household}, code="duplicate"
            ) from None


def attendance_add(
    *, meeting: Meeting, kind: str, by, name: str = "", department=None, headcount: int = 1, now=None
) -> Attendance:
    """A named resident, a group of walk-ins, a department's representatives, or staff."""
    now = now or timezone.now()
    if kind == AttendeeKind.HOUSEHOLD:
        raise ValueError("use attendance_sign_in_household")
    with transaction.atomic():
        meeting = _lock(meeting)
        _check_recording(meeting)
        if department is not None and department.sub_district_id != meeting.community.sub_district_id:
            raise ServiceError(_("This department does not serve this community."))
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    meeting=meeting,
                    kind=kind,
                    name=name.strip(),
                    department=department if kind == AttendeeKind.DEPARTMENT else None,
                    headcount=headcount,
                    recorded_by=by,
                    recorded_at=now,
                )
        except IntegrityError:
            raise ServiceError(
                _("%(department)s is already on the list.") % {"department": department}, code="duplicate"
            ) from None


def attendance_remove(*, attendance: Attendance) -> None:
    """Take a line off the list (typed the wrong room). Only while the minutes are open."""
    with transaction.atomic():
        meeting = _lock(attendance.meeting)
        _check_recording(meeting)
        attendance.delete()


@dataclass
class QuickEntry:
    households: list[tuple[int, int]] = field(default_factory=list)  # (household id, headcount)
    residents: list[tuple[str, int]] = field(default_factory=list)
    staff: list[tuple[str, int]] = field(default_factory=list)
    departments: list = field(default_factory=list)
    walk_ins: int = 0


@dataclass
class QuickEntryResult:
    added: int = 0
    people: int = 0
    skipped: list[str] = field(default_factory=list)


def attendance_quick_entry(*, meeting: Meeting, entry: QuickEntry, by, now=None) -> QuickEntryResult:
    """Add a whole stack of sign-in sheets at once, in one transaction. Lines already on the
    list are skipped and reported, so entering the same sheet twice does no harm."""
    now = now or timezone.now()
    result = QuickEntryResult()
    with transaction.atomic():
        meeting = _lock(meeting)
        _check_recording(meeting)
        existing = Attendance.objects.filter(meeting=meeting)
        signed_in = set(existing.exclude(household=None).values_list("household_id", flat=True))
        departments_in = set(existing.exclude(department=None).values_list("department_id", flat=True))
        labels = dict(
            meeting_area_households(meeting)
            .filter(pk__in=[pk for pk, _n in entry.households])
            .values_list("pk", "room")
        )
        rows = []

        def add(**kw):
            rows.append(Attendance(meeting=meeting, recorded_by=by, recorded_at=now, **kw))
            result.people += kw.get("headcount", 1)

        for household_id, headcount in entry.households:
            if household_id not in labels:
                raise ServiceError(_("A room is outside this meeting's area."))
            if household_id in signed_in:
                result.skipped.append(labels[household_id])
                continue
            signed_in.add(household_id)
            add(kind=AttendeeKind.HOUSEHOLD, household_id=household_id, headcount=headcount)
        for name, headcount in entry.residents:
            add(kind=AttendeeKind.RESIDENT, name=name, headcount=headcount)
        for name, headcount in entry.staff:
            add(kind=AttendeeKind.STAFF, name=name, headcount=headcount)
        for department in entry.departments:
            if department.pk in departments_in:
                result.skipped.append(department.name)
                continue
            departments_in.add(department.pk)
            add(kind=AttendeeKind.DEPARTMENT, department=department, headcount=1)
        if entry.walk_ins:
            add(kind=AttendeeKind.WALK_IN, headcount=entry.walk_ins)
        Attendance.objects.bulk_create(rows)
        result.added = len(rows)
    return result
