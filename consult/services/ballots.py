"""Every write to a ballot: create, open (snapshot the eligible households), cast, void,
count, publish, cancel, and objections during the public notice.

One ballot per household is guaranteed twice: the cast service locks the ballot row
(``select_for_update``), so two submissions for a household are checked one after the
other and the second gets a clear refusal; and the partial unique constraint
``cast_ballot_one_per_household`` rejects anything that slips past (caught by type as
``IntegrityError``). The lock on the ballot row also orders votes against counting: a vote
cannot land after the count has been taken.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from projects import audit
from projects.audit import AuditAction
from projects.errors import ServiceError
from projects.lifecycle import Change, Lifecycle, Refusals, TransitionTable
from projects.models import Channel, Compound, DecisionKind, Household
from projects.parsing import DB_INT_MAX, parse_id, parse_int
from projects.selectors.owners import voter_map
from projects.selectors.registry import missing_area_refusal
from projects.services.entries import check_entry
from projects.thresholds import rule_thresholds, uses_area

from ..ballot_digest import DigestCheck, check_digest, compute_digest
from ..models import (
    Ballot,
    BallotAction,
    BallotEvent,
    BallotObjection,
    BallotOption,
    BallotStatus,
    CastBallot,
    EligibleHousehold,
    OptionKind,
    OptionSet,
    ProxyAuthorisation,
    ScopeKind,
)
from ..selectors.ballots import channel_counts, households_in_scope, tally
from .proxies import lock_proxy_for_cast

SNAPSHOT_BATCH = 2000


class BallotError(ServiceError):
    """A refused ballot action; ``message`` is shown to the person who tried."""


class AlreadyVoted(BallotError):
    pass


class SerialReused(BallotError):
    pass


@dataclass(frozen=True)
class OptionSpec:
    label: str
    kind: str


def agree_options() -> list[OptionSpec]:
    """The fixed options are stored by their source words and shown in the reader's
    language (``BallotOption.display_label``)."""
    return [
        OptionSpec("Agree", OptionKind.FOR),
        OptionSpec("Disagree", OptionKind.AGAINST),
        OptionSpec("Abstain", OptionKind.ABSTAIN),
    ]


def choice_options(labels: list[str], *, with_abstain: bool) -> list[OptionSpec]:
    options = [OptionSpec(label, OptionKind.CHOICE) for label in labels]
    if with_abstain:
        options.append(OptionSpec("Abstain", OptionKind.ABSTAIN))
    return options


def _event(ballot: Ballot, action: str, by, now: datetime, note: str = "", note_params: dict | None = None) -> None:
    """``note`` is the staff's words, or, with ``note_params``, a gettext source string the
    page translates when it shows the history (see ``BallotEvent.display_note``)."""
    BallotEvent.objects.create(ballot=ballot, action=action, by=by, at=now, note=note[:300], note_params=note_params)


# --- the life cycle: draft → open → closed (counted) → published, or cancelled ----------------

#: Publishing adds no status of its own: a closed ballot with ``published_at`` is published.
PUBLISHED = "published"
_STAMPS = {  # the state → the fields recording when and by whom it was reached
    BallotStatus.OPEN: ("opened_at", "opened_by"),
    BallotStatus.CLOSED: ("closed_at", "closed_by"),
    PUBLISHED: ("published_at", "published_by"),
    BallotStatus.CANCELLED: ("cancelled_at", "cancelled_by"),
}
_ACTIONS = {
    BallotStatus.OPEN: BallotAction.OPENED,
    BallotStatus.CLOSED: BallotAction.COUNTED,
    PUBLISHED: BallotAction.PUBLISHED,
    BallotStatus.CANCELLED: BallotAction.CANCELLED,
}
_REFUSALS = {
    BallotStatus.OPEN: gettext_lazy("This ballot has already been opened."),
    BallotStatus.CLOSED: gettext_lazy("Only an open ballot can be counted."),
    PUBLISHED: gettext_lazy("Count the ballot before publishing its result."),
    BallotStatus.CANCELLED: gettext_lazy("A counted ballot cannot be cancelled; record objections instead."),
}


def _ballot_state(ballot: Ballot) -> str:
    return PUBLISHED if ballot.published_at is not None else ballot.status


def _not_allowed(from_state: str, to_state: str) -> str:
    if from_state == to_state == PUBLISHED:
        return gettext("The result is already published.")
    return str(_REFUSALS[to_state])


def _write_state(change: Change) -> list[str]:
    ballot, to_state = change.obj, change.to_state
    at_field, by_field = _STAMPS[to_state]
    setattr(ballot, at_field, change.now)
    setattr(ballot, by_field, change.by)
    fields = [at_field, by_field]
    if to_state != PUBLISHED:
        ballot.status = to_state
        fields.insert(0, "status")
    if to_state == BallotStatus.CANCELLED:
        ballot.cancel_reason = change.note[:300]
        fields.append("cancel_reason")
    return fields


def _record(change: Change) -> BallotEvent:
    return BallotEvent.objects.create(
        ballot=change.obj,
        action=_ACTIONS[change.to_state],
        by=change.by,
        at=change.now,
        note=change.extra.get("event_note", change.note)[:300],
        note_params=change.extra.get("note_params"),
    )


def _closing_time_not_passed(change: Change) -> str | None:
    if change.obj.closes_at <= change.now:
        return _("The closing time has passed. Set a later closing time before opening.")
    return None


def _voting_has_ended(change: Change) -> str | None:
    if change.now < change.obj.closes_at:
        return _("Voting is open until %(time)s; count it after that.") % {
            "time": f"{timezone.localtime(change.obj.closes_at):%Y-%m-%d %H:%M}"
        }
    return None


BALLOTS = Lifecycle(
    name="ballot",
    model=Ballot,
    table=TransitionTable(
        forward={
            BallotStatus.DRAFT: (BallotStatus.OPEN, BallotStatus.CANCELLED),
            BallotStatus.OPEN: (BallotStatus.CLOSED, BallotStatus.CANCELLED),
            BallotStatus.CLOSED: (PUBLISHED,),
            PUBLISHED: (),
            BallotStatus.CANCELLED: (),
        },
        refusals=Refusals(unknown=gettext_lazy("Unknown status."), same=None, not_allowed=_not_allowed),
    ),
    read_state=_ballot_state,
    write_state=_write_state,
    record=_record,
    error=BallotError,
)


def _areas_recorded(change: Change) -> str | None:
    """A rule that counts area cannot be judged on a flat of unknown area (SPC
    interpretation Art. 8): refuse to open and name the rooms."""
    ballot = change.obj
    if not uses_area(rule_thresholds(ballot.rule, ballot.custom_thresholds)):
        return None
    return missing_area_refusal(households_in_scope(ballot))


BALLOTS.register_guard(_closing_time_not_passed, to=BallotStatus.OPEN)
BALLOTS.register_guard(_areas_recorded, to=BallotStatus.OPEN)
BALLOTS.register_guard(_voting_has_ended, to=BallotStatus.CLOSED)


def _check_definition(*, option_set: str, options: list[OptionSpec], rule: str, custom_thresholds: list) -> None:
    try:
        rule_thresholds(rule, custom_thresholds)
    except (ValueError, KeyError, TypeError) as error:
        raise BallotError(_("The custom thresholds are not valid: %(error)s") % {"error": error}) from error
    choices = [o for o in options if o.kind == OptionKind.CHOICE]
    if option_set == OptionSet.CHOICE and len(choices) < 2:
        raise BallotError(_("A choice needs at least two options."))
    labels = [o.label.strip() for o in options]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise BallotError(_("Every option needs a label, and no two options may be the same."))


def _set_options(ballot: Ballot, options: list[OptionSpec]) -> None:
    ballot.options.all().delete()
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, label=o.label.strip()[:200], kind=o.kind, position=i)
        for i, o in enumerate(options, start=1)
    )


SCOPE_FIELD = {
    ScopeKind.PROJECT: "project",
    ScopeKind.COMPOUND: "compound",
    ScopeKind.BUILDING: "building",
    ScopeKind.UNIT: "unit",
}


def _scope_fields(scope_kind: str, target) -> dict:
    fields = dict.fromkeys(SCOPE_FIELD.values())
    fields[SCOPE_FIELD[ScopeKind(scope_kind)]] = target
    return fields


def ballot_create(
    *,
    community,
    title: str,
    description: str = "",
    option_set: str,
    options: list[OptionSpec],
    rule: str,
    custom_thresholds: list | None = None,
    decision_kind: str = DecisionKind.OWNERS,
    scope_kind: str,
    target,
    meeting=None,
    opens_at: datetime,
    closes_at: datetime,
    notice_days: int = 7,
    by,
    now: datetime | None = None,
) -> Ballot:
    """A draft ballot. Nothing is fixed until it is opened."""
    now = now or timezone.now()
    custom_thresholds = custom_thresholds or []
    _check_definition(option_set=option_set, options=options, rule=rule, custom_thresholds=custom_thresholds)
    if closes_at <= opens_at:
        raise BallotError(_("Voting must close after it opens."))
    with transaction.atomic():
        ballot = Ballot.objects.create(
            community=community,
            title=title,
            description=description,
            option_set=option_set,
            rule=rule,
            custom_thresholds=custom_thresholds,
            decision_kind=decision_kind,
            scope_kind=scope_kind,
            meeting=meeting,
            opens_at=opens_at,
            closes_at=closes_at,
            notice_days=notice_days,
            created_by=by,
            created_at=now,
            **_scope_fields(scope_kind, target),
        )
        _set_options(ballot, options)
        _event(ballot, BallotAction.CREATED, by, now)
    return ballot


def ballot_update(
    *,
    ballot: Ballot,
    title: str,
    description: str,
    option_set: str,
    options: list[OptionSpec],
    rule: str,
    custom_thresholds: list,
    decision_kind: str | None = None,
    scope_kind: str,
    target,
    meeting,
    opens_at: datetime,
    closes_at: datetime,
    notice_days: int,
    by,
    now: datetime | None = None,
) -> Ballot:
    """Edit a draft. Once open, only the closing time may move (``ballot_extend``)."""
    now = now or timezone.now()
    _check_definition(option_set=option_set, options=options, rule=rule, custom_thresholds=custom_thresholds)
    if closes_at <= opens_at:
        raise BallotError(_("Voting must close after it opens."))
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.status != BallotStatus.DRAFT:
            raise BallotError(_("Only a draft can be changed. An open ballot can only have its closing time extended."))
        locked.title = title
        locked.description = description
        locked.option_set = option_set
        locked.rule = rule
        locked.custom_thresholds = custom_thresholds
        locked.decision_kind = decision_kind or locked.decision_kind
        locked.scope_kind = scope_kind
        for name, value in _scope_fields(scope_kind, target).items():
            setattr(locked, name, value)
        locked.meeting = meeting
        locked.opens_at = opens_at
        locked.closes_at = closes_at
        locked.notice_days = notice_days
        locked.save()
        _set_options(locked, options)
        _event(locked, BallotAction.EDITED, by, now)
    return locked


def ballot_extend(*, ballot: Ballot, closes_at: datetime, by, reason: str, now: datetime | None = None) -> Ballot:
    """Move the closing time of an open ballot later (never earlier: people were told a date)."""
    now = now or timezone.now()
    if not reason.strip():
        raise BallotError(_("Say why the closing time is extended."))
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.status != BallotStatus.OPEN:
            raise BallotError(_("Only an open ballot can be extended."))
        if closes_at <= locked.closes_at or closes_at <= now:
            raise BallotError(_("The new closing time must be later than the current one and in the future."))
        old = locked.closes_at
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at"])
        _event(
            locked,
            BallotAction.EXTENDED,
            by,
            now,
            f"{timezone.localtime(old):%Y-%m-%d %H:%M} → {timezone.localtime(closes_at):%Y-%m-%d %H:%M}: {reason}",
        )
    return locked


def _snapshot_eligible(ballot: Ballot) -> int:
    """Copy the eligible households and their areas, fix whom each counts as (in an owners'
    decision, the owners as registered at opening: a sale during voting changes nothing),
    number the paper ballots, and list the noticeboards that show the ballot. Returns the
    number of eligible households."""
    scope = households_in_scope(ballot)
    voters = voter_map(scope) if ballot.decision_kind == DecisionKind.OWNERS else {}
    rows = scope.order_by(
        "unit__building__sort_key", "unit__building__name", "unit__sort_key", "unit__name", "floor", "room"
    ).values_list("pk", "area", "unit_id", "unit__building_id")
    batch, count = [], 0
    for count, (household_id, area, unit_id, building_id) in enumerate(rows.iterator(chunk_size=2000), start=1):
        batch.append(
            EligibleHousehold(
                ballot=ballot,
                household_id=household_id,
                area=area,
                voter=voters.get(household_id, household_id),
                unit_id=unit_id,
                building_id=building_id,
                serial=count,
            )
        )
        if len(batch) >= SNAPSHOT_BATCH:
            EligibleHousehold.objects.bulk_create(batch)
            batch = []
    if batch:
        EligibleHousehold.objects.bulk_create(batch)
    if count == 0:
        raise BallotError(_("Nobody is eligible: the chosen scope has no households."))
    ballot.noticeboard_compounds.set(
        Compound.objects.filter(
            buildings__in=EligibleHousehold.objects.filter(ballot=ballot).values("building_id")
        ).distinct()
    )
    return count


def ballot_open(*, ballot: Ballot, by, now: datetime | None = None) -> int:
    """Open for voting: copy the eligible households and their areas (see the models'
    docstring for why), number the paper ballots, and list the noticeboards that show it.
    Returns the number of eligible households."""
    snapshot = {}

    def snapshot_eligible(change: Change) -> None:
        count = snapshot["eligible"] = _snapshot_eligible(change.obj)
        change.extra["event_note"] = gettext_noop("%(n)d eligible households")
        change.extra["note_params"] = {"n": count}

    BALLOTS.transition(ballot, BallotStatus.OPEN, by=by, now=now or timezone.now(), apply=snapshot_eligible)
    return snapshot["eligible"]


def _already_voted_message(existing: CastBallot, *, for_staff: bool) -> str:
    if not for_staff:
        return _(
            "Your household has already voted on this ballot (on %(date)s). Each household votes once; "
            "a second ballot is not counted. If this is a mistake, please contact the community office."
        ) % {"date": f"{timezone.localtime(existing.cast_at):%Y-%m-%d}"}
    how = existing.get_channel_display()
    if existing.paper_reference:
        how = _("%(channel)s No. %(serial)s") % {"channel": how, "serial": existing.paper_reference}
    return _(
        "%(household)s has already voted (%(how)s, %(date)s). A second ballot is not counted. "
        "If the first one was entered wrongly, void it with a reason, then enter the new one."
    ) % {
        "household": existing.household,
        "how": how,
        "date": f"{timezone.localtime(existing.cast_at):%Y-%m-%d %H:%M}",
    }


def cast_ballot(
    *,
    ballot: Ballot,
    household: Household,
    option: BallotOption,
    channel: str,
    entered_by=None,
    paper_serial: str = "",
    paper_date: date | None = None,
    meeting=None,
    note: str = "",
    staff_entry: bool = False,
    proxy: ProxyAuthorisation | None = None,
    now: datetime | None = None,
) -> CastBallot:
    """Record one household's ballot, or refuse it with a clear reason.

    ``staff_entry``: a ballot collected by staff (paper, meeting, visit) may be entered until
    the ballot is counted, even after the voting period ended; a household voting on the
    website must vote within the period. ``proxy``: the written authorisation the ballot
    was cast under (staff entries only), checked under its row lock."""
    now = now or timezone.now()
    paper_serial = paper_serial.strip().upper()
    check_entry(
        channel=channel,
        entered_by=entered_by,
        paper_date=paper_date,
        today=timezone.localdate(now),
        last_day=ballot.last_voting_day,
        error=BallotError,
    )
    if channel == Channel.PAPER and not paper_serial:
        raise BallotError(_("A paper ballot needs its serial number."))
    if channel == Channel.MEETING and meeting is None:
        raise BallotError(_("Say at which meeting the ballot was cast."))
    if proxy is not None and entered_by is None:
        raise BallotError(_("A ballot under a written authorisation is entered by staff."), field="proxy")
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.status == BallotStatus.DRAFT or (locked.status == BallotStatus.OPEN and now < locked.opens_at):
            raise BallotError(_("Voting has not opened yet."))
        if locked.status != BallotStatus.OPEN:
            raise BallotError(_("Voting has ended; this ballot has been counted."))
        if not staff_entry and now >= locked.closes_at:
            raise BallotError(
                _("Voting closed at %(time)s.") % {"time": f"{timezone.localtime(locked.closes_at):%Y-%m-%d %H:%M}"}
            )
        if staff_entry and now >= locked.closes_at and paper_date is None:
            raise BallotError(
                _(
                    "Voting closed at %(time)s. A ballot entered after closing needs the date written on it "
                    "(or the day the ballot box was opened), to show it was cast in time."
                )
                % {"time": f"{timezone.localtime(locked.closes_at):%Y-%m-%d %H:%M}"},
                field="paper_date",
            )
        if option.ballot_id != locked.pk:
            raise BallotError(_("That option does not belong to this ballot."))
        if meeting is not None and meeting.community_id != locked.community_id:
            raise BallotError(_("That meeting belongs to another community."))
        eligible = EligibleHousehold.objects.filter(ballot=locked, household=household).first()
        if eligible is None:
            raise BallotError(
                _("%(household)s is not among the households eligible for this ballot.") % {"household": household}
            )
        existing = (
            CastBallot.objects.valid()
            .filter(ballot=locked, household=household)
            .select_related("household__unit__building")
            .first()
        )
        if existing is not None:
            raise AlreadyVoted(_already_voted_message(existing, for_staff=staff_entry))
        if proxy is not None:
            proxy = lock_proxy_for_cast(
                proxy=proxy, ballot=locked, household=household, cast_on=paper_date or timezone.localdate(now)
            )
        if paper_serial:
            reused = (
                CastBallot.objects.valid()
                .filter(ballot=locked, paper_reference=paper_serial)
                .select_related("household__unit__building")
                .first()
            )
            if reused is not None:
                raise SerialReused(
                    _(
                        "Paper ballot No. %(serial)s has already been entered (for %(household)s). "
                        "Each serial number is used once: check the number on the paper."
                    )
                    % {"serial": paper_serial, "household": reused.household},
                    field="paper_serial",
                )
        try:
            with transaction.atomic():
                return CastBallot.objects.create(
                    ballot=locked,
                    eligible=eligible,
                    household=household,
                    option=option,
                    channel=channel,
                    entered_by=entered_by,
                    paper_reference=paper_serial,
                    paper_date=paper_date,
                    meeting=meeting,
                    proxy=proxy,
                    note=note[:300],
                    cast_at=now,
                )
        except IntegrityError as error:
            # Only reachable if the lock was bypassed; the constraint still keeps one ballot.
            raise AlreadyVoted(_("This household's ballot or this paper number has just been recorded.")) from error


def void_cast_ballot(*, cast: CastBallot, by, reason: str, now: datetime | None = None) -> CastBallot:
    """Void a wrongly entered ballot (never delete it). The household may then vote again."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise BallotError(_("Give the reason for voiding this ballot."))
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=cast.ballot_id)
        if ballot.status != BallotStatus.OPEN:
            raise BallotError(_("This ballot has been counted; its ballots can no longer be voided."))
        locked = CastBallot.objects.select_for_update().get(pk=cast.pk)
        if locked.voided_at is not None:
            raise BallotError(_("This ballot was already voided."))
        locked.voided_at = now
        locked.voided_by = by
        locked.void_reason = reason[:300]
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return locked


def ballot_close(*, ballot: Ballot, by, now: datetime | None = None):
    """Count the ballot once voting has ended and fix the result."""
    counted = {}

    def count(change: Change) -> list[str]:
        result = counted["result"] = replace(tally(change.obj), channels=tuple(channel_counts(change.obj)))
        change.obj.passed = result.passed
        change.obj.result = result.to_json()
        return ["passed", "result"]

    BALLOTS.transition(ballot, BallotStatus.CLOSED, by=by, now=now or timezone.now(), apply=count)
    return counted["result"]


# Events written before digests existed keep this note; it must stay translatable.
LEGACY_PUBLISH_NOTE = gettext_noop("%(days)d days of public notice")


def _publish(change: Change) -> list[str]:
    """Set the notice period and fix the digest of the cast ballots (``consult.ballot_digest``).

    The digest goes on the ballot and into the append-only "published" event, so a later
    edit of either copy shows when the two are compared."""
    ballot = change.obj
    days = change.extra["notice_days"] or ballot.notice_days
    if days < 1:
        raise BallotError(_("The notice period is at least one day."))
    ballot.notice_days = days
    ballot.notice_ends_at = change.now + timedelta(days=days)
    ballot.result_digest = compute_digest(ballot)
    change.extra["event_note"] = gettext_noop("%(days)d days of public notice; SHA-256 %(digest)s")
    change.extra["note_params"] = {"days": days, "digest": ballot.result_digest}
    return ["notice_days", "notice_ends_at", "result_digest"]


def ballot_publish(*, ballot: Ballot, by, notice_days: int | None = None, now: datetime | None = None) -> Ballot:
    """Post the result on the noticeboard for the public notice period (公示)."""
    return BALLOTS.transition(
        ballot, PUBLISHED, by=by, now=now or timezone.now(), apply=_publish, notice_days=notice_days
    ).ballot


def ballot_verify_digest(*, ballot: Ballot, by, request=None, now: datetime | None = None) -> DigestCheck:
    """Recompute a published ballot's digest, compare, and put the check in the audit trail
    (who checked, when, and what came out)."""
    if ballot.published_at is None:
        raise BallotError(_("Only a published result has a digest to check."))
    with transaction.atomic():
        result = check_digest(ballot)
        audit.record(
            AuditAction.BALLOT_DIGEST_VERIFIED,
            actor=by,
            community=ballot.community,
            obj=ballot,
            after={"stored": result.stored, "recomputed": result.recomputed, "matches": result.matches},
            request=request,
            now=now,
        )
    return result


def ballot_cancel(*, ballot: Ballot, by, reason: str, now: datetime | None = None) -> Ballot:
    """Call off a draft or open ballot (wrong scope, wrong question). Its ballots are kept."""
    reason = reason.strip()
    if not reason:
        raise BallotError(_("Give the reason for cancelling."))
    return BALLOTS.transition(ballot, BallotStatus.CANCELLED, by=by, note=reason, now=now or timezone.now()).ballot


def objection_record(
    *,
    ballot: Ballot,
    text: str,
    channel: str,
    household: Household | None = None,
    name: str = "",
    entered_by=None,
    now: datetime | None = None,
) -> BallotObjection:
    """An objection to a published result. Residents online may object during the notice
    period; staff may record one received on time by other means until the period ends
    and for as long as they still need to (a letter may arrive late)."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise BallotError(_("Write the objection."))
    if household is None and not name.strip():
        raise BallotError(_("Say who raises the objection: a household or a name."))
    check_entry(channel=channel, entered_by=entered_by, error=BallotError)
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.published_at is None:
            raise BallotError(_("Objections can be raised once the result is published."))
        if entered_by is None and not locked.in_notice_period(now):
            raise BallotError(_("The public notice period has ended."))
        return BallotObjection.objects.create(
            ballot=locked,
            household=household,
            name=name.strip()[:100],
            text=text,
            channel=channel,
            entered_by=entered_by,
            received_at=now,
        )


def objection_reply(*, objection: BallotObjection, reply: str, by, now: datetime | None = None) -> BallotObjection:
    now = now or timezone.now()
    reply = reply.strip()
    if not reply:
        raise BallotError(_("Write the reply."))
    with transaction.atomic():
        locked = BallotObjection.objects.select_for_update().get(pk=objection.pk)
        locked.reply = reply
        locked.replied_at = now
        locked.replied_by = by
        locked.save(update_fields=["reply", "replied_at", "replied_by"])
    return locked


def resolve_paper_serial(ballot: Ballot, text: str) -> tuple[EligibleHousehold | None, str]:
    """Read a serial typed from a paper ballot.

    "12-0042" or "42" is printed paper No. 42 of ballot 12, which names its household;
    anything else (a hand-numbered paper) is kept as typed and the household must be chosen.
    Raises ``BallotError`` for a printed number of another ballot or one never printed."""
    text = (text or "").strip().upper().replace(" ", "")
    ballot_part, _sep, number_part = text.rpartition("-")
    number, ballot_id = parse_int(number_part, low=0, high=DB_INT_MAX), parse_id(ballot_part)
    if number is not None and (not ballot_part or ballot_id is not None):
        if ballot_part and ballot_id != ballot.pk:
            raise BallotError(
                _("Paper No. %(serial)s belongs to ballot %(other)s, not to this one (%(this)s).")
                % {"serial": text, "other": ballot_part, "this": ballot.pk}
            )
        eligible = (
            EligibleHousehold.objects.filter(ballot=ballot, serial=number)
            .select_related("household__unit__building")
            .first()
        )
        if eligible is None:
            top = EligibleHousehold.objects.filter(ballot=ballot).aggregate(m=Max("serial"))["m"] or 0
            raise BallotError(
                _("No paper No. %(serial)s was printed for this ballot (numbers run from 1 to %(top)d).")
                % {"serial": text, "top": top}
            )
        return eligible, eligible.paper_serial
    return None, text
