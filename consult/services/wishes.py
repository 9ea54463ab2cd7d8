"""Every write to the wish list: submission (online or by staff), triage, merging, support.

Each function takes keyword-only arguments and ``now=`` (tests set the clock), runs in one
transaction, and leaves an append-only trace: ``WishStatusChange`` for the wish, and
withdrawn (never deleted) ``Support`` rows for support. The one-support-per-household rule
is held three times over: the wish row is locked while support is checked and written, the
database refuses a second active support, and that refusal is turned into the same polite
answer as the check.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError
from projects.lifecycle import Change, Lifecycle
from projects.models import Building, Channel, Compound, Household, Project
from projects.services.entries import check_entry
from projects.services.model_update import model_update
from projects.validators import normalise_phone, validate_phone

from ..models import Meeting, Support, Wish, WishPhoto, WishStatus, WishStatusChange, WithdrawalReason
from ..receipts import new_receipt_code
from ..wish_lifecycle import RESPONSE_REQUIRED, TABLE, accepts_support, default_response

MAX_PHOTOS = 3
MAX_MERGE_CHAIN = 20


class AlreadySupported(ServiceError):
    def __init__(self):
        super().__init__(_("Your household already supports this wish."), code="already_supported")


class NotSupported(ServiceError):
    def __init__(self):
        super().__init__(_("Your household does not support this wish."), code="not_supported")


class SupportClosed(ServiceError):
    def __init__(self):
        super().__init__(_("This wish is closed and cannot be supported any more."), code="closed")


class NotYourCompound(ServiceError):
    def __init__(self):
        super().__init__(_("Only households of this compound can support its wishes."), code="other_compound")


def _household_compound_id(household: Household) -> int:
    return Household.objects.filter(pk=household.pk).values_list("unit__building__compound_id", flat=True).get()


def check_wish_submission(
    *,
    compound: Compound,
    title: str,
    channel: str,
    building: Building | None,
    household: Household | None,
    contact_phone: str,
    meeting: Meeting | None,
    photos,
    entered_by,
) -> None:
    """Raise ``ValidationError`` (with field names where there is one) when the wish cannot be saved."""
    check_entry(channel=channel, entered_by=entered_by)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors.setdefault("title", []).append(_("Say briefly what you would like improved."))
    if building is not None and building.compound_id != compound.pk:
        errors.setdefault("building", []).append(_("This building is not in the compound."))
    if household is not None and _household_compound_id(household) != compound.pk:
        errors.setdefault("household", []).append(_("This household does not live in the compound."))
    if meeting is not None and meeting.community_id != compound.community_id:
        errors.setdefault("meeting", []).append(_("This meeting belongs to another community."))
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    if channel == Channel.ONLINE and household is None and not contact_phone:
        errors.setdefault("contact_phone", []).append(
            _("Leave a phone number so the community can reach you, or enter your household code first.")
        )
    if contact_phone:
        try:
            validate_phone(contact_phone)
        except ValidationError as error:
            errors.setdefault("contact_phone", []).extend(error.messages)
    if errors:
        raise ServiceError(errors)


def _unused_receipt_code() -> str:
    for _attempt in range(20):
        code = new_receipt_code()
        if not Wish.objects.filter(receipt_code=code).exists():
            return code
    raise RuntimeError("no free receipt code after 20 attempts")  # 18**10 codes: only a broken RNG gets here


def _save_with_receipt_code(wish: Wish) -> None:
    """Insert the wish; on the astronomically rare race for the same new code, draw again."""
    for _attempt in range(5):
        if wish.receipt_code is not None:
            wish.receipt_code = _unused_receipt_code()
        try:
            with transaction.atomic():
                wish.save(force_insert=True)
            return
        except IntegrityError:
            if wish.receipt_code is None or not Wish.objects.filter(receipt_code=wish.receipt_code).exists():
                raise
    raise RuntimeError("could not store a unique receipt code")


def wish_submit(
    *,
    compound: Compound,
    title: str,
    category: str,
    channel: str,
    description: str = "",
    building: Building | None = None,
    location: str = "",
    household: Household | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    meeting: Meeting | None = None,
    paper_reference: str = "",
    photos=(),
    entered_by=None,
    now=None,
) -> Wish:
    """Record a wish. ``photos`` are files already cleaned by ``projects.photos`` (``PhotosField``).

    The submitting household backs its own wish: when staff merge the 40 questionnaires that
    ask for the same lift, the lift's support then says how many households asked. A wish
    with a phone but no household gets a receipt code to check its status later."""
    now = now or timezone.now()
    contact_phone = normalise_phone(contact_phone)
    photos = list(photos)
    check_wish_submission(
        compound=compound,
        title=title,
        channel=channel,
        building=building,
        household=household,
        contact_phone=contact_phone,
        meeting=meeting,
        photos=photos,
        entered_by=entered_by,
    )
    with transaction.atomic():
        wish = Wish(
            community_id=compound.community_id,
            compound=compound,
            building=building,
            location=location.strip(),
            title=title.strip(),
            description=description.strip(),
            category=category,
            channel=channel,
            household=household,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone,
            receipt_code="" if household is None and contact_phone else None,
            paper_reference=paper_reference.strip(),
            meeting=meeting,
            entered_by=entered_by,
            submitted_at=now,
            updated_at=now,
        )
        wish.full_clean(exclude=["receipt_code", "community", "compound", "entered_by"])
        _save_with_receipt_code(wish)
        WishStatusChange.objects.create(
            wish=wish, from_status="", to_status=WishStatus.SUBMITTED, changed_by=entered_by, changed_at=now
        )
        for photo in photos:
            WishPhoto.objects.create(wish=wish, image=photo, uploaded_at=now)
        if household is not None:
            Support.objects.create(
                wish=wish,
                household=household,
                channel=channel,
                entered_by=entered_by,
                paper_reference=wish.paper_reference,
                created_at=now,
            )
            _count_supports(wish, +1)
    return wish


def _count_supports(wish: Wish, delta: int) -> None:
    """Keep ``Wish.support_count`` in step with the Support rows just written, in the same
    transaction and under the wish's row lock the caller holds (an F() update, so two
    writers can never lose each other's change). The in-memory copy follows too."""
    if delta:
        Wish.objects.filter(pk=wish.pk).update(support_count=F("support_count") + delta)
        wish.support_count += delta


# --- triage ---------------------------------------------------------------------------


def _apply_triage(change: Change) -> list[str]:
    """What goes with the new status: the project of a plan, the merge (support carried over,
    a note on the target) or its undoing. Runs under the locks the transition took."""
    current, from_status, to_status, by, now = change.obj, change.from_state, change.to_state, change.by, change.now
    project, merge_into = change.extra["project"], change.extra["merge_into"]
    locked = change.locked
    if current.merged_into_id and current.merged_into_id not in locked:  # the caller's copy was stale
        locked[current.merged_into_id] = Wish.objects.select_for_update().get(pk=current.merged_into_id)
    related = None
    if to_status == WishStatus.PLANNED:
        if project is None or project.community_id != current.community_id:
            raise ServiceError({"project": _("Choose a project of this community.")})
        current.project = project
    elif to_status in (WishStatus.ACCEPTED, WishStatus.DECLINED, WishStatus.MERGED):
        current.project = None
    if from_status == WishStatus.MERGED:
        related = locked[current.merged_into_id]
        restored = _uncarry_supports(source=current, target=related, by=by, now=now)
        current.merged_into = None
        WishStatusChange.objects.create(
            wish=related,
            from_status=related.status,
            to_status=related.status,
            response=_("Wish No. %(number)d was separated from this one again; %(count)d supports went back to it.")
            % {"number": current.pk, "count": restored},
            related_wish=current,
            changed_by=by,
            changed_at=now,
        )
    if to_status == WishStatus.MERGED:
        related = locked.get(merge_into.pk) if merge_into is not None else None
        _check_merge_target(current, related)
        carried, duplicates = _carry_supports(source=current, target=related, by=by, now=now)
        current.merged_into = related
        WishStatusChange.objects.create(
            wish=related,
            from_status=related.status,
            to_status=related.status,
            response=_(
                "Wish No. %(number)d asked for the same thing and was merged into this one; "
                "%(count)d supports were carried over."
            )
            % {"number": current.pk, "count": carried},
            note=_("%(n)d households supported both wishes and are counted once.") % {"n": duplicates}
            if duplicates
            else "",
            related_wish=current,
            changed_by=by,
            changed_at=now,
        )
        related.updated_at = now
        related.save(update_fields=["updated_at"])
    change.extra["related"] = related
    current.updated_at = now
    return ["project", "merged_into", "updated_at"]


def _record(change: Change) -> WishStatusChange:
    wish = change.obj
    return WishStatusChange.objects.create(
        wish=wish,
        from_status=change.from_state,
        to_status=change.to_state,
        response=change.extra["response"],
        note=change.note,
        project=wish.project if change.to_state == WishStatus.PLANNED else None,
        related_wish=change.extra["related"],
        changed_by=change.by,
        changed_at=change.now,
    )


WISHES = Lifecycle(
    name="wish", model=Wish, table=TABLE, record=_record, error=functools.partial(ServiceError, code="transition")
)


def wish_change_status(
    *,
    wish: Wish,
    to_status: str,
    by,
    response: str = "",
    note: str = "",
    project: Project | None = None,
    merge_into: Wish | None = None,
    now=None,
) -> WishStatusChange:
    """Move a wish on in its life cycle with a public response the submitter reads.

    An empty response gets the standard wording for the new status; a decline needs a
    reason written for the person who asked. Merging carries the support over (see
    ``_carry_supports``); moving a merged wish back to "accepted" undoes the merge. The
    rows of both wishes of a merge are locked in primary-key order, so two merges of the
    same pair cannot deadlock."""
    response = (response or "").strip() or default_response(to_status)
    if to_status in RESPONSE_REQUIRED and not response:
        raise ServiceError({"response": _("Write the reason the submitter and the neighbours will read.")})
    return WISHES.transition(
        wish,
        to_status,
        by=by,
        note=note.strip(),
        now=now or timezone.now(),
        lock_also=[merge_into.pk if merge_into is not None else None, wish.merged_into_id],
        apply=_apply_triage,
        response=response,
        project=project,
        merge_into=merge_into,
    )


def _check_merge_target(source: Wish, target: Wish | None) -> None:
    if target is None:
        raise ServiceError({"merge_into": _("Enter the number of the wish to merge into.")})
    if target.pk == source.pk:
        raise ServiceError({"merge_into": _("A wish cannot be merged into itself.")})
    if target.community_id != source.community_id:
        raise ServiceError({"merge_into": _("That wish belongs to another community.")})
    if target.status == WishStatus.MERGED:
        raise ServiceError(
            {
                "merge_into": _("Wish No. %(number)d was itself merged into No. %(target)d; merge into that one.")
                % {"number": target.pk, "target": target.merged_into_id}
            }
        )
    if target.status == WishStatus.DECLINED:
        raise ServiceError({"merge_into": _("That wish was declined; decline this one with a reason instead.")})


def _carry_supports(*, source: Wish, target: Wish, by, now) -> tuple[int, int]:
    """Move the active support of ``source`` to ``target``; a household backing both counts once.

    Returns (supports carried over, duplicates collapsed). The source rows are withdrawn with
    reason ``merged``, so undoing the merge knows what to give back."""
    active = list(Support.objects.filter(wish=source, withdrawn_at__isnull=True))
    already = set(
        Support.objects.filter(
            wish=target, withdrawn_at__isnull=True, household_id__in=[s.household_id for s in active]
        ).values_list("household_id", flat=True)
    )
    Support.objects.filter(pk__in=[s.pk for s in active]).update(
        withdrawn_at=now, withdrawn_by=by, withdrawal_reason=WithdrawalReason.MERGED
    )
    carried = [
        Support(
            wish=target,
            household_id=s.household_id,
            channel=s.channel,
            entered_by_id=s.entered_by_id,
            paper_reference=s.paper_reference,
            carried_from=source,
            created_at=s.created_at,
        )
        for s in active
        if s.household_id not in already
    ]
    Support.objects.bulk_create(carried)
    _count_supports(source, -len(active))
    _count_supports(target, len(carried))
    return len(carried), len(active) - len(carried)


def _uncarry_supports(*, source: Wish, target: Wish, by, now) -> int:
    """Undo a merge: households that still back the target get their support on ``source``
    back, and the copies the merge made on the target are withdrawn. Returns how many."""
    merged_away: dict[int, Support] = {}
    for s in Support.objects.filter(wish=source, withdrawal_reason=WithdrawalReason.MERGED).order_by("withdrawn_at"):
        merged_away[s.household_id] = s  # the latest merge wins
    active_on_source = set(
        Support.objects.filter(wish=source, withdrawn_at__isnull=True).values_list("household_id", flat=True)
    )
    still_backing = {
        s.household_id: s
        for s in Support.objects.filter(
            wish=target, withdrawn_at__isnull=True, household_id__in=list(merged_away)
        ).exclude(household_id__in=active_on_source)
    }
    withdrawn = Support.objects.filter(
        pk__in=[s.pk for s in still_backing.values() if s.carried_from_id == source.pk]
    ).update(withdrawn_at=now, withdrawn_by=by, withdrawal_reason=WithdrawalReason.UNMERGED)
    restored = [
        Support(
            wish=source,
            household_id=household_id,
            channel=merged_away[household_id].channel,
            entered_by_id=merged_away[household_id].entered_by_id,
            paper_reference=merged_away[household_id].paper_reference,
            carried_from_id=merged_away[household_id].carried_from_id,
            created_at=merged_away[household_id].created_at,
        )
        for household_id in still_backing
    ]
    Support.objects.bulk_create(restored)
    _count_supports(target, -withdrawn)
    _count_supports(source, len(restored))
    return len(restored)


# --- support ----------------------------------------------------------------------------


def _lock_open_end_of_chain(wish: Wish) -> Wish:
    """Lock the wish support should go to: the wish itself, or where it was merged."""
    current = Wish.objects.select_for_update().get(pk=wish.pk)
    for _step in range(MAX_MERGE_CHAIN):
        if current.status != WishStatus.MERGED:
            return current
        current = Wish.objects.select_for_update().get(pk=current.merged_into_id)
    raise ServiceError(_("This wish was merged too many times over; ask the community office."), code="chain")


def support_add(
    *,
    wish: Wish,
    household: Household,
    channel: str = Channel.ONLINE,
    entered_by=None,
    paper_reference: str = "",
    now=None,
) -> Support:
    """One household backs a wish (online, or recorded by staff from paper or a meeting).

    Support given to a merged wish goes to the wish it was merged into."""
    now = now or timezone.now()
    check_entry(channel=channel, entered_by=entered_by)
    household_compound = _household_compound_id(household)
    with transaction.atomic():
        target = _lock_open_end_of_chain(wish)
        if household_compound not in (wish.compound_id, target.compound_id):
            raise NotYourCompound()
        if not accepts_support(target.status):
            raise SupportClosed()
        if Support.objects.filter(wish=target, household=household, withdrawn_at__isnull=True).exists():
            raise AlreadySupported()
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    wish=target,
                    household=household,
                    channel=channel,
                    entered_by=entered_by,
                    paper_reference=paper_reference.strip(),
                    created_at=now,
                )
        except IntegrityError as error:
            # The partial unique constraint is the last word; report it like the check above.
            raise AlreadySupported() from error
        _count_supports(target, +1)
        return support


def support_withdraw(*, wish: Wish, household: Household, by=None, now=None) -> Support:
    """Take a household's support back: by the household online (``by`` empty) or by staff
    for a resident who asked in person. The row stays, marked withdrawn."""
    now = now or timezone.now()
    with transaction.atomic():
        target = _lock_open_end_of_chain(wish)
        support = (
            Support.objects.select_for_update()
            .filter(wish=target, household=household, withdrawn_at__isnull=True)
            .first()
        )
        if support is None:
            raise NotSupported()
        support.withdrawn_at = now
        support.withdrawn_by = by
        support.withdrawal_reason = WithdrawalReason.BY_STAFF if by is not None else WithdrawalReason.BY_HOUSEHOLD
        support.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        _count_supports(target, -1)
    return support


# --- corrections ------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "building",
    "location",
    "contact_name",
    "contact_phone",
    "paper_reference",
    "meeting",
)
_PERSONAL_FIELDS = {"contact_name", "contact_phone"}


def wish_update(*, wish: Wish, by, data: dict, remove_photos=(), add_photos=(), now=None) -> WishStatusChange | None:
    """Correct what was typed or uploaded (typos, wrong category, a photo showing a face).

    The correction is logged for staff with the fields changed; personal fields are logged
    by name only, so the history does not become a second copy of the phone number."""
    now = now or timezone.now()
    remove_ids = {p.pk for p in remove_photos}
    add_photos = list(add_photos)
    data = {field: value.strip() if isinstance(value, str) else value for field, value in data.items()}
    if "contact_phone" in data:
        data["contact_phone"] = normalise_phone(data["contact_phone"])
    if data.get("building") is not None and data["building"].compound_id != wish.compound_id:
        raise ServiceError({"building": _("This building is not in the compound.")})
    if data.get("meeting") is not None and data["meeting"].community_id != wish.community_id:
        raise ServiceError({"meeting": _("This meeting belongs to another community.")})
    removed = []

    def check_photos(locked: Wish) -> None:
        kept = locked.photos.exclude(pk__in=remove_ids).count()
        if kept + len(add_photos) > MAX_PHOTOS:
            raise ServiceError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, field="add_photos")
        removed.extend(locked.photos.filter(pk__in=remove_ids))

    def log(locked: Wish, diff: dict) -> WishStatusChange:
        changed = []
        for field, (old, new) in diff.items():
            label = str(Wish._meta.get_field(field).verbose_name)
            changed.append(label if field in _PERSONAL_FIELDS else f"{label}: {old or '—'} → {new or '—'}")
        if removed:
            changed.append(_("%(n)d photo(s) removed") % {"n": len(removed)})
        if add_photos:
            changed.append(_("%(n)d photo(s) added") % {"n": len(add_photos)})
        for photo in removed:
            storage, name = photo.image.storage, photo.image.name
            photo.delete()
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        for photo in add_photos:
            WishPhoto.objects.create(wish=locked, image=photo, uploaded_at=now)
        return WishStatusChange.objects.create(
            wish=locked,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Corrected: %(fields)s") % {"fields": "; ".join(changed)},
            changed_by=by,
            changed_at=now,
        )

    return model_update(
        wish,
        EDITABLE_FIELDS,
        data,
        history=log,
        clean_exclude=["receipt_code", "community", "compound", "entered_by"],
        touch={"updated_at": now},
        check=check_photos,
        force=bool(remove_ids and wish.photos.filter(pk__in=remove_ids).exists()) or bool(add_photos),
    )
