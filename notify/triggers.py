"""What each kind of message says and whom it reaches.

Each builder takes the object staff are looking at (and the choices of the form) and returns
a ``Draft``: the SMS text for a household's own phone, the notice text for groups and
stairwells (no names, rooms or phone numbers: it is posted in public), and the households.
The texts are written in the default language (Chinese) whatever language staff browse in:
they go to residents.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from consult.models import Ballot, BallotStatus, CastBallot, Meeting, Wish
from projects.models import Household, SignoffRecord, SignoffStatus
from projects.selectors.scope import affected_households

from .models import MessageKind
from .services.outbox import Draft, OutboxError

CLOSING_WINDOW = timedelta(hours=48)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _office(community) -> str:
    return community.phone or community.name


def ballot_non_voters(ballot: Ballot):
    """Eligible households without a valid ballot: the only ones a reminder goes to."""
    voted = CastBallot.objects.valid().filter(ballot=ballot).values("household_id")
    return Household.objects.filter(ballot_eligibility__ballot=ballot).exclude(pk__in=voted)


def ballot_reminder(ballot: Ballot, *, kind: str, now=None) -> Draft:
    now = now or timezone.now()
    if ballot.status != BallotStatus.OPEN or now >= ballot.closes_at:
        raise OutboxError(_("Reminders go out only while voting is open."))
    if kind == MessageKind.BALLOT_CLOSING and ballot.closes_at - now > CLOSING_WINDOW:
        raise OutboxError(_("“Closing soon” reminders go out in the last 48 hours of voting."), field="kind")
    with override(settings.LANGUAGE_CODE):
        params = {"title": ballot.title, "closes": _when(ballot.closes_at), "office": _office(ballot.community)}
        if kind == MessageKind.BALLOT_CLOSING:
            subject = _("Voting on “%(title)s” closes on %(closes)s") % params
            sms = _(
                "Voting on “%(title)s” closes on %(closes)s and your household has not voted yet. Vote with the "
                "code on your letter, or bring the paper ballot to the community office (%(office)s)."
            )
        else:
            subject = _("Voting on “%(title)s” is open") % params
            sms = _(
                "Voting on “%(title)s” is open until %(closes)s. Vote with the code on your letter, or bring the "
                "paper ballot to the community office (%(office)s)."
            )
        notice = _(
            "Voting on “%(title)s” is open until %(closes)s. Households that have not voted: vote with the code on "
            "your letter, or bring the paper ballot to the community office (%(office)s)."
        )
    return Draft(
        community=ballot.community,
        kind=kind,
        ref=f"ballot:{ballot.pk}",
        subject=subject,
        sms_text=sms % params,
        notice_text=notice % params,
        scope_label=ballot.scope_label,
        compound=_ballot_compound(ballot),
        buildings=_ballot_buildings(ballot),
        households=ballot_non_voters(ballot),
    )


def _ballot_compound(ballot: Ballot):
    if ballot.compound_id:
        return ballot.compound
    if ballot.building_id:
        return ballot.building.compound
    if ballot.unit_id:
        return ballot.unit.building.compound
    return None


def _ballot_buildings(ballot: Ballot) -> list:
    if ballot.building_id:
        return [ballot.building]
    if ballot.unit_id:
        return [ballot.unit.building]
    return []


def wish_answered(wish: Wish) -> Draft:
    """To the submitter only: the phone they gave, else their household's."""
    phone = wish.contact_phone or (wish.household.phone if wish.household_id else "")
    if not phone:
        raise OutboxError(_("The submitter left no phone number."))
    with override(settings.LANGUAGE_CODE):
        params = {"title": wish.title, "status": wish.get_status_display(), "office": _office(wish.community)}
        subject = _("Your wish “%(title)s” has an answer") % params
        sms = (
            _(
                "Your wish “%(title)s” has an answer (%(status)s). Read it with your receipt code or household code, "
                "or ask the community office (%(office)s)."
            )
            % params
        )
        notice = _("The wish “%(title)s” has an answer (%(status)s); it is on the noticeboard.") % params
    return Draft(
        community=wish.community,
        kind=MessageKind.WISH_ANSWERED,
        ref=f"wish:{wish.pk}",
        subject=subject,
        sms_text=sms,
        notice_text=notice,
        scope_label=_("The submitter"),
        compound=wish.compound,
        phones=[(wish.household, phone)],
    )


def signoff_reminder(campaign, *, assignee) -> Draft:
    """The households a staff member follows up that have not agreed yet."""
    records = SignoffRecord.objects.filter(campaign=campaign, assignee=assignee).exclude(status=SignoffStatus.AGREED)
    project = campaign.project
    with override(settings.LANGUAGE_CODE):
        params = {"project": project.title, "office": _office(project.community)}
        subject = _("Sign-off for “%(project)s”") % params
        sms = (
            _(
                "Your household has not signed for “%(project)s” yet. We will visit you; you may also sign at the "
                "community office (%(office)s)."
            )
            % params
        )
        notice = (
            _(
                "Households that have not signed for “%(project)s” yet: please sign at the community office "
                "(%(office)s) or when we visit."
            )
            % params
        )
    return Draft(
        community=project.community,
        kind=MessageKind.SIGNOFF_REMINDER,
        ref=f"campaign:{campaign.pk}",
        subject=subject,
        sms_text=sms,
        notice_text=notice,
        scope_label=_("Households %(name)s follows up") % {"name": assignee.get_full_name() or assignee.username},
        households=Household.objects.filter(pk__in=records.values("household_id")),
    )


def meeting_households(meeting: Meeting):
    if meeting.building_id:
        return Household.objects.filter(unit__building=meeting.building_id)
    if meeting.compound_id:
        return Household.objects.filter(unit__building__compound=meeting.compound_id)
    return Household.objects.filter(unit__building__compound__community=meeting.community_id)


def meeting_notice(meeting: Meeting, *, changed: bool) -> Draft:
    with override(settings.LANGUAGE_CODE):
        params = {"topic": meeting.topic, "when": _when(meeting.starts_at), "place": meeting.place}
        if changed:
            subject = _("New time: “%(topic)s”") % params
            text = _("The meeting “%(topic)s” has a new time: %(when)s at %(place)s. Everyone is welcome.") % params
        else:
            subject = _("Meeting: “%(topic)s”") % params
            text = _("Meeting “%(topic)s”: %(when)s at %(place)s. Everyone is welcome.") % params
    return Draft(
        community=meeting.community,
        kind=MessageKind.MEETING_CHANGED if changed else MessageKind.MEETING_ANNOUNCED,
        ref=f"meeting:{meeting.pk}",
        subject=subject,
        sms_text=text,
        notice_text=text,
        scope_label=meeting.where,
        compound=meeting.compound or (meeting.building.compound if meeting.building_id else None),
        buildings=[meeting.building] if meeting.building_id else [],
        households=meeting_households(meeting),
    )


def construction_notice(project, *, buildings, what: str, starts, ends, detail: str = "") -> Draft:
    """停水 / 停电 / 施工 for the buildings it affects."""
    if not buildings:
        raise OutboxError(_("Choose the buildings the work affects."), field="buildings")
    if ends <= starts:
        raise OutboxError(_("The end must be after the start."), field="ends")
    names = "、".join(b.name for b in buildings)
    with override(settings.LANGUAGE_CODE):
        labels = {"water": _("Water off"), "power": _("Power off"), "works": _("Construction work")}
        params = {
            "what": labels[what],
            "buildings": names,
            "starts": _when(starts),
            "ends": _when(ends),
            "project": project.title,
            "office": _office(project.community),
        }
        subject = _("%(what)s: %(buildings)s, %(starts)s – %(ends)s") % params
        text = (
            _(
                "%(what)s for %(buildings)s from %(starts)s to %(ends)s (%(project)s). Questions: the community office "
                "(%(office)s)."
            )
            % params
        )
    if detail:
        text = f"{text} {detail}"
    compound = buildings[0].compound
    return Draft(
        community=project.community,
        kind=MessageKind.CONSTRUCTION,
        ref=f"project:{project.pk}",
        subject=subject,
        sms_text=text,
        notice_text=text,
        scope_label=f"{compound.name} {names}",
        compound=compound,
        buildings=list(buildings),
        households=Household.objects.filter(unit__building__in=buildings),
    )


def survey_opened(project) -> Draft:
    with override(settings.LANGUAGE_CODE):
        params = {"project": project.title, "office": _office(project.community)}
        subject = _("How did “%(project)s” go? Tell us") % params
        text = (
            _(
                "The work on “%(project)s” is finished. Please rate it on the noticeboard with your household code, "
                "or at the community office (%(office)s)."
            )
            % params
        )
    compounds = list(project.compounds.all()[:2])
    return Draft(
        community=project.community,
        kind=MessageKind.SURVEY_OPENED,
        ref=f"project:{project.pk}",
        subject=subject,
        sms_text=text,
        notice_text=text,
        scope_label=_("Households the project affects"),
        compound=compounds[0] if len(compounds) == 1 else None,
        households=affected_households(project),
    )
