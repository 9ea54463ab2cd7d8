"""Writes to a project's scope: household changes, their undo, the second staff member's
confirmation, and the record of place changes made in the project form.

Every write appends to the scope event log (``projects.models.scope``); nothing is edited or
deleted. Each runs in one transaction under the project's row lock, so two staff members
changing the same project's scope are serialised and "the latest event" is well defined.

Who must confirm: taking out a household of a project with a sign-off campaign that has not
agreed (its record is anything but "agreed") could be used to pass the gate by shrinking the
denominator. Such a removal is created "waiting for confirmation" and counts only once a
*different* office member of the community (staff or the community admin) confirms it. The
proposer may withdraw it (reject), never confirm it. Without a campaign there is no gate to
pass, so removals take effect at once.

Scope locks: while a sign-off campaign or a ballot of the project is open, the places in the
project form cannot change (``scope_locks``). A form edit of a building moves dozens of
households at once with no per-household reason and no confirmation; the scope page moves
them one by one, each recorded. Other features add their locks with ``register_scope_lock``
(the ballot feature registers "a ballot of this project is open" from ``consult``).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import (
    Household,
    Project,
    ScopeAction,
    ScopeEvent,
    ScopeEventReview,
    ScopeReviewDecision,
    SignoffCampaign,
    SignoffRecord,
    SignoffStatus,
)
from ..selectors.scope import IN_EFFECT, PENDING, affected_households, household_overrides

ScopeLock = Callable[[Project], str | None]
SCOPE_LOCKS: list[ScopeLock] = []
PLACE_FIELDS = ("compounds", "buildings", "units")
_PLACE_TARGET = {"compounds": "compound_id", "buildings": "building_id", "units": "unit_id"}


def register_scope_lock(lock: ScopeLock) -> None:
    """``lock(project)`` returns why the project's places may not change now, or ``None``."""
    if lock not in SCOPE_LOCKS:
        SCOPE_LOCKS.append(lock)


def scope_locks(project: Project) -> list[str]:
    return [str(reason) for lock in SCOPE_LOCKS if (reason := lock(project))]


def open_campaign_lock(project: Project) -> str | None:
    if SignoffCampaign.objects.filter(project=project, closed_at__isnull=True).exists():
        return _("The sign-off campaign of this project is open.")
    return None


register_scope_lock(open_campaign_lock)


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for the change."), field="reason")
    return reason


def _check_office(project: Project, by) -> None:
    if not by.has_perm("projects.adjust_scope", project):
        raise ServiceError(_("Only the community's staff may change a project's scope."))


def _needs_second_person(project: Project, household: Household) -> bool:
    """Whether taking ``household`` out of ``project`` must wait for a second staff member."""
    campaign = SignoffCampaign.objects.filter(project=project).first()
    if campaign is None:
        return False
    agreed = SignoffRecord.objects.filter(campaign=campaign, household=household, status=SignoffStatus.AGREED)
    return not agreed.exists()


def _refuse_if_pending(project: Project, household: Household) -> None:
    if ScopeEvent.objects.filter(PENDING, project=project, household=household).exists():
        raise ServiceError(
            _("A change of this household is waiting for confirmation: confirm or reject it first."), field="room"
        )


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def scope_adjust(*, project: Project, household: Household, included: bool, reason: str, by, now=None) -> ScopeEvent:
    """Add one household to the affected set, or take one out, with the reason.

    Refuses changes that would do nothing (adding a household already affected, removing one
    that is not), so the log only holds real changes. A removal that needs a second staff
    member is recorded at once but counts only when confirmed (see the module docstring).
    """
    now = now or timezone.now()
    reason = _clean_reason(reason)
    with transaction.atomic():
        project = _lock(project)
        _check_office(project, by)
        if household.unit.building.compound.community_id != project.community_id:
            raise ServiceError(_("This household does not belong to the project's community."), field="room")
        _refuse_if_pending(project, household)
        affected = affected_households(project).filter(pk=household.pk).exists()
        if included and affected:
            raise ServiceError(_("This household is already affected by the project."), field="room")
        if not included and not affected:
            raise ServiceError(_("This household is not affected by the project."), field="room")
        return ScopeEvent.objects.create(
            project=project,
            household=household,
            action=ScopeAction.ADD if included else ScopeAction.REMOVE,
            reason=reason,
            made_by=by,
            made_at=now,
            needs_confirmation=not included and _needs_second_person(project, household),
        )


def scope_undo(*, event: ScopeEvent, reason: str, by, now=None) -> ScopeEvent:
    """Undo a household change that is in force: a new event, the opposite change, naming it.

    Only the household's latest change in force can be undone (undoing an older one would
    change nothing visible), and an undo is never undone itself: make a new change instead.
    Undoing an addition takes the household out, so it needs a second staff member in the
    same cases as any removal.
    """
    now = now or timezone.now()
    reason = _clean_reason(reason)
    with transaction.atomic():
        project = _lock(event.project)
        _check_office(project, by)
        event = ScopeEvent.objects.get(pk=event.pk)
        if event.household_id is None or event.reverses_id is not None:
            raise ServiceError(_("Only a change of a single household can be undone."))
        if ScopeEvent.objects.filter(PENDING, pk=event.pk).exists():
            raise ServiceError(
                _("This change is waiting for confirmation and has no effect yet; reject it instead of undoing it.")
            )
        if not ScopeEvent.objects.filter(IN_EFFECT, pk=event.pk).exists():
            raise ServiceError(_("This change was rejected and never took effect."))
        if not household_overrides(pk=event.pk).exists():
            raise ServiceError(
                _("This change is no longer in force: it was undone, or a later change of the household replaced it.")
            )
        _refuse_if_pending(project, event.household)
        removing = event.action == ScopeAction.ADD
        return ScopeEvent.objects.create(
            project=project,
            household=event.household,
            action=ScopeAction.REMOVE if removing else ScopeAction.ADD,
            reverses=event,
            reason=reason,
            made_by=by,
            made_at=now,
            needs_confirmation=removing and _needs_second_person(project, event.household),
        )


def _review(event: ScopeEvent, decision: str, *, by, note: str, now) -> ScopeEventReview:
    with transaction.atomic():
        project = _lock(event.project)
        _check_office(project, by)
        event = ScopeEvent.objects.select_related("made_by").get(pk=event.pk)
        if not ScopeEvent.objects.filter(PENDING, pk=event.pk).exists():
            raise ServiceError(_("This change is not waiting for confirmation."))
        if decision == ScopeReviewDecision.CONFIRMED and event.made_by_id == by.pk:
            raise ServiceError(
                _("You proposed this change: another staff member or the community admin must confirm it.")
            )
        return ScopeEventReview.objects.create(
            event=event, decision=decision, proposed_by=event.made_by, decided_by=by, decided_at=now, note=note
        )


def scope_confirm(*, event: ScopeEvent, by, note: str = "", now=None) -> ScopeEventReview:
    """A second office member confirms a pending removal: from now on it counts."""
    return _review(event, ScopeReviewDecision.CONFIRMED, by=by, note=(note or "").strip(), now=now or timezone.now())


def scope_reject(*, event: ScopeEvent, by, note: str = "", now=None) -> ScopeEventReview:
    """Reject a pending removal (the proposer may withdraw their own): it never counts."""
    return _review(event, ScopeReviewDecision.REJECTED, by=by, note=(note or "").strip(), now=now or timezone.now())


def place_ids(project: Project) -> dict[str, set[int]]:
    """The project's places, per field, for ``record_place_changes`` to compare against."""
    if project.pk is None:
        return {name: set() for name in PLACE_FIELDS}
    return {name: set(getattr(project, name).values_list("pk", flat=True)) for name in PLACE_FIELDS}


def record_place_changes(*, project: Project, before: dict[str, set[int]], reason: str, by, now) -> list[ScopeEvent]:
    """Record the places the project form added or took out, one event each, in the caller's
    transaction. Refused while the scope is locked (next to the first changed field, pointing
    to the scope page), and without a reason (next to the reason field)."""
    after = place_ids(project)
    changed = [name for name in PLACE_FIELDS if after[name] != before[name]]
    if not changed:
        return []
    locks = scope_locks(project)
    if locks:
        raise ServiceError(
            " ".join(
                [
                    *locks,
                    _(
                        "While it is open, the compounds, buildings and units cannot change here: add or take out "
                        "households one by one on the page “Scope and adjustments”, each with a reason."
                    ),
                ]
            ),
            field=changed[0],
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the scope changes."), field="scope_reason")
    events = []
    for name in changed:
        target = _PLACE_TARGET[name]
        for action, ids in (
            (ScopeAction.ADD, after[name] - before[name]),
            (ScopeAction.REMOVE, before[name] - after[name]),
        ):
            events += [
                ScopeEvent(project=project, action=action, reason=reason, made_by=by, made_at=now, **{target: pk})
                for pk in sorted(ids)
            ]
    return ScopeEvent.objects.bulk_create(events)
