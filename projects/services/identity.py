"""Issuing, reissuing, revoking and checking household access codes.

The code:
- 12 characters from a 31-character alphabet with no look-alikes (no 0/O, 1/I/L), about
  59 bits, printed in three groups of four so it can be read out over the phone;
- stored only as HMAC-SHA256 keyed with ``SECRET_KEY`` (a plain hash of so short a string
  could be brute-forced offline from a database copy; the key keeps it useless without the
  server's secret). Rotating ``SECRET_KEY`` therefore invalidates every code: reissue
  letters afterwards. HMAC is also fast, so issuing 50,000 codes takes well under a second;
- typed however the resident likes: lower case, spaces, dashes and full-width characters
  from a Chinese input method are all accepted.

Checking is rate-limited with ``projects.ratelimit`` per client address, per code and
globally (see ``check_household_code``; ``HOUSEHOLD_CODE_WINDOW_SECONDS`` sets the window).
With several app servers the cache must be shared (Redis, ``REDIS_URL``) for the limits
to be global; ``check --deploy`` refuses otherwise. Every failure is written to
``HouseholdCodeAttempt`` with the address hashed.
"""

import functools
import hashlib
import hmac
import logging
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import ratelimit
from ..errors import ServiceError
from ..models import AttemptReason, Household, HouseholdCode, HouseholdCodeAttempt
from ..ratelimit import Limit

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
REISSUED = "reissued"
CHUNK = 900

logger = logging.getLogger(__name__)


def max_failures() -> int:
    return getattr(settings, "HOUSEHOLD_CODE_MAX_FAILURES", 10)


def failure_window_seconds() -> int:
    return getattr(settings, "HOUSEHOLD_CODE_WINDOW_SECONDS", 15 * 60)


_ACCEPT = 256 - 256 % len(ALPHABET)  # bytes at or above this would favour the first letters


def generate_code() -> str:
    """12 characters drawn uniformly from the alphabet with the OS's secure random source
    (one system call per code, bytes that would bias the draw are thrown away)."""
    chars: list[str] = []
    while len(chars) < CODE_LENGTH:
        chars.extend(ALPHABET[b % len(ALPHABET)] for b in secrets.token_bytes(2 * CODE_LENGTH) if b < _ACCEPT)
    return "".join(chars[:CODE_LENGTH])


def normalize_code(text: str) -> str:
    """Upper case, full-width folded to ASCII, separators dropped."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def format_code(code: str) -> str:
    """Groups of four for reading aloud: K7M39XPQR2TA → K7M3 9XPQ R2TA."""
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


@functools.lru_cache(maxsize=8)
def _keyed_prefix(secret: str, purpose: bytes):
    """HMAC state after the key and the purpose; copying it saves re-keying per code."""
    return hmac.new(secret.encode(), purpose, hashlib.sha256)


def _keyed(purpose: bytes, message: str) -> str:
    digest = _keyed_prefix(settings.SECRET_KEY, purpose).copy()
    digest.update(message.encode())
    return digest.hexdigest()


def hash_code(code: str) -> str:
    return _keyed(b"household-code:", code)


def hash_client(address: str) -> str:
    return _keyed(b"client-address:", address or "")


class CodeError(ServiceError):
    """A code entry that did not sign in; ``message`` is shown to the resident."""

    def __init__(self, message: str, *, blocked: bool = False):
        super().__init__(message, field="code")
        self.blocked = blocked


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued code. The plain code exists only here, for printing the letter."""

    household: Household
    code: str
    record: HouseholdCode

    @property
    def formatted(self) -> str:
        return format_code(self.code)


def issue_household_code(*, household: Household, by, now: datetime | None = None, code: str = "") -> IssuedCode:
    """Give ``household`` a new code; its previous code, if any, stops working at once.

    ``code`` fixes the code (demo data); it must be well formed and unused."""
    now = now or timezone.now()
    code = normalize_code(code) if code else generate_code()
    if not is_well_formed(code):
        raise ValueError("a household code has 12 characters from the code alphabet")
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        HouseholdCode.objects.filter(household=household, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revoke_reason=REISSUED
        )
        record = HouseholdCode.objects.create(
            household=household, code_hash=hash_code(code), last4=code[-4:], issued_at=now, issued_by=by
        )
    return IssuedCode(household=household, code=code, record=record)


def issue_household_codes(
    *, households: Iterable[Household], by, replace: bool, now: datetime | None = None
) -> list[IssuedCode]:
    """Issue codes for many households in a few bulk statements (a building's letters, or
    every household of a district). ``replace`` reissues households that already have a
    code; otherwise they are skipped. Returns what was issued, in the given order."""
    now = now or timezone.now()
    households = list(households)
    ids = [h.pk for h in households]
    with transaction.atomic():
        skip = set()
        for start in range(0, len(ids), CHUNK):  # SQLite caps the parameters of one statement
            chunk = ids[start : start + CHUNK]
            list(Household.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
            active = HouseholdCode.objects.filter(household_id__in=chunk, revoked_at__isnull=True)
            if replace:
                active.update(revoked_at=now, revoked_by=by, revoke_reason=REISSUED)
            else:
                skip.update(active.values_list("household_id", flat=True))
        targets = [h for h in households if h.pk not in skip]
        for _attempt in range(3):
            issued = [(h, generate_code()) for h in targets]
            records = [
                HouseholdCode(household=h, code_hash=hash_code(c), last4=c[-4:], issued_at=now, issued_by=by)
                for h, c in issued
            ]
            try:
                with transaction.atomic():
                    HouseholdCode.objects.bulk_create(records, batch_size=CHUNK)
                break
            except IntegrityError:  # a 1-in-10^17 hash collision: draw the whole batch again
                continue
        else:
            raise IntegrityError("could not draw unique household codes")
    return [IssuedCode(household=h, code=c, record=r) for (h, c), r in zip(issued, records, strict=True)]


def revoke_household_code(*, household: Household, by, reason: str, now: datetime | None = None) -> int:
    """Stop the household's code from working (lost letter, moved out). Returns how many
    codes were revoked (0 when it had none)."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValueError("a revocation needs a reason")
    with transaction.atomic():
        return HouseholdCode.objects.filter(household=household, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revoke_reason=reason[:200]
        )


def address_limit() -> Limit:
    return Limit("household-code-address", max_failures(), failure_window_seconds())


def code_limit() -> Limit:
    return Limit(
        "household-code-target", getattr(settings, "HOUSEHOLD_CODE_MAX_NEAR_MISSES", 10), failure_window_seconds()
    )


def alarm_limit() -> Limit:
    return Limit(
        "household-code-global",
        getattr(settings, "HOUSEHOLD_CODE_ALARM_FAILURES", 100),
        getattr(settings, "HOUSEHOLD_CODE_ALARM_WINDOW_SECONDS", 10 * 60),
    )


def failures_from(ip_hash: str) -> int:
    return ratelimit.count(address_limit(), ip_hash)


def failure_alarm() -> int | None:
    """The number of failed entries in the current alarm window when it has reached the
    alarm threshold (shown to staff on the codes page), else None."""
    limit = alarm_limit()
    seen = ratelimit.count(limit, "all")
    return seen if seen >= limit.max_hits else None


def near_misses(code: str) -> list[str]:
    """Hashes of every code one slip away from ``code``: one character replaced (360) or
    two neighbours swapped (11). One indexed ``IN`` query over them finds the real code a
    resident meant; a random guess lands next to one of 50,000 codes about once in 10^10."""
    variants = set()
    for i, ch in enumerate(code):
        for other in ALPHABET:
            if other != ch:
                variants.add(code[:i] + other + code[i + 1 :])
        if i + 1 < len(code) and code[i + 1] != ch:
            variants.add(code[:i] + code[i + 1] + ch + code[i + 2 :])
    return [hash_code(v) for v in variants]


def _log_attempt(*, ip_hash: str, reason: str, user_agent: str, now: datetime) -> None:
    HouseholdCodeAttempt.objects.create(
        attempted_at=now, ip_hash=ip_hash, reason=reason, user_agent=(user_agent or "")[:200]
    )
    if reason == AttemptReason.BLOCKED:
        return
    limit = alarm_limit()
    if ratelimit.hit(limit, "all") == limit.max_hits:  # exactly once per window
        logger.warning(
            "household codes: %d failed entries within %d s from all addresses; possible distributed guessing",
            limit.max_hits,
            limit.window_seconds,
        )


def blocked_message() -> str:
    minutes = max(1, failure_window_seconds() // 60)
    return _(
        "Too many wrong codes were entered from this device or network. For the safety of every household, "
        "code entry is paused for %(minutes)d minutes. If you have lost your letter, the community office "
        "will give you a new code."
    ) % {"minutes": minutes}


def code_paused_message() -> str:
    minutes = max(1, failure_window_seconds() // 60)
    return _(
        "This code was entered wrongly too many times. For the household's safety it is paused for "
        "%(minutes)d minutes. The community office can give you a new code."
    ) % {"minutes": minutes}


def check_household_code(
    *, raw_code: str, client_address: str, user_agent: str = "", now: datetime | None = None
) -> HouseholdCode:
    """The active code record for ``raw_code``, or ``CodeError`` with a message for the
    resident. A wrong code and a revoked code read the same to the client (nothing to
    learn from the difference); the log tells them apart for staff.

    Three limits, so that guessing is stopped without punishing neighbours' typos:

    - **Per address**, ``HOUSEHOLD_CODE_MAX_FAILURES`` (10) per 15 minutes, counting only
      what could be a guess: a well-formed code that is neither a slip of a real code nor
      one already tried from this address in the window. Ten households behind one office
      Wi-Fi or carrier NAT who each mistype their own code are therefore not blocked: a
      wrong length or a letter outside the alphabet can never sign in (malformed, not
      counted), one replaced or swapped character lands next to the real code (a near miss,
      counted against that code instead), and retyping the same wrong code counts once.
      A guesser's random codes are all distinct and almost never near a real one, so the
      cap on guesses is unchanged.
    - **Per code**, ``HOUSEHOLD_CODE_MAX_NEAR_MISSES`` (10) near misses per 15 minutes
      around one real code, from any number of addresses. Someone who has most of a
      letter (a photo, a glance) cannot try its neighbours from many addresses: after the
      cap the code itself is paused too, and its near misses count per address again.
      Revoked codes count here as well.
    - **Globally**, a warning is logged (and shown on the staff codes page) when failures
      from all addresses reach ``HOUSEHOLD_CODE_ALARM_FAILURES`` (100) within
      ``HOUSEHOLD_CODE_ALARM_WINDOW_SECONDS`` (10 minutes): many addresses each staying
      under their own cap is what a distributed guesser looks like.
    """
    now = now or timezone.now()
    ip_hash = hash_client(client_address)
    per_address = address_limit()
    if ratelimit.is_limited(per_address, ip_hash):
        _log_attempt(ip_hash=ip_hash, reason=AttemptReason.BLOCKED, user_agent=user_agent, now=now)
        raise CodeError(blocked_message(), blocked=True)

    code = normalize_code(raw_code)
    if not is_well_formed(code):
        _log_attempt(ip_hash=ip_hash, reason=AttemptReason.MALFORMED, user_agent=user_agent, now=now)
        raise CodeError(
            _(
                "A household code has 12 letters and digits, like K7M3 9XPQ R2TA. It never contains "
                "0, O, 1, I or L. Please check the letter and try again."
            )
        )
    code_hash = hash_code(code)
    per_code = code_limit()
    if ratelimit.is_limited(per_code, code_hash):
        _log_attempt(ip_hash=ip_hash, reason=AttemptReason.BLOCKED, user_agent=user_agent, now=now)
        raise CodeError(code_paused_message(), blocked=True)
    record = (
        HouseholdCode.objects.select_related("household__unit__building__compound__community")
        .filter(code_hash=code_hash)
        .first()
    )
    if record is not None and record.is_active:
        HouseholdCode.objects.filter(pk=record.pk).update(last_used_at=now)
        return record

    reason = AttemptReason.UNKNOWN if record is None else AttemptReason.REVOKED
    _log_attempt(ip_hash=ip_hash, reason=reason, user_agent=user_agent, now=now)
    target = code_hash if record is not None else None
    if target is None:
        target = (
            HouseholdCode.objects.filter(code_hash__in=near_misses(code))
            .order_by("revoked_at")
            .values_list("code_hash", flat=True)
            .first()
        )
    if target is not None and not ratelimit.is_limited(per_code, target):
        ratelimit.hit(per_code, target)
    elif ratelimit.hit_distinct(per_address, ip_hash, code_hash) >= per_address.max_hits:
        raise CodeError(blocked_message(), blocked=True)
    raise CodeError(
        _(
            "This code is not valid. Check it against your letter; if your household was given a new "
            "letter, only the newest code works."
        )
    )
