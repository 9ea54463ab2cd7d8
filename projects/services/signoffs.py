"""Writes of the sign-off tracker.

Every write appends to a log (``SignoffEvent``, ``SignoffContact``, ``SignoffAssignment``,
``SignoffCampaignChange``) and updates the household's ``SignoffRecord`` in the same
transaction, holding that record's row lock, so two staff ticking the same household at the
same moment produce a clean chain of events (each one's ``previous_status`` is the other's
status) and a record that matches the last event.
"""

import copy
from datetime import date, datetime

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from .. import thresholds as th
from ..errors import ServiceError
from ..lifecycle import Change, Lifecycle, Refusals, TransitionTable
from ..models import (
    Channel,
    ConcernCategory,
    Household,
    Project,
    Role,
    SignerRelation,
    SignoffAssignment,
    SignoffCampaign,
    SignoffCampaignChange,
    SignoffContact,
    SignoffEvent,
    SignoffRecord,
    SignoffStatus,
)
from ..selectors.registry import missing_area_refusal
from ..selectors.scope import affected_households
from ..selectors.signoffs import campaign_thresholds, follow_up_roles
from .entries import check_entry
from .model_update import model_update

S = SignoffStatus

CAMPAIGN_FIELDS = [
    "title",
    "consent_text",
    "decision_kind",
    "rule",
    "custom_heads_numerator",
    "custom_heads_denominator",
    "custom_area_numerator",
    "custom_area_denominator",
    "custom_comparison",
    "paper_required",
    "stale_after_days",
    "deadline",
    "show_on_noticeboard",
]


class DetailsNeeded(ServiceError):
    """A one-click tick that needs more than a click: an agreement where paper is required
    (its form number) or concerns (the resident's words). The grid then opens the form."""


# --- campaigns ------------------------------------------------------------------------------


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _area_refusal(campaign: SignoffCampaign) -> str | None:
    """A rule that counts area cannot be judged on flats of unknown area: name them. An
    incomplete custom rule is left to the model's validation, which words it for the form."""
    try:
        thresholds = campaign_thresholds(campaign)
    except ValueError:
        return None
    if not th.uses_area(thresholds):
        return None
    return missing_area_refusal(affected_households(campaign.project))


def _refuse_without_areas(campaign: SignoffCampaign) -> None:
    refusal = _area_refusal(campaign)
    if refusal:
        raise ServiceError(refusal)


def signoff_campaign_open(*, project: Project, data: dict, by, now: datetime | None = None) -> SignoffCampaign:
    """Start the campaign of a project (one per project). A rule that counts area refuses
    to start while a household in scope has no recorded area."""
    now = now or timezone.now()
    campaign = SignoffCampaign(project=project, opened_at=now, created_by=by, **data)
    campaign.full_clean(exclude=["project"])
    _refuse_without_areas(campaign)
    try:
        with transaction.atomic():
            campaign.save()
            SignoffCampaignChange.objects.create(
                campaign=campaign,
                action=SignoffCampaignChange.Action.OPENED,
                changes={name: [None, _plain(getattr(campaign, name))] for name in CAMPAIGN_FIELDS},
                changed_by=by,
                changed_at=now,
            )
    except IntegrityError as error:
        if SignoffCampaign.objects.filter(project=project).exists():
            raise ServiceError(_("This project already has a sign-off campaign.")) from error
        raise
    return campaign


def signoff_campaign_update(
    *, campaign: SignoffCampaign, data: dict, by, now: datetime | None = None
) -> SignoffCampaignChange | None:
    """Change the rule or settings; the change log keeps the old values. Switching to a rule
    that counts area is refused while a household in scope has no recorded area."""
    now = now or timezone.now()
    proposed = copy.copy(campaign)
    for name, value in data.items():
        setattr(proposed, name, value)
    _refuse_without_areas(proposed)

    def log(locked: SignoffCampaign, diff: dict) -> SignoffCampaignChange:
        return SignoffCampaignChange.objects.create(
            campaign=locked,
            action=SignoffCampaignChange.Action.EDITED,
            changes={name: [_plain(old), _plain(new)] for name, (old, new) in diff.items()},
            changed_by=by,
            changed_at=now,
        )

    return model_update(campaign, CAMPAIGN_FIELDS, data, history=log, clean_exclude=["project"])


OPEN, CLOSED = "open", "closed"


def _write_closed_at(change: Change) -> list[str]:
    change.obj.closed_at = None if change.to_state == OPEN else change.now
    return ["closed_at"]


def _record_campaign_change(change: Change) -> SignoffCampaignChange:
    action = SignoffCampaignChange.Action.REOPENED if change.to_state == OPEN else SignoffCampaignChange.Action.CLOSED
    return SignoffCampaignChange.objects.create(
        campaign=change.obj, action=action, changed_by=change.by, changed_at=change.now
    )


#: A campaign is open until ``closed_at`` is set; reopening clears it.
CAMPAIGNS = Lifecycle(
    name="signoff_campaign",
    model=SignoffCampaign,
    table=TransitionTable(
        forward={OPEN: (CLOSED,), CLOSED: (OPEN,)},
        refusals=Refusals(
            unknown=gettext_lazy("Unknown status."),
            same=None,
            not_allowed=lambda from_state, to_state: gettext("Unknown status."),
        ),
    ),
    read_state=lambda campaign: OPEN if campaign.is_open else CLOSED,
    write_state=_write_closed_at,
    record=_record_campaign_change,
    error=ServiceError,
)


def _areas_recorded(change: Change) -> str | None:
    return _area_refusal(change.obj)


CAMPAIGNS.register_guard(_areas_recorded, to=OPEN)


def signoff_campaign_set_open(
    *, campaign: SignoffCampaign, open_: bool, by, now: datetime | None = None
) -> SignoffCampaignChange | None:
    """Close a finished campaign, or reopen it to record a late withdrawal or correction.
    Asking for the state it is already in changes nothing (a double submit)."""
    return CAMPAIGNS.transition(campaign, OPEN if open_ else CLOSED, by=by, now=now or timezone.now(), if_changed=True)


# --- the per-household record -----------------------------------------------------------------


def _check_writable(campaign: SignoffCampaign, household: Household) -> None:
    if SignoffCampaign.objects.filter(pk=campaign.pk, closed_at__isnull=False).exists():
        raise ServiceError(_("The campaign is closed. Reopen it to record anything new."))
    if not affected_households(campaign.project).filter(pk=household.pk).exists():
        raise ServiceError(_("This household is not affected by the project."))


def _locked_record(campaign: SignoffCampaign, household: Household) -> SignoffRecord:
    """The household's record, created on first use, locked until the transaction ends."""
    try:
        return SignoffRecord.objects.select_for_update().get(campaign=campaign, household=household)
    except SignoffRecord.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return SignoffRecord.objects.create(campaign=campaign, household=household)
    except IntegrityError:
        # Somebody created it between our read and our insert; theirs is committed now.
        return SignoffRecord.objects.select_for_update().get(campaign=campaign, household=household)


def _contact_date(event: SignoffEvent) -> date:
    if event.status == S.AGREED and event.signed_on:
        return event.signed_on
    return timezone.localdate(event.recorded_at)


def _apply_event(record: SignoffRecord, event: SignoffEvent) -> None:
    if event.status != record.status:
        record.status_changed_at = event.recorded_at
    record.status = event.status
    record.last_event = event
    if event.concern_text:
        record.concern_category = event.concern_category
        record.concern_text = event.concern_text
    contact = _contact_date(event)
    if record.last_contact_on is None or contact > record.last_contact_on:
        record.last_contact_on = contact


def _validate_event(campaign: SignoffCampaign, event: SignoffEvent, today: date) -> None:
    errors = {}
    if event.status == S.AGREED:
        if not event.signer_name.strip():
            errors["signer_name"] = _("Who signed? Enter their name.")
        if event.signed_on is None:
            errors["signed_on"] = _("Enter the date of the signature.")
        elif event.signed_on > today:
            errors["signed_on"] = _("The date of the signature cannot be in the future.")
        paper_missing = not event.paper_reference.strip() and not event.form_photo
        if campaign.paper_required and event.channel != Channel.ONLINE and paper_missing:
            errors["paper_reference"] = _("This campaign needs the signed paper form: enter its number or add a photo.")
    if event.status == S.CONCERNS and not event.concern_text.strip():
        errors["concern_text"] = _("Write down the concern in the resident's own words.")
    if event.concern_text.strip() and not event.concern_category:
        event.concern_category = ConcernCategory.OTHER
    if errors:
        raise ServiceError(errors)


def signoff_record_status(
    *,
    campaign: SignoffCampaign,
    household: Household,
    status: str,
    by,
    channel: str = Channel.HOME_VISIT,
    now: datetime | None = None,
    note: str = "",
    signed_on: date | None = None,
    signer_name: str = "",
    signer_relation: str = "",
    paper_reference: str = "",
    paper_date: date | None = None,
    form_photo: File | None = None,
    concern_category: str = "",
    concern_text: str = "",
    skip_if_unchanged: bool = False,
    skip_if_repeated: bool = False,
) -> SignoffEvent | None:
    """Append a status event for a household and update its record.

    ``by`` is the staff member who records it (``None`` only for the household's own online
    confirmation, with ``channel=online``). ``skip_if_unchanged`` makes a repeated one-click
    tick (a double tap) a no-op instead of a duplicate event. ``skip_if_repeated`` returns
    the household's last event instead of writing one when it says the same thing (same
    status, channel, who, signer and words): the comparison runs under the record's row
    lock, so twenty simultaneous submissions of one answer leave one event.
    """
    now = now or timezone.now()
    if status not in S.values:
        raise ServiceError(_("Unknown status."))
    # A paper dated after the closing date answers too late: answers count up to and including
    # that day (``selectors.signoffs.past_closing``), whenever the paper is typed in.
    check_entry(
        channel=channel, entered_by=by, paper_date=paper_date, today=timezone.localdate(now), last_day=campaign.deadline
    )
    event = SignoffEvent(
        campaign=campaign,
        household=household,
        status=status,
        channel=channel,
        entered_by=by,
        recorded_at=now,
        note=note.strip(),
        signed_on=signed_on if status == S.AGREED else None,
        signer_name=signer_name.strip() if status == S.AGREED else "",
        signer_relation=signer_relation if status == S.AGREED else "",
        paper_reference=paper_reference.strip() if status == S.AGREED else "",
        paper_date=paper_date,
        concern_category=concern_category,
        concern_text=concern_text.strip(),
    )
    if status == S.AGREED and form_photo:
        event.form_photo = form_photo
    if signer_relation and signer_relation not in SignerRelation.values:
        raise ServiceError({"signer_relation": _("Unknown relation.")})
    _validate_event(campaign, event, timezone.localdate(now))
    with transaction.atomic():
        _check_writable(campaign, household)
        record = _locked_record(campaign, household)
        if skip_if_unchanged and record.status == status:
            return None
        if skip_if_repeated and record.status == status:
            last = SignoffEvent.objects.filter(campaign=campaign, household=household).order_by("-pk").first()
            if last is not None and all(getattr(last, f) == getattr(event, f) for f in REPEAT_FIELDS):
                return last
        event.previous_status = record.status
        event.save()  # writes the photo file too, under a random name (see ``signed_form_path``)
        _apply_event(record, event)
        record.save()
    return event


#: What makes two events the same answer. The dates (recorded, signed) may differ: the same
#: confirmation sent again tomorrow is still the same answer.
REPEAT_FIELDS = (
    "status",
    "channel",
    "entered_by_id",
    "note",
    "signer_name",
    "signer_relation",
    "paper_reference",
    "paper_date",
    "concern_category",
    "concern_text",
)


def signoff_tick(
    *, campaign: SignoffCampaign, household: Household, status: str, by, now: datetime | None = None
) -> SignoffEvent | None:
    """One tap on the unit grid while walking door to door.

    "Talked to" and "refused" record at once. "Agreed" records at once with the owner as the
    signer when an online-style confirmation is enough; where paper is required it needs the
    form number, and "has concerns" always needs the resident's words: both raise
    ``DetailsNeeded`` so the grid opens the short form instead. Tapping the current status
    again does nothing.
    """
    now = now or timezone.now()
    if status == S.CONCERNS or (status == S.AGREED and campaign.paper_required):
        current = SignoffRecord.objects.filter(campaign=campaign, household=household).values_list("status", flat=True)
        if status not in current:
            raise DetailsNeeded(_("A few details are needed."))
        return None
    details = {}
    if status == S.AGREED:
        details = {
            "signer_name": household.owner_names or _("Owner"),
            "signer_relation": SignerRelation.OWNER,
            "signed_on": timezone.localdate(now),
        }
    return signoff_record_status(
        campaign=campaign,
        household=household,
        status=status,
        by=by,
        channel=Channel.HOME_VISIT,
        now=now,
        skip_if_unchanged=True,
        **details,
    )


def signoff_confirm_online(
    *,
    campaign: SignoffCampaign,
    household: Household,
    agree: bool,
    signer_name: str = "",
    signer_relation: str = SignerRelation.OWNER,
    concern_category: str = "",
    concern_text: str = "",
    now: datetime | None = None,
) -> SignoffEvent:
    """The household's own answer, after entering its household code. Sending the same
    answer again (a double tap, a reload, a second phone) writes nothing and returns the
    event already recorded."""
    now = now or timezone.now()
    if not campaign.allows_online:
        raise ServiceError(_("This campaign needs a signature on paper; staff will come to your door."))
    return signoff_record_status(
        campaign=campaign,
        household=household,
        status=S.AGREED if agree else S.CONCERNS,
        by=None,
        channel=Channel.ONLINE,
        now=now,
        signed_on=timezone.localdate(now),
        signer_name=signer_name,
        signer_relation=signer_relation,
        concern_category=concern_category,
        concern_text=concern_text,
        skip_if_repeated=True,
    )


# --- contacts and follow-ups ----------------------------------------------------------------


def signoff_log_contact(
    *,
    campaign: SignoffCampaign,
    household: Household,
    kind: str,
    staff,
    contacted_on: date,
    outcome: str,
    next_step: str = "",
    by,
    now: datetime | None = None,
) -> SignoffContact:
    """Log a visit, call or meeting. It resets the "not contacted for N days" clock."""
    now = now or timezone.now()
    if contacted_on > timezone.localdate(now):
        raise ServiceError({"contacted_on": _("The date cannot be in the future.")})
    if not outcome.strip():
        raise ServiceError({"outcome": _("Write down what came out of it.")})
    contact = SignoffContact(
        campaign=campaign,
        household=household,
        kind=kind,
        staff=staff,
        contacted_on=contacted_on,
        outcome=outcome.strip(),
        next_step=next_step.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    contact.full_clean(exclude=["campaign", "household", "staff", "recorded_by"])
    with transaction.atomic():
        _check_writable(campaign, household)
        record = _locked_record(campaign, household)
        is_latest = not SignoffContact.objects.filter(
            campaign=campaign, household=household, contacted_on__gt=contacted_on
        ).exists()
        contact.save()
        if is_latest:
            record.next_step = contact.next_step
        if record.last_contact_on is None or contacted_on > record.last_contact_on:
            record.last_contact_on = contacted_on
        record.save()
    return contact


def check_assignee(campaign: SignoffCampaign, households: list[Household], assignee) -> None:
    """A follow-up goes to community staff, or to a building head for their own buildings."""
    if assignee is None:
        return
    roles = follow_up_roles(campaign)
    if assignee.pk not in roles or not assignee.is_active:
        raise ServiceError({"assignee": _("Choose a staff member or building head of this community.")})
    role, building_ids = roles[assignee.pk]
    if role == Role.BUILDING_HEAD:
        outside = [h for h in households if h.unit.building_id not in building_ids]
        if outside:
            raise ServiceError(
                {
                    "assignee": _("%(name)s is not the building head of %(room)s.")
                    % {"name": assignee.get_full_name() or assignee.username, "room": outside[0]}
                }
            )


def signoff_assign(
    *,
    campaign: SignoffCampaign,
    households: list[Household],
    assignee,
    by,
    note: str = "",
    now: datetime | None = None,
) -> int:
    """Give the follow-up of one or several households to somebody (``None``: to nobody).
    Households already followed up by that person are left alone. Returns how many changed."""
    now = now or timezone.now()
    check_assignee(campaign, households, assignee)
    changed = 0
    with transaction.atomic():
        for household in sorted(households, key=lambda h: h.pk):  # one lock order: no deadlocks
            _check_writable(campaign, household)
            record = _locked_record(campaign, household)
            if record.assignee_id == (assignee.pk if assignee else None):
                continue
            SignoffAssignment.objects.create(
                campaign=campaign,
                household=household,
                assignee=assignee,
                note=note.strip(),
                assigned_by=by,
                assigned_at=now,
            )
            record.assignee = assignee
            record.save(update_fields=["assignee"])
            changed += 1
    return changed


# --- rebuilding the records from the logs ----------------------------------------------------


def signoff_rebuild_records(*, campaign: SignoffCampaign) -> int:
    """Recompute every record of a campaign from its three logs.

    The logs are the truth and the records a cache: this repairs a record after a manual
    database fix, and lets bulk loads (the district demo) insert events alone. Run it while
    nobody is recording for this campaign. Returns the number of records.
    """
    records: dict[int, SignoffRecord] = {}

    def record_for(household_id: int) -> SignoffRecord:
        if household_id not in records:
            records[household_id] = SignoffRecord(campaign=campaign, household_id=household_id)
        return records[household_id]

    for event in SignoffEvent.objects.filter(campaign=campaign).order_by("recorded_at", "pk").iterator():
        _apply_event(record_for(event.household_id), event)
    for contact in SignoffContact.objects.filter(campaign=campaign).order_by("contacted_on", "pk").iterator():
        record = record_for(contact.household_id)
        record.next_step = contact.next_step
        if record.last_contact_on is None or contact.contacted_on > record.last_contact_on:
            record.last_contact_on = contact.contacted_on
    for assignment in SignoffAssignment.objects.filter(campaign=campaign).order_by("assigned_at", "pk").iterator():
        record_for(assignment.household_id).assignee_id = assignment.assignee_id
    with transaction.atomic():
        SignoffCampaign.objects.select_for_update().get(pk=campaign.pk)
        SignoffRecord.objects.filter(campaign=campaign).delete()
        SignoffRecord.objects.bulk_create(records.values(), batch_size=1000)
    return len(records)
