"""The sign-off campaign as an .xlsx workbook for the office (and the file sent upwards):
households with their current status, the full event log, the contact log and progress by
unit. Written in openpyxl's streaming mode; a fixed number of queries whatever the size.
Cells go through ``spreadsheets``: concern texts and names stay text, rooms and form
numbers are text cells, times and dates are date cells."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from .models import Channel, ConcernCategory, ContactKind, SignerRelation, SignoffContact, SignoffEvent, SignoffStatus
from .selectors import signoffs as sel
from .spreadsheets import DATE, DATETIME, ID, NUMBER, Column, SheetWriter


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def campaign_workbook(campaign, *, now) -> bytes:
    wb = Workbook(write_only=True)
    households = (
        sel.campaign_households(campaign).select_related("unit__building__compound").order_by(*sel.HOUSEHOLD_ORDER)
    )
    rows = sel.attach_records(campaign, households, now=now)

    sheet = SheetWriter(
        wb,
        _("Households"),
        [
            Column(_("Compound")),
            Column(_("Building"), ID),
            Column(_("Unit"), ID),
            Column(_("Room"), ID),
            Column(_("Floor"), NUMBER),
            Column(_("Area (m²)"), NUMBER),
            Column(_("Owner")),
            Column(_("Phone"), ID),
            Column(_("Status")),
            Column(_("Status since"), DATETIME),
            Column(_("Signed by")),
            Column(_("Relation to the owner")),
            Column(_("Date signed"), DATE),
            Column(_("Paper form number"), ID),
            Column(_("Concern")),
            Column(_("In the resident's words")),
            Column(_("Follows up")),
            Column(_("Last contact"), DATE),
            Column(_("Next step")),
            Column(_("Not contacted for a while")),
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
                r.status_changed_at if r else None,
                event.signer_name if agreed else "",
                _label(SignerRelation, event.signer_relation) if agreed else "",
                event.signed_on if agreed else None,
                event.paper_reference if agreed else "",
                _label(ConcernCategory, r.concern_category) if r else "",
                r.concern_text if r else "",
                _person(r.assignee) if r else "",
                r.last_contact_on if r else None,
                r.next_step if r else "",
                _("yes") if row.stale else "",
            ]
        )

    sheet = SheetWriter(
        wb,
        _("Status history"),
        [
            Column(_("Recorded at"), DATETIME),
            Column(_("Household"), ID),
            Column(pgettext("status change", "From")),
            Column(pgettext("status change", "To")),
            Column(_("Withdrawal")),
            Column(_("How")),
            Column(_("Recorded by")),
            Column(_("Signed by")),
            Column(_("Relation to the owner")),
            Column(_("Date signed"), DATE),
            Column(_("Paper form number"), ID),
            Column(_("Photo")),
            Column(_("Concern")),
            Column(_("In the resident's words")),
            Column(_("Note")),
        ],
    )
    events = SignoffEvent.objects.filter(campaign=campaign).select_related("household__unit__building", "entered_by")
    for e in events.order_by("recorded_at", "pk").iterator(chunk_size=2000):
        sheet.append(
            [
                e.recorded_at,
                str(e.household),
                _label(SignoffStatus, e.previous_status),
                _label(SignoffStatus, e.status),
                _("yes") if e.is_withdrawal else "",
                _label(Channel, e.channel),
                _person(e.entered_by) or _("the household online"),
                e.signer_name,
                _label(SignerRelation, e.signer_relation),
                e.signed_on,
                e.paper_reference,
                _("yes") if e.form_photo else "",
                _label(ConcernCategory, e.concern_category),
                e.concern_text,
                e.note,
            ]
        )

    sheet = SheetWriter(
        wb,
        _("Contact log"),
        [
            Column(_("Date"), DATE),
            Column(_("Household"), ID),
            Column(_("Kind")),
            Column(_("Staff member")),
            Column(_("Outcome")),
            Column(_("Next step")),
        ],
    )
    contacts = SignoffContact.objects.filter(campaign=campaign).select_related("household__unit__building", "staff")
    for c in contacts.order_by("contacted_on", "pk").iterator(chunk_size=2000):
        sheet.append(
            [c.contacted_on, str(c.household), _label(ContactKind, c.kind), _person(c.staff), c.outcome, c.next_step]
        )

    sheet = SheetWriter(
        wb,
        _("Progress by unit"),
        [
            Column(_("Building"), ID),
            Column(_("Unit"), ID),
            Column(_("Households"), NUMBER),
            Column(_("Agreed"), NUMBER),
            Column(_("Has concerns"), NUMBER),
            Column(_("Refused"), NUMBER),
            Column(_("Talked to"), NUMBER),
            Column(_("Not contacted"), NUMBER),
            Column(_("Area (m²)"), NUMBER),
            Column(_("Agreed area (m²)"), NUMBER),
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
