"""Check and normalise the rows of a roster file. No database: the caller passes the
community's compound names, so the rules can be tested as a table.

Each problem is kept as a code with its parameters (``{"code": "area_not_positive"}``), not
as a sentence, so the preview shows it in whatever language the reader has chosen.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..models import Building, Household, Owner, Unit
from ..parsing import parse_decimal, parse_int
from ..services.owners import OwnerSpec
from ..validators import PHONE_RE, normalise_phone
from .columns import (
    AREA_SOURCE_WORDS,
    FLAG_KEYS,
    FLAG_WORDS,
    KIND_LABELS,
    KIND_WORDS,
    NO,
    OWNER_KIND_WORDS,
    YES,
    column_label,
)
from .reader import RosterTable

MAX_AREA = Decimal("9999999.99")  # Household.area: 9 digits, 2 decimals
FLOOR_RANGE = (-5, 200)
_AREA_UNITS = re.compile(r"(㎡|m²|m2|平方米|平米|平方)$", re.IGNORECASE)
_FLOOR_SUFFIX = re.compile(r"(层|楼|f)$", re.IGNORECASE)

MESSAGES = {
    "missing": _("“%(column)s” is empty."),
    "too_long": _("“%(column)s” is longer than %(limit)s characters."),
    "date": _("Excel turned “%(column)s” into a date (%(value)s). Format the column as text and type the value again."),
    "unknown_compound": _(
        "Compound “%(value)s” is not in this community's registry. Check the spelling, or ask the "
        "administrator to add the compound first."
    ),
    "foreign_compound": _(
        "Compound “%(value)s” belongs to another community. Only this community's compounds can be imported here."
    ),
    "area_not_number": _("Area “%(value)s” is not a number."),
    "area_not_positive": _("Area must be greater than 0 (it is %(value)s)."),
    "area_too_large": _("Area %(value)s m² is too large; check the decimal point."),
    "floor_not_integer": _("Floor “%(value)s” is not a whole number."),
    "floor_missing": _("Floor is empty and cannot be read from room number “%(value)s”."),
    "floor_out_of_range": _("Floor %(value)s is out of range (%(low)s to %(high)s)."),
    "unknown_kind": _("Kind “%(value)s” is unknown; write %(residential)s or %(shop)s."),
    "unknown_owner_kind": _("Owner kind “%(value)s” is unknown; write 个人, 产权单位 or 建设单位."),
    "unknown_area_source": _("Area source “%(value)s” is unknown; write 不动产登记簿, 测绘, 合同 or 不详."),
    "owner_kind_without_names": _("“%(column)s” is filled but no owner name is given."),
    "reference_needs_one_name": _("An owner number identifies one person: write exactly one owner name."),
    "phone_malformed": _(
        "Phone “%(value)s” is not valid: enter an 11-digit mobile number or a landline such as 010-12345678."
    ),
    "phone_masked": _("Phone “%(value)s” is masked; enter the full number or leave the cell empty."),
    "bad_flag": _("“%(column)s” is “%(value)s”; write %(yes)s or %(no)s, or leave it empty."),
    "duplicate_room": _("Same compound, building, unit and room as row %(other)s."),
}


def describe(error: dict) -> str:
    """The sentence for one stored problem, in the active language."""
    params = dict(error)
    code = params.pop("code")
    if "column" in params:
        params["column"] = column_label(params["column"])
    params.setdefault("residential", KIND_LABELS["residential"])
    params.setdefault("shop", KIND_LABELS["shop"])
    params.setdefault("yes", YES)
    params.setdefault("no", NO)
    return str(MESSAGES[code]) % params


WARNINGS = {
    "leading_zero": _(
        "Room %(room)s: other rooms of %(building)s are written with a leading zero, such as %(like)s. "
        "A spreadsheet may have dropped the zero (LibreOffice, WPS and CSV files do). If so, format the "
        "room column as text, correct the rooms and upload the file again; otherwise %(room)s is created "
        "as a new household."
    ),
}


def describe_warning(warning: dict) -> str:
    params = dict(warning)
    return str(WARNINGS[params.pop("code")]) % params


@dataclass
class CheckedRow:
    number: int  # the row number the office sees in Excel
    raw: dict[str, str]  # column key → the cell as text
    values: dict = field(default_factory=dict)  # normalised, JSON-safe; complete only without errors
    errors: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str, str] | None:
        """(compound, building, unit, room): a household's identity within the community."""
        parts = tuple(self.values.get(name) for name in ("compound", "building", "unit", "room"))
        return parts if all(parts) else None


@dataclass
class CheckedFile:
    rows: list[CheckedRow]

    @property
    def error_rows(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.errors]


def compound_names(table: RosterTable) -> set[str]:
    """The compound names a file mentions, for looking them up in one query."""
    index = table.columns["compound"]
    return {_text(cells[index]) for _, cells in table.rows if index < len(cells)} - {""}


def check_rows(table: RosterTable, *, compounds: dict[str, int], foreign_compounds: set[str]) -> CheckedFile:
    """Check every row. ``compounds`` maps this community's compound names to their ids;
    ``foreign_compounds`` holds names that exist only in other communities."""
    rows: list[CheckedRow] = []
    first_seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        cells_by_key = {key: cells[index] if index < len(cells) else None for key, index in table.columns.items()}
        raw = {key: _text(cell) for key, cell in cells_by_key.items()}
        row = CheckedRow(number=number, raw=raw)
        _check(row, cells_by_key, compounds=compounds, foreign_compounds=foreign_compounds)
        key = row.key
        if key is not None:
            if key in first_seen:
                row.errors.append({"code": "duplicate_room", "other": first_seen[key]})
            else:
                first_seen[key] = number
        rows.append(row)
    return CheckedFile(rows=rows)


def _check(row: CheckedRow, cells: dict, *, compounds, foreign_compounds) -> None:
    names = {}
    for key, limit, suffix in (
        ("compound", None, ""),
        ("building", _max_length(Building, "name"), "号楼"),
        ("unit", _max_length(Unit, "name"), "单元"),
        ("room", _max_length(Household, "room"), ""),
    ):
        value = _required_text(row, cells, key, limit)
        if value and suffix and value.isdecimal():  # isdecimal, not isdigit: "²" is no building number
            value += suffix  # offices write "3" for 3号楼; the registry spells it out
        names[key] = value
    row.values.update(names)

    compound = names["compound"]
    if compound:
        if compound in compounds:
            row.values["compound_id"] = compounds[compound]
        elif compound in foreign_compounds:
            row.errors.append({"code": "foreign_compound", "value": compound})
        else:
            row.errors.append({"code": "unknown_compound", "value": compound})

    row.values["area"] = _area(row, cells.get("area"))
    row.values["floor"] = _floor(row, cells.get("floor"), names["room"])
    row.values["kind"] = _kind(row, cells.get("kind"))
    _owners(row, cells)
    row.values["area_source"] = _choice(row, cells.get("area_source"), AREA_SOURCE_WORDS, "unknown_area_source")
    row.values["phone"] = _phone(row, cells.get("phone"))
    for key in FLAG_KEYS:
        row.values[key] = _flag(row, cells.get(key), key)


def _required_text(row, cells, key, limit) -> str:
    if not _text(cells.get(key)):
        row.errors.append({"code": "missing", "column": key})
        return ""
    return _optional_text(row, cells, key, limit) or ""


def _optional_text(row, cells, key, limit) -> str | None:
    cell = cells.get(key)
    if _is_date(cell):
        row.errors.append({"code": "date", "column": key, "value": _text(cell)})
        return None
    value = _text(cell)
    if not value:
        return None
    if limit and len(value) > limit:
        row.errors.append({"code": "too_long", "column": key, "limit": limit})
        return None
    return value


def _owners(row, cells) -> None:
    """Owner names (normalised to 、-separated), their kind and a person's reference."""
    text = _optional_text(row, cells, "owners", _max_length(Household, "owner_names"))
    spec = OwnerSpec.parse(text)
    row.values["owner_names"] = spec.display or None
    kind = _choice(row, cells.get("owner_kind"), OWNER_KIND_WORDS, "unknown_owner_kind")
    reference = _optional_text(row, cells, "owner_reference", _max_length(Owner, "reference"))
    if (kind or reference) and not spec.names:
        row.errors.append({"code": "owner_kind_without_names", "column": "owner_kind" if kind else "owner_reference"})
    if reference and len(spec.names) > 1:
        row.errors.append({"code": "reference_needs_one_name"})
    row.values["owner_kind"] = kind
    row.values["owner_reference"] = reference


def _choice(row, cell, words: dict, code: str) -> str | None:
    text = _text(cell)
    if not text:
        return None
    value = words.get(text.lower())
    if value is None:
        row.errors.append({"code": code, "value": text})
        return None
    return str(value)


def _area(row, cell) -> str | None:
    """An empty area is allowed: a 公房 flat may never have been surveyed. A decision that
    counts area refuses to open until it is recorded."""
    text = _text(cell)
    if not text:
        return None
    if isinstance(cell, bool) or _is_date(cell):
        row.errors.append({"code": "area_not_number", "value": text})
        return None
    cleaned = _AREA_UNITS.sub("", text).strip()
    area = parse_decimal(cleaned, decimal_places=2, allow_thousands=True)  # no 1e309, NaN or Infinity
    if area is None:
        row.errors.append({"code": "area_not_number", "value": text})
        return None
    if area <= 0:
        row.errors.append({"code": "area_not_positive", "value": text})
        return None
    if area > MAX_AREA:
        row.errors.append({"code": "area_too_large", "value": text})
        return None
    return str(area)


def _floor(row, cell, room: str) -> int | None:
    text = _text(cell)
    if not text:
        # 台账 often leave the floor out: room 1602 is on floor 16, 301 on floor 3.
        if len(room) >= 3 and room.isdecimal():
            return parse_int(room[:-2])
        row.errors.append({"code": "floor_missing", "value": room})
        return None
    if isinstance(cell, bool) or _is_date(cell):
        row.errors.append({"code": "floor_not_integer", "value": text})
        return None
    floor = parse_int(_FLOOR_SUFFIX.sub("", text).strip())
    if floor is None:
        row.errors.append({"code": "floor_not_integer", "value": text})
        return None
    low, high = FLOOR_RANGE
    if not low <= floor <= high:
        row.errors.append({"code": "floor_out_of_range", "value": floor, "low": low, "high": high})
        return None
    return floor


def _kind(row, cell) -> str | None:
    text = _text(cell)
    if not text:
        return None
    kind = KIND_WORDS.get(text.lower())
    if kind is None:
        row.errors.append({"code": "unknown_kind", "value": text})
        return None
    return str(kind)


def _phone(row, cell) -> str | None:
    text = _text(cell)
    if not text:
        return None
    if "*" in text:
        row.errors.append({"code": "phone_masked", "value": text})
        return None
    phone = normalise_phone(text)
    if not PHONE_RE.match(phone) or len(phone) > _max_length(Household, "phone"):
        row.errors.append({"code": "phone_malformed", "value": text})
        return None
    return phone


def _flag(row, cell, key) -> bool | None:
    if isinstance(cell, bool):
        return cell
    text = _text(cell)
    if not text:
        return None
    value = FLAG_WORDS.get(text.lower())
    if value is None:
        row.errors.append({"code": "bad_flag", "column": key, "value": text})
    return value


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return YES if cell else NO
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M") if cell.time() != time() else cell.strftime("%Y-%m-%d")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _is_date(cell) -> bool:
    return isinstance(cell, date | time)


def _max_length(model, name) -> int:
    return model._meta.get_field(name).max_length
