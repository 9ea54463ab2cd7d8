"""The wish list as a spreadsheet for the community office (openpyxl, write-only mode so a
district-sized export streams row by row instead of building every cell in memory).

Cells are written by ``projects.spreadsheets``: a resident's title or description is text
even when it starts with "=", the submission time is a date cell, and household, phone,
receipt code and form number are text cells that keep their leading zeros."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from projects.privacy import mask_name, mask_phone
from projects.spreadsheets import DATETIME, ID, NUMBER, TEXT, Column, SheetWriter

from .receipts import format_receipt_code


def columns() -> list[Column]:
    return [
        Column(_("No."), NUMBER, 8),
        Column(_("Submitted on"), DATETIME, 17),
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


def _household(wish) -> str:
    h = wish.household
    return f"{h.unit.building.name}{h.unit.name}{h.room}" if h else ""


def _row(wish, can_view_phone: bool) -> list:
    entered_by = wish.entered_by
    return [
        wish.pk,
        wish.submitted_at,
        wish.compound.name,
        wish.building.name if wish.building_id else "",
        wish.location,
        wish.get_category_display(),
        wish.title,
        wish.description,
        wish.get_status_display(),
        wish.support_total,
        wish.get_channel_display(),
        _household(wish),
        wish.contact_name if can_view_phone else mask_name(wish.contact_name),
        wish.contact_phone if can_view_phone else mask_phone(wish.contact_phone),
        format_receipt_code(wish.receipt_code or "") if can_view_phone else "",
        wish.paper_reference,
        (entered_by.get_full_name() or entered_by.username) if entered_by else _("Resident online"),
        str(wish.meeting) if wish.meeting_id else "",
        wish.project.title if wish.project_id else "",
        wish.merged_into_id,
        wish.last_response or "",
    ]


def wishes_workbook(rows, *, can_view_phone: bool) -> bytes:
    """``rows`` come from ``selectors.wishes.export_rows`` (annotated, related rows joined)."""
    workbook = Workbook(write_only=True)
    sheet = SheetWriter(workbook, _("Wishes"), columns())
    for wish in rows.iterator(chunk_size=2000):
        sheet.append(_row(wish, can_view_phone))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
