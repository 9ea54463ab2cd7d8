"""Writes for meetings: create, edit, move through the life cycle, record the minutes.

Every status change goes through ``meeting_change_status``, i.e. the ``MEETINGS`` life cycle
(``projects.lifecycle``): it locks the meeting row, checks ``meeting_lifecycle``'s table and
the meeting's guard, and writes a ``MeetingTransition`` (who, when, why). Time is passed in
(``now=``) so tests can set the clock.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import audit
from projects.errors import ServiceError
from projects.lifecycle import ANY, Change, Lifecycle
from projects.models import AuditAction, Household

from ..meeting_lifecycle import EDITABLE_STATUSES, RECORDING_STATUSES, TABLE, MeetingFacts, fact_problems
from ..models import OPEN_ITEM_STATUSES, ActionItem, Attendance, AttendeeKind, Meeting, MeetingStatus, MeetingTransition
from ..public_text import personal_data_found, split_names

MEETING_FIELDS = ("compound", "building", "project", "kind", "topic", "starts_at", "place", "host", "note_taker")
MEETING_TEXT_FIELDS = ("partners", "agenda")
MINUTES_FIELDS = ("problems", "solutions", "decisions", "discussion_notes", "public_summary")
#: Fields residents read on the noticeboard; checked for personal data before saving.
PUBLIC_FIELDS = ("public_summary", "report_back")


class MeetingChangeBlocked(ServiceError):
    """The requested status change is not allowed; ``messages`` says why."""


def _check_scope(meeting: Meeting) -> None:
    """Compound, building and project all belong to the meeting's community."""
    if meeting.compound_id and meeting.compound.community_id != meeting.community_id:
        raise ServiceError({"compound": [_("This compound is in another community.")]})
    if meeting.building_id and meeting.building.compound_id != meeting.compound_id:
        raise ServiceError({"building": [_("This building is not in the chosen compound.")]})
    if meeting.project_id and meeting.project.community_id != meeting.community_id:
        raise ServiceError({"project": [_("This project belongs to another community.")]})


def meeting_create(*, community, data: dict, invited_departments, by, now=None) -> Meeting:
    now = now or timezone.now()
    with transaction.atomic():
        meeting = Meeting(community=community, status=MeetingStatus.PLANNED)
        for name in MEETING_FIELDS + MEETING_TEXT_FIELDS:
            setattr(meeting, name, data.get(name) if name in MEETING_FIELDS else data.get(name, ""))
        _check_scope(meeting)
        meeting.full_clean(exclude=["invited_departments"])
        meeting.save()
        meeting.invited_departments.set(invited_departments)
        MeetingTransition.objects.create(
            meeting=meeting, from_status="", to_status=MeetingStatus.PLANNED, changed_by=by, changed_at=now
        )
    return meeting


def _meeting_state(meeting: Meeting) -> dict:
    return audit.snapshot(
        meeting,
        fields=MEETING_FIELDS + MEETING_TEXT_FIELDS,
        invited_departments=sorted(meeting.invited_departments.values_list("pk", flat=True)),
    )


def meeting_update(*, meeting: Meeting, data: dict, invited_departments, by, now=None, request=None) -> Meeting:
    """Edit the details. A new time or place of an announced meeting is noted in the history,
    because residents may already have read the old one on the noticeboard."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in EDITABLE_STATUSES:
            raise ServiceError(_("A meeting that is reported back or cancelled cannot be edited: reopen it first."))
        old_time, old_place = meeting.starts_at, meeting.place
        before = _meeting_state(meeting)
        for name in MEETING_FIELDS + MEETING_TEXT_FIELDS:
            setattr(meeting, name, data.get(name) if name in MEETING_FIELDS else data.get(name, ""))
        _check_scope(meeting)
        meeting.full_clean(exclude=["invited_departments"])
        meeting.save()
        meeting.invited_departments.set(invited_departments)
        old, new = audit.changed(before, _meeting_state(meeting))
        if new:
            audit.record(
                AuditAction.MEETING_CHANGED,
                actor=by,
                community=meeting.community,
                obj=meeting,
                before=old,
                after=new,
                request=request,
                now=now,
            )
        changes = []
        if meeting.starts_at != old_time:
            changes.append(
                _("Time changed: %(old)s → %(new)s")
                % {
                    "old": timezone.localtime(old_time).strftime("%Y-%m-%d %H:%M"),
                    "new": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        if meeting.place != old_place:
            changes.append(_("Place changed: %(old)s → %(new)s") % {"old": old_place, "new": meeting.place})
        if changes:
            MeetingTransition.objects.create(
                meeting=meeting,
                from_status=meeting.status,
                to_status=meeting.status,
                changed_by=by,
                changed_at=now,
                note="；".join(changes),
            )
    return meeting


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    return MeetingFacts(
        status=meeting.status,
        starts_at=meeting.starts_at,
        was_announced=meeting.announced_at is not None,
        has_minutes=any(getattr(meeting, f).strip() for f in ("problems", "solutions", "decisions")),
        has_public_summary=bool(meeting.public_summary.strip()),
        has_report_back=bool(meeting.report_back.strip()),
        open_items=ActionItem.objects.filter(meeting=meeting, status__in=OPEN_ITEM_STATUSES).count(),
    )


def resident_names(meeting: Meeting) -> set[str]:
    """Names that must not appear in public text: the owners registered in the meeting's
    community and the residents signed in by name. Two queries, only on save."""
    owners = Household.objects.filter(unit__building__compound__community_id=meeting.community_id).values_list(
        "owner_names", flat=True
    )
    signed_in = Attendance.objects.filter(meeting=meeting, kind=AttendeeKind.RESIDENT).values_list("name", flat=True)
    return split_names(owners) | split_names(signed_in)


def public_text_problems(meeting: Meeting, texts: dict[str, str], names: set[str] | None = None) -> dict:
    """Field → messages, for every public text that carries personal data."""
    if names is None:
        names = resident_names(meeting)
    found = {}
    for field, text in texts.items():
        problems = personal_data_found(text, names)
        if problems:
            found[field] = problems
    return found


def _meeting_guard(change: Change) -> list[str]:
    """What the meeting still lacks; before reporting back, also personal data in the texts
    residents will read (checked only once everything else is in place)."""
    meeting = change.obj
    problems = fact_problems(meeting_facts(meeting), change.to_state, now=change.now)
    if not problems and change.to_state == MeetingStatus.REPORTED:
        texts = {f: getattr(meeting, f) for f in PUBLIC_FIELDS}
        texts.update({f"vote{v.pk}": v.question for v in meeting.votes.all()})
        texts.update({f"item{i.pk}": i.title for i in meeting.action_items.all()})
        found = public_text_problems(meeting, texts)
        problems = [message for messages in found.values() for message in messages]
    return problems


def _write_status(change: Change) -> list[str]:
    """The status, and the dates and reason that go with it (undone by a step back)."""
    meeting, from_status, to_status, now = change.obj, change.from_state, change.to_state, change.now
    meeting.status = to_status
    if to_status == MeetingStatus.ANNOUNCED:
        meeting.announced_at = now
    elif from_status == MeetingStatus.ANNOUNCED and to_status == MeetingStatus.PLANNED:
        meeting.announced_at = None  # the notice is taken down
    if to_status == MeetingStatus.REPORTED:
        meeting.reported_at = now
    elif from_status == MeetingStatus.REPORTED:
        meeting.reported_at = None
    if to_status == MeetingStatus.CANCELLED:
        meeting.cancel_reason = change.note[:300]
    elif from_status == MeetingStatus.CANCELLED:
        meeting.cancel_reason = ""
    return ["status", "announced_at", "reported_at", "cancel_reason", "updated_at"]


def _record(change: Change) -> MeetingTransition:
    return MeetingTransition.objects.create(
        meeting=change.obj,
        from_status=change.from_state,
        to_status=change.to_state,
        changed_by=change.by,
        changed_at=change.now,
        note=change.note,
    )


MEETINGS = Lifecycle(
    name="meeting", model=Meeting, table=TABLE, write_state=_write_status, record=_record, error=MeetingChangeBlocked
)
MEETINGS.register_guard(_meeting_guard, direction=ANY)


def meeting_change_status(*, meeting: Meeting, to_status: str, by, note: str = "", now=None) -> MeetingTransition:
    return MEETINGS.transition(meeting, to_status, by=by, note=note.strip(), now=now or timezone.now())


def meeting_record_minutes(*, meeting: Meeting, data: dict, by) -> Meeting:
    """Save the minutes. Public parts are checked for names and numbers first."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in RECORDING_STATUSES:
            raise ServiceError(_("Minutes can be written once the meeting is held, until it is reported back."))
        found = public_text_problems(meeting, {"public_summary": data.get("public_summary", "")})
        if found:
            raise ServiceError(found)
        for name in MINUTES_FIELDS:
            setattr(meeting, name, data.get(name, "").strip())
        meeting.save(update_fields=[*MINUTES_FIELDS, "updated_at"])
    return meeting


def meeting_save_report_back(*, meeting: Meeting, text: str, by, publish: bool, now=None) -> Meeting:
    """Save the report back text; with ``publish`` also move the meeting to "reported back"."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.MINUTED:
            raise ServiceError(_("The report back is written after the minutes are recorded."))
        found = public_text_problems(locked, {"report_back": text})
        if found:
            raise ServiceError(found)
        locked.report_back = text.strip()
        locked.save(update_fields=["report_back", "updated_at"])
        if publish:
            meeting_change_status(meeting=locked, to_status=MeetingStatus.REPORTED, by=by, now=now)
            locked.refresh_from_db()
    return locked
