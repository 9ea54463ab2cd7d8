"""Recording and revoking written authorisations (委托书), and the one check that a ballot
may be cast under one (see ``consult.models.proxies`` for why they are kept this way).

Revoking and casting are ordered by a row lock on the authorisation: ``cast_ballot`` locks
it before it checks it is in force, and ``proxy_revoke`` locks it before it sets the revoke
fields, so a ballot is never recorded under an authorisation revoked a moment before.
"""

from datetime import date, datetime

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError
from projects.models import Household, Owner, Ownership

from ..models import Ballot, BallotStatus, EligibleHousehold, ProxyAuthorisation, ProxyScope


class ProxyError(ServiceError):
    """A refused authorisation, revocation or ballot under an authorisation."""


def proxy_authorise(
    *,
    household: Household,
    grantor_name: str,
    proxy_name: str,
    number: str,
    signed_on: date,
    by,
    grantor: Owner | None = None,
    proxy_phone: str = "",
    ballot: Ballot | None = None,
    photo: File | None = None,
    note: str = "",
    now: datetime | None = None,
) -> ProxyAuthorisation:
    """Record a written authorisation as it is written on the paper. ``grantor`` is the owner
    who signed it: one of the household's recorded owners, required when it has any;
    ``grantor_name`` defaults to that owner's name. ``ballot`` limits it to that ballot;
    without it, it covers every ballot of the household until revoked."""
    now = now or timezone.now()
    grantor_name, proxy_name, number = grantor_name.strip(), proxy_name.strip(), number.strip()
    errors = {}
    owners = Ownership.objects.filter(household=household)
    if grantor is not None and not owners.filter(owner=grantor).exists():
        errors["grantor"] = _("%(owner)s is not a recorded owner of this household.") % {"owner": grantor.name}
    elif grantor is None and owners.exists():
        errors["grantor"] = _("Choose which of the household's owners signed the authorisation.")
    elif grantor is not None and not grantor_name:
        grantor_name = grantor.name
    if not grantor_name and "grantor" not in errors:
        errors["grantor_name"] = _("Write the name of the owner who signed the authorisation.")
    if not proxy_name:
        errors["proxy_name"] = _("Write the name of the authorised person.")
    if not number:
        errors["number"] = _("Write the number of the authorisation.")
    if signed_on > timezone.localdate(now):
        errors["signed_on"] = _("The date of the authorisation cannot be in the future.")
    if ballot is not None:
        community_id = household.unit.building.compound.community_id
        if ballot.community_id != community_id:
            errors["ballot"] = _("That ballot belongs to another community.")
        elif ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
            errors["ballot"] = _("That ballot is no longer taking votes.")
        elif (
            ballot.status == BallotStatus.OPEN
            and not EligibleHousehold.objects.filter(ballot=ballot, household=household).exists()
        ):
            errors["ballot"] = _("This household does not vote on that ballot.")
    if errors:
        raise ProxyError(errors)
    authorisation = ProxyAuthorisation(
        household=household,
        grantor=grantor,
        grantor_name=grantor_name[:100],
        proxy_name=proxy_name[:100],
        proxy_phone=proxy_phone.strip()[:30],
        number=number[:50],
        signed_on=signed_on,
        scope=ProxyScope.BALLOT if ballot is not None else ProxyScope.GENERAL,
        ballot=ballot,
        note=note.strip()[:300],
        entered_by=by,
        entered_at=now,
    )
    if photo:
        authorisation.photo = photo
    try:
        with transaction.atomic():
            authorisation.save()  # writes the photo too, under a random name; the row says who and when
    except IntegrityError as error:
        raise ProxyError(
            _("Authorisation No. %(number)s is already recorded for this household.") % {"number": number},
            field="number",
        ) from error
    return authorisation


def proxy_revoke(*, authorisation: ProxyAuthorisation, by, reason: str, now: datetime | None = None):
    """Revoke an authorisation: the one change its row ever takes. Ballots cast under it
    before now stay valid; none may be cast under it afterwards."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ProxyError(_("Give the reason for revoking the authorisation."), field="reason")
    with transaction.atomic():
        locked = ProxyAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if locked.revoked_at is not None:
            raise ProxyError(
                _("This authorisation was already revoked on %(date)s.")
                % {"date": f"{timezone.localtime(locked.revoked_at):%Y-%m-%d %H:%M}"}
            )
        locked.revoked_at = now
        locked.revoked_by = by
        locked.revoke_reason = reason[:300]
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return locked


def lock_proxy_for_cast(
    *, proxy: ProxyAuthorisation, ballot: Ballot, household: Household, cast_on: date
) -> ProxyAuthorisation:
    """Inside the cast's transaction: lock the authorisation and refuse it unless it is in
    force, for this household, covers this ballot and was signed by the day the ballot was
    filled in (``cast_on``: the date on the paper, else the day it is entered)."""
    locked = ProxyAuthorisation.objects.select_for_update().get(pk=proxy.pk)
    if locked.household_id != household.pk:
        raise ProxyError(
            _("Authorisation No. %(number)s was given for another household, not for %(household)s.")
            % {"number": locked.number, "household": household},
            field="proxy",
        )
    if locked.revoked_at is not None:
        raise ProxyError(
            _("Authorisation No. %(number)s was revoked on %(date)s; no ballot may be cast under it.")
            % {"number": locked.number, "date": f"{timezone.localtime(locked.revoked_at):%Y-%m-%d}"},
            field="proxy",
        )
    if locked.scope == ProxyScope.BALLOT and locked.ballot_id != ballot.pk:
        raise ProxyError(
            _("Authorisation No. %(number)s covers another ballot only.") % {"number": locked.number},
            field="proxy",
        )
    if locked.signed_on > cast_on:
        raise ProxyError(
            _("Authorisation No. %(number)s is dated %(date)s, after this ballot was filled in.")
            % {"number": locked.number, "date": locked.signed_on.isoformat()},
            field="proxy",
        )
    return locked
