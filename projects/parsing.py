"""The one place that turns text from a request or a file into integers, decimals and dates.

Why it exists: ``str.isdigit()`` is True for "²" and "①", which ``int()`` rejects, so
``int(x) if x.isdigit()`` is a server error waiting for a query string. ``Decimal`` accepts
"NaN", "Infinity" and "1e309", which no database column can hold. Each parser here returns
``None`` (or raises ``ValueError`` in its ``*_or_error`` form) for anything it cannot turn
into a value the database accepts, and never raises anything else.
"""

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Unicode decimal digits (\d): what int() reads, "１２" from a Chinese keyboard included,
# and not "²" or "①" (digits but not decimal digits).
_INT_RE = re.compile(r"[+-]?\d{1,30}")
_DECIMAL_RE = re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})")
_DATE_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")

DB_INT_MAX = 2**63 - 1  # the largest primary key or BigIntegerField value


def parse_int(text, *, low: int | None = None, high: int | None = None) -> int | None:
    """An integer between ``low`` and ``high`` (inclusive, when given), or None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    else:
        text = _clean(text)
        if not _INT_RE.fullmatch(text):
            return None
        value = int(text)
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def parse_id(text) -> int | None:
    """A primary key from a query string or a form: a positive integer the database can
    hold (PostgreSQL refuses 2**63 with a DataError), or None."""
    return parse_int(text, low=1, high=DB_INT_MAX)


def parse_decimal(
    text, *, max_digits: int | None = None, decimal_places: int | None = None, allow_thousands: bool = False
) -> Decimal | None:
    """A finite decimal written in plain digits ("85.5", "-3", ".5"), or None.

    No exponents ("1e309"), no NaN or Infinity. With ``decimal_places`` the value is
    rounded half up to that many places; with ``max_digits`` it must then fit a
    ``DecimalField(max_digits, decimal_places)``."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | Decimal):
        text = str(text)
    elif isinstance(text, float):  # a number cell of a workbook
        text = format(Decimal(repr(text)), "f") if math.isfinite(text) else ""
    text = _clean(text)
    if allow_thousands:
        text = text.replace(",", "").replace("，", "")
    if not _DECIMAL_RE.fullmatch(text):
        return None
    try:
        value = Decimal(text)
        if decimal_places is not None:
            value = value.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    if max_digits is not None:
        places = decimal_places or 0
        if abs(value) >= Decimal(10) ** (max_digits - places):
            return None
    return value


def parse_date(text) -> date | None:
    """A calendar date written 2026-12-01, 2026/12/1, 2026.12.01 or 2026年12月1日, or None."""
    if isinstance(text, date):
        return text
    match = _DATE_RE.fullmatch(_clean(text))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:  # 2026-02-30
        return None


def _clean(text) -> str:
    if text is None:
        return ""
    return str(text).strip()
