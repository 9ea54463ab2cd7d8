"""The sign-off campaign as an .xlsx workbook for the office (and the file sent upwards):
households with their current status, the full event log, the contact log and progress by
unit. Streamed sheet by sheet into the response (``spreadsheets.xlsx_stream``); a fixed
number of queries whatever the size.
Cells go through ``spreadsheets``: concern texts and names stay text, rooms and form
numbers are text cells, times and dates are date cells."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Channel, ConcernCategory, ContactKind, SignerRelation, SignoffContact, SignoffEvent, SignoffStatus
from .selectors import signoffs as sel
from .spreadsheets import DATE, DATETIME, ID, NUMBER, Column, Sheet, xlsx_stream


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def household_columns() -> list[Column]:
    return [
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
    ]


def event_columns() -> list[Column]:
    return [
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
    ]


def contact_columns() -> list[Column]:
    return [
        Column(_("Date"), DATE),
        Column(_("Household"), ID),
        Column(_("Kind")),
        Column(_("Staff member")),
        Column(_("Outcome")),
        Column(_("Next step")),
    ]


def unit_columns() -> list[Column]:
    return [
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
    ]


def campaign_xlsx(campaign, *, now) -> Iterator[bytes]:
    """The workbook's bytes, streamed; each sheet's rows are read when its turn comes."""
    return xlsx_stream(
        [
            Sheet(_("Households"), household_columns(), _household_rows(campaign, now)),
            Sheet(_("Status history"), event_columns(), _event_rows(campaign)),
            Sheet(_("Contact log"), contact_columns(), _contact_rows(campaign)),
            Sheet(_("Progress by unit"), unit_columns(), _unit_rows(campaign, now)),
        ]
    )


def _household_rows(campaign, now):
    households = (
        sel.campaign_households(campaign).select_related("unit__building__compound").order_by(*sel.HOUSEHOLD_ORDER)
    )
    for row in sel.attach_records(campaign, households, now=now):
        h, r = row.household, row.record
        event = r.last_event if r else None
        agreed = event is not None and event.status == SignoffStatus.AGREED
        yield [
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


def _event_rows(campaign):
    events = SignoffEvent.objects.filter(campaign=campaign).select_related("household__unit__building", "entered_by")
    for e in events.order_by("recorded_at", "pk").iterator(chunk_size=2000):
        yield [
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


def _contact_rows(campaign):
    contacts = SignoffContact.objects.filter(campaign=campaign).select_related("household__unit__building", "staff")
    for c in contacts.order_by("contacted_on", "pk").iterator(chunk_size=2000):
        yield [c.contacted_on, str(c.household), _label(ContactKind, c.kind), _person(c.staff), c.outcome, c.next_step]


def _unit_rows(campaign, now):
    for u in sel.unit_rows(campaign, now=now):
        yield [
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
