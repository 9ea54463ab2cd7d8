"""The sign-off campaign as an .xlsx workbook for the office (and the file sent upwards):
households with their current status, the full event log, the contact log and progress by
unit. Written in openpyxl's streaming mode; a fixed number of queries whatever the size."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Channel, ConcernCategory, ContactKind, SignerRelation, SignoffContact, SignoffEvent, SignoffStatus
from .selectors import signoffs as sel


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _header(sheet, titles):
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def campaign_workbook(campaign, *, now) -> bytes:
    wb = Workbook(write_only=True)
    households = (
        sel.campaign_households(campaign).select_related("unit__building__compound").order_by(*sel.HOUSEHOLD_ORDER)
    )
    rows = sel.attach_records(campaign, households, now=now)

    sheet = wb.create_sheet(_("Households"))
    _header(
        sheet,
        [
            _("Compound"),
            _("Building"),
            _("Unit"),
            _("Room"),
            _("Floor"),
            _("Area (m²)"),
            _("Owner"),
            _("Phone"),
            _("Status"),
            _("Status since"),
            _("Signed by"),
            _("Relation to the owner"),
            _("Date signed"),
            _("Paper form number"),
            _("Concern"),
            _("In the resident's words"),
            _("Follows up"),
            _("Last contact"),
            _("Next step"),
            _("Not contacted for a while"),
        ],
    )
    for row in rows:
        h, r = row.household, row.record
        event = r.last_event if r else None
        agreed = event is not None and event.status == SignoffStatus.AGREED
        sheet.append(
            [
                h.unit.building.compound.name,
                h.unit.building.name,
                h.unit.name,
                h.room,
                h.floor,
                h.area,
                h.owner_names,
                h.phone,
                str(row.status_label),
                _local(r.status_changed_at) if r else None,
                event.signer_name if agreed else "",
                _label(SignerRelation, event.signer_relation) if agreed else "",
                event.signed_on if agreed else None,
                event.form_number if agreed else "",
                _label(ConcernCategory, r.concern_category) if r else "",
                r.concern_text if r else "",
                _person(r.assignee) if r else "",
                r.last_contact_on if r else None,
                r.next_step if r else "",
                _("yes") if row.stale else "",
            ]
        )

    sheet = wb.create_sheet(_("Status history"))
    _header(
        sheet,
        [
            _("Recorded at"),
            _("Household"),
            _("From"),
            _("To"),
            _("Withdrawal"),
            _("How"),
            _("Recorded by"),
            _("Signed by"),
            _("Relation to the owner"),
            _("Date signed"),
            _("Paper form number"),
            _("Photo"),
            _("Concern"),
            _("In the resident's words"),
            _("Note"),
        ],
    )
    events = SignoffEvent.objects.filter(campaign=campaign).select_related("household__unit__building", "recorded_by")
    for e in events.order_by("recorded_at", "pk").iterator(chunk_size=2000):
        sheet.append(
            [
                _local(e.recorded_at),
                str(e.household),
                _label(SignoffStatus, e.previous_status),
                _label(SignoffStatus, e.status),
                _("yes") if e.is_withdrawal else "",
                _label(Channel, e.channel),
                _person(e.recorded_by) or _("the household online"),
                e.signer_name,
                _label(SignerRelation, e.signer_relation),
                e.signed_on,
                e.form_number,
                _("yes") if e.form_photo else "",
                _label(ConcernCategory, e.concern_category),
                e.concern_text,
                e.note,
            ]
        )

    sheet = wb.create_sheet(_("Contact log"))
    _header(sheet, [_("Date"), _("Household"), _("Kind"), _("Staff member"), _("Outcome"), _("Next step")])
    contacts = SignoffContact.objects.filter(campaign=campaign).select_related("household__unit__building", "staff")
    for c in contacts.order_by("contacted_on", "pk").iterator(chunk_size=2000):
        sheet.append(
            [c.contacted_on, str(c.household), _label(ContactKind, c.kind), _person(c.staff), c.outcome, c.next_step]
        )

    sheet = wb.create_sheet(_("Progress by unit"))
    _header(
        sheet,
        [
            _("Building"),
            _("Unit"),
            _("Households"),
            _("Agreed"),
            _("Has concerns"),
            _("Refused"),
            _("Talked to"),
            _("Not contacted"),
            _("Area (m²)"),
            _("Agreed area (m²)"),
        ],
    )
    for u in sel.unit_rows(campaign, now=now):
        sheet.append(
            [
                u.building_name,
                u.unit_name,
                u.total,
                u.agreed,
                u.concerns,
                u.refused,
                u.talked,
                u.not_contacted,
                u.area,
                u.agreed_area,
            ]
        )

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
