"""The wish list as a spreadsheet for the community office, and the whole sub-district's
for the 街道 office. Streamed: rows go from the database cursor into the response, a few
hundred at a time, so a 100,000-wish export starts at once and memory stays flat.

Rows are read with ``values()`` (no model instances) and every choice label is translated
once per export, not per row: per-row ``get_*_display`` calls were a third of the time.
The ids come first, in the export's order, from one query the indexes answer; the rows
then follow 2,000 at a time by id. One query over 100,000 wishes, through a server-side
cursor, ran all its joins and per-wish subqueries before handing over the first row.
Cells are written by ``projects.spreadsheets``: a resident's title or description is text
even when it starts with "=", the submission time is a date cell, and household, phone,
receipt code and form number are text cells that keep their leading zeros."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from projects.models import Channel
from projects.privacy import mask_name, mask_phone
from projects.spreadsheets import DATETIME, ID, NUMBER, TEXT, Column, Sheet, xlsx_stream

from .models import WishCategory, WishStatus
from .receipts import format_receipt_code

FIELDS = (
    "pk",
    "submitted_at",
    "community__name",
    "compound__name",
    "building__name",
    "location",
    "category",
    "title",
    "description",
    "status",
    "support_total",
    "channel",
    "household_id",
    "household__unit__building__name",
    "household__unit__name",
    "household__room",
    "contact_name",
    "contact_phone",
    "receipt_code",
    "paper_reference",
    "entered_by__username",
    "entered_by__first_name",
    "entered_by__last_name",
    "meeting__starts_at",
    "meeting__topic",
    "project__title",
    "merged_into_id",
    "last_response",
)
CHUNK = 2000  # rows per database round trip


def columns(*, with_community: bool = False) -> list[Column]:
    community = [Column(_("Community"), TEXT, 12)] if with_community else []
    return [
        Column(_("No."), NUMBER, 8),
        Column(_("Submitted on"), DATETIME, 17),
        *community,
        Column(_("Compound"), TEXT, 12),
        Column(_("Building"), ID, 10),
        Column(_("Where exactly"), TEXT, 20),
        Column(_("Category"), TEXT, 12),
        Column(pgettext("wish", "What"), TEXT, 30),
        Column(pgettext("wish export column", "Description"), TEXT, 40),
        Column(_("Status"), TEXT, 10),
        Column(_("Supports"), NUMBER, 9),
        Column(_("Channel"), TEXT, 12),
        Column(_("Household"), ID, 14),
        Column(_("Contact name"), TEXT, 10),
        Column(_("Contact phone"), ID, 14),
        Column(_("Receipt code"), ID, 13),
        Column(_("Form number"), ID, 10),
        Column(_("Entered by"), TEXT, 10),
        Column(_("Meeting"), TEXT, 24),
        Column(_("Project"), TEXT, 24),
        Column(_("Merged into No."), NUMBER, 10),
        Column(_("Latest response"), TEXT, 40),
    ]


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def _rows(rows: QuerySet, *, can_view_phone: bool, with_community: bool) -> Iterator[list]:
    categories, statuses, channels = _labels(WishCategory), _labels(WishStatus), _labels(Channel)
    online = _("Resident online")
    for w in _in_order(rows):
        if w["entered_by__username"] is None:
            entered_by = online
        else:
            full_name = f"{w['entered_by__first_name']} {w['entered_by__last_name']}".strip()
            entered_by = full_name or w["entered_by__username"]
        household = ""
        if w["household_id"] is not None:
            household = f"{w['household__unit__building__name']}{w['household__unit__name']}{w['household__room']}"
        meeting = f"{w['meeting__starts_at']:%Y-%m-%d} {w['meeting__topic']}" if w["meeting__starts_at"] else ""
        community = [w["community__name"]] if with_community else []
        yield [
            w["pk"],
            w["submitted_at"],
            *community,
            w["compound__name"],
            w["building__name"] or "",
            w["location"],
            categories.get(w["category"], w["category"]),
            w["title"],
            w["description"],
            statuses.get(w["status"], w["status"]),
            w["support_total"],
            channels.get(w["channel"], w["channel"]),
            household,
            w["contact_name"] if can_view_phone else mask_name(w["contact_name"]),
            w["contact_phone"] if can_view_phone else mask_phone(w["contact_phone"]),
            format_receipt_code(w["receipt_code"] or "") if can_view_phone else "",
            w["paper_reference"],
            entered_by,
            meeting,
            w["project__title"] or "",
            w["merged_into_id"],
            w["last_response"] or "",
        ]


def _in_order(rows: QuerySet) -> Iterator[dict]:
    ids = list(rows.values_list("pk", flat=True))
    unordered = rows.order_by()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_pk = {w["pk"]: w for w in unordered.filter(pk__in=chunk).values(*FIELDS)}
        yield from (by_pk[pk] for pk in chunk if pk in by_pk)  # a wish deleted meanwhile is left out


def wishes_xlsx(rows: QuerySet, *, can_view_phone: bool, with_community: bool = False) -> Iterator[bytes]:
    """``rows`` come from ``selectors.wishes.export_rows`` or ``sub_district_export_rows``
    (annotated with ``support_total`` and ``last_response``); the workbook's bytes, streamed."""
    sheet = Sheet(
        _("Wishes"),
        columns(with_community=with_community),
        _rows(rows, can_view_phone=can_view_phone, with_community=with_community),
    )
    return xlsx_stream([sheet])
