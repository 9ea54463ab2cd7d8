"""Reads for the roster pages: the export rows (one streamed query), the import history,
and the preview of a checked upload (from its stored rows, no further queries)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from ..access import restrict_to_head_buildings
from ..models import Community, Household, HouseholdKind, Ownership, RosterImport
from ..privacy import mask_phone
from ..roster.columns import AREA_SOURCE_LABELS, COLUMNS, FLAG_KEYS, KIND_LABELS, NO, OWNER_KIND_LABELS, YES
from ..roster.rows import describe, describe_warning

EXPORT_FIELDS = {
    "compound": "unit__building__compound__name",
    "building": "unit__building__name",
    "unit": "unit__name",
    "room": "room",
    "floor": "floor",
    "area": "area",
    "kind": "kind",
    "owners": "owner_names",
    "phone": "phone",
    "elderly_alone": "elderly_alone",
    "mobility_impaired": "mobility_impaired",
    "bedridden": "bedridden",
    "owner_kind": "first_owner_kind",
    "owner_reference": "first_owner_reference",
    "area_source": "area_source",
}
CARE = Q(elderly_alone=True) | Q(mobility_impaired=True) | Q(bedridden=True)


def roster_households(user, community: Community) -> QuerySet[Household]:
    """The households a user may export: the community's, or a building head's own buildings."""
    qs = Household.objects.filter(unit__building__compound__community=community)
    return restrict_to_head_buildings(user, community, qs, "unit__building_id")


def roster_export_rows(households: QuerySet[Household], *, show_phone: bool, show_care: bool) -> Iterator[list]:
    """Rows in the template's column order, read with one streamed query."""
    lookups = [EXPORT_FIELDS[column.key] for column in COLUMNS]
    ordered = households.order_by(
        "unit__building__compound__name",
        "unit__building__sort_key",
        "unit__building__name",
        "unit__sort_key",
        "unit__name",
        "floor",
        "room",
    )
    positions = {column.key: index for index, column in enumerate(COLUMNS)}
    first_owner = Ownership.objects.filter(household=OuterRef("pk")).order_by("position", "pk")
    ordered = ordered.annotate(
        first_owner_kind=Subquery(first_owner.values("owner__kind")[:1]),
        first_owner_reference=Subquery(first_owner.values("owner__reference")[:1]),
    )
    for values in ordered.values_list(*lookups).iterator(chunk_size=2000):
        row = list(values)
        row[positions["kind"]] = KIND_LABELS.get(row[positions["kind"]], row[positions["kind"]])
        row[positions["owner_kind"]] = OWNER_KIND_LABELS.get(row[positions["owner_kind"]], "")
        row[positions["owner_reference"]] = row[positions["owner_reference"]] or ""
        row[positions["area_source"]] = AREA_SOURCE_LABELS.get(row[positions["area_source"]], "")
        phone = row[positions["phone"]]
        row[positions["phone"]] = phone if show_phone else mask_phone(phone)
        for key in FLAG_KEYS:
            row[positions[key]] = (YES if row[positions[key]] else NO) if show_care else None
        yield row


def care_flag_household_ids(households: QuerySet[Household]) -> list[int]:
    return list(households.filter(CARE).values_list("pk", flat=True))


def roster_imports(community: Community) -> QuerySet[RosterImport]:
    """The community's import history, newest first, without the (large) row data."""
    return (
        RosterImport.objects.filter(community=community)
        .select_related("uploaded_by", "committed_by")
        .defer("rows")
        .order_by("-uploaded_at", "-pk")
    )


@dataclass
class PreviewRow:
    number: int
    address: str
    messages: list[str]


def _address(row: dict) -> str:
    values = row.get("raw") or row["values"]
    parts = [values.get("compound"), values.get("building"), values.get("unit"), values.get("room")]
    return " ".join(part for part in (parts[0], "".join(p or "" for p in parts[1:])) if part) or "—"


def preview_errors(roster_import: RosterImport) -> list[PreviewRow]:
    return [
        PreviewRow(row["row"], _address(row), [describe(error) for error in row["errors"]])
        for row in roster_import.rows
        if row["errors"]
    ]


def preview_changes(roster_import: RosterImport) -> list[PreviewRow]:
    """Households the import would update, each with "field: old → new" lines."""
    return [
        PreviewRow(
            row["row"], _address(row), [_change_line(name, old, new) for name, (old, new) in row["changes"].items()]
        )
        for row in roster_import.rows
        if row.get("action") == "update"
    ]


@dataclass
class NewHousehold:
    """A household the import would create, with the values read from its row, so the
    office sees what the file says (a room of 101 where 0101 was meant, an area of 8.55)."""

    number: int
    address: str
    room: str
    floor: int | None
    area: str
    kind: str
    phone: str
    owners: str


def preview_creations(roster_import: RosterImport) -> list[NewHousehold]:
    return [
        NewHousehold(
            number=row["row"],
            address=_address(row),
            room=row["values"]["room"],
            floor=row["values"].get("floor"),
            area=row["values"].get("area") or "",
            kind=_display(row["values"].get("kind") or HouseholdKind.RESIDENTIAL),
            phone=row["values"].get("phone") or "",
            owners=row["values"].get("owner_names") or "",
        )
        for row in roster_import.rows
        if row.get("action") == "create"
    ]


def preview_warnings(roster_import: RosterImport) -> list[PreviewRow]:
    """Rows that will be imported but look wrong: a room that lost its leading zero."""
    return [
        PreviewRow(row["row"], _address(row), [describe_warning(warning) for warning in row["warnings"]])
        for row in roster_import.rows
        if row.get("warnings")
    ]


def _change_line(name: str, old, new) -> str:
    label = Household._meta.get_field(name.removesuffix("_id")).verbose_name
    return _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": _display(old), "new": _display(new)}


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in HouseholdKind.values:
        return str(HouseholdKind(value).label)
    return str(value)


def error_report_rows(roster_import: RosterImport) -> Iterator[list]:
    """The refused rows as they were in the file, with the reasons in an extra column."""
    for row in roster_import.rows:
        if row["errors"]:
            raw = row.get("raw", {})
            reasons = " ".join(describe(error) for error in row["errors"])
            yield [raw.get(column.key, "") for column in COLUMNS] + [row["row"], reasons]
