"""The wish list as a spreadsheet for the community office (openpyxl, write-only mode so a
district-sized export streams row by row instead of building every cell in memory)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from projects.privacy import mask_name, mask_phone

from .receipts import format_receipt_code

COLUMNS = [
    (lambda: _("No."), 8),
    (lambda: _("Submitted on"), 17),
    (lambda: _("Compound"), 12),
    (lambda: _("Building"), 10),
    (lambda: _("Where exactly"), 20),
    (lambda: _("Category"), 12),
    (lambda: pgettext("wish", "What"), 30),
    (lambda: _("Details"), 40),
    (lambda: _("Status"), 10),
    (lambda: _("Supports"), 9),
    (lambda: _("Channel"), 12),
    (lambda: _("Household"), 14),
    (lambda: _("Contact name"), 10),
    (lambda: _("Contact phone"), 14),
    (lambda: _("Receipt code"), 13),
    (lambda: _("Form number"), 10),
    (lambda: _("Entered by"), 10),
    (lambda: _("Meeting"), 24),
    (lambda: _("Project"), 24),
    (lambda: _("Merged into No."), 10),
    (lambda: _("Latest response"), 40),
]


def _household(wish) -> str:
    h = wish.household
    return f"{h.unit.building.name}{h.unit.name}{h.room}" if h else ""


def _row(wish, can_view_phone: bool) -> list:
    entered_by = wish.entered_by
    return [
        wish.pk,
        timezone.localtime(wish.submitted_at).strftime("%Y-%m-%d %H:%M"),
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
        wish.paper_ref,
        (entered_by.get_full_name() or entered_by.username) if entered_by else _("Resident online"),
        str(wish.meeting) if wish.meeting_id else "",
        wish.project.title if wish.project_id else "",
        wish.merged_into_id or "",
        wish.last_response or "",
    ]


def wishes_workbook(rows, *, can_view_phone: bool) -> bytes:
    """``rows`` come from ``selectors.wishes.export_rows`` (annotated, related rows joined)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Wishes"))
    sheet.freeze_panes = "A2"
    for index, (_label, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    header = []
    for label, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=label())
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for wish in rows.iterator(chunk_size=2000):
        sheet.append(_row(wish, can_view_phone))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
