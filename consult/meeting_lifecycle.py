"""The rules of a meeting's life and of its action items, as pure functions (no ORM).

planned → announced → held → minutes recorded → reported back, plus cancelled. A meeting may
be held without a noticeboard announcement (an on-site consultation called the same day),
and every step can be taken back one step with a note, so a wrong click is never final.
The service (``consult.services.meetings``) gathers the facts and applies the change;
this module only decides, so the whole table is testable without a database.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.lifecycle import Refusals, TransitionTable

from .models.action_items import OPEN_ITEM_STATUSES, ActionItemStatus
from .models.meetings import MeetingStatus

S = MeetingStatus

#: Usual practice: announce on the noticeboard 2–3 days ahead.
ANNOUNCE_AHEAD = timedelta(days=2)

FORWARD: dict[str, tuple[str, ...]] = {
    S.PLANNED: (S.ANNOUNCED, S.HELD, S.CANCELLED),
    S.ANNOUNCED: (S.HELD, S.CANCELLED),
    S.HELD: (S.MINUTED,),
    S.MINUTED: (S.REPORTED,),
    S.REPORTED: (),
    S.CANCELLED: (),
}
#: Steps back, each needing a note that says why.
BACKWARD: dict[str, tuple[str, ...]] = {
    S.PLANNED: (),
    S.ANNOUNCED: (S.PLANNED,),
    S.HELD: (S.ANNOUNCED, S.PLANNED),
    S.MINUTED: (S.HELD,),
    S.REPORTED: (S.MINUTED,),
    S.CANCELLED: (S.PLANNED,),
}

#: While a meeting is in these statuses, its sign-in list, votes and minutes can be filled in.
RECORDING_STATUSES = frozenset({S.HELD, S.MINUTED})
#: Residents may say they will come while the meeting is ahead and not cancelled.
RSVP_STATUSES = frozenset({S.PLANNED, S.ANNOUNCED})
#: Details (time, place, invitations) can be edited until the report back is out.
EDITABLE_STATUSES = frozenset({S.PLANNED, S.ANNOUNCED, S.HELD, S.MINUTED})


@dataclass(frozen=True)
class MeetingFacts:
    status: str
    starts_at: datetime
    was_announced: bool
    has_minutes: bool
    has_public_summary: bool
    has_report_back: bool
    open_items: int


TABLE = TransitionTable(
    forward=FORWARD,
    backward=BACKWARD,
    states=S.values,
    refusals=Refusals(
        unknown=gettext_lazy("Unknown status."),
        same=gettext_lazy("The meeting already has this status."),
        not_allowed=lambda from_status, to_status: (
            _("A meeting cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        ),
        backward_note=gettext_lazy("Say why the meeting goes back a step."),
        note_required={S.CANCELLED: gettext_lazy("Say why the meeting is cancelled; residents will see the reason.")},
    ),
)


def transition_problems(facts: MeetingFacts, to_status: str, *, note: str, now: datetime) -> list[str]:
    """Reasons the change may not happen; an empty list means it may."""
    return TABLE.refusal(facts.status, to_status) or (
        TABLE.note_problems(facts.status, to_status, note) + fact_problems(facts, to_status, now=now)
    )


def fact_problems(facts: MeetingFacts, to_status: str, *, now: datetime) -> list[str]:
    """What the meeting itself still lacks for a move the table allows (the meeting
    life cycle's guard: ``consult.services.meetings`` registers it)."""
    problems = []
    if TABLE.is_backward(facts.status, to_status):
        if to_status == S.ANNOUNCED and not facts.was_announced:
            problems.append(_("This meeting was never announced."))
        return problems
    local_today = timezone.localdate(now)
    if to_status == S.ANNOUNCED and facts.starts_at <= now:
        problems.append(_("The meeting time has passed: change the time before announcing it."))
    if to_status == S.HELD and timezone.localdate(facts.starts_at) > local_today:
        problems.append(_("The meeting day has not come yet."))
    if to_status == S.MINUTED:
        if not facts.has_minutes:
            problems.append(_("Write down at least the problems raised, the solutions or the decisions."))
        if not facts.has_public_summary:
            problems.append(_("Write the public summary residents will read."))
    if to_status == S.REPORTED:
        if facts.open_items:
            problems.append(
                _("%(n)d action item(s) are still open: close them (done or dropped) before reporting back.")
                % {"n": facts.open_items}
            )
        if not facts.has_report_back:
            problems.append(_("Write the report back residents will read."))
    return problems


def announcement_warnings(*, starts_at: datetime, now: datetime) -> list[str]:
    """Soft warnings shown to staff: announcing is still allowed."""
    if now < starts_at < now + ANNOUNCE_AHEAD:
        return [
            _(
                "The meeting is less than 2 days away. Residents may not see the notice in time: "
                "ask the building heads to pass it on as well."
            )
        ]
    return []


def is_overdue(*, status: str, deadline: date, today: date) -> bool:
    """Past its deadline and still open. An item due today is not overdue yet."""
    return status in OPEN_ITEM_STATUSES and deadline < today


def item_change_problems(*, from_status: str, to_status: str, note: str, meeting_reported: bool) -> list[str]:
    if to_status not in ActionItemStatus.values:
        return [_("Unknown status.")]
    if to_status == from_status:
        return [_("The item already has this status.")]
    problems = []
    reopening = from_status not in OPEN_ITEM_STATUSES and to_status in OPEN_ITEM_STATUSES
    if reopening and meeting_reported:
        problems.append(_("The meeting has been reported back: take the report back first, then reopen the item."))
    if (reopening or to_status == ActionItemStatus.DROPPED) and not note.strip():
        problems.append(_("Say why in the note."))
    return problems
