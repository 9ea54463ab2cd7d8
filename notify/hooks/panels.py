"""Where staff find "Tell residents": a tab of the community, and a panel on the pages of a
ballot, a wish, a meeting and a project (each through its app's panel registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consult.models import BallotStatus
from consult.sections import ballot_panels, meeting_panels, wish_panels
from projects.models import SignoffCampaign
from projects.sections import Section, Tab, community_tabs, project_panels

from .. import selectors

community_tabs.register(Tab("outbox", _("Messages"), "notify:outbox", order=85, permission="notify.view_outbox"))


def _panel(community, ref: str, links: list[tuple[str, str]], request):
    if not request.user.has_perm("notify.send_message", community):
        return None
    return {
        "links": [{"label": label, "url": url} for label, url in links],
        "messages": selectors.messages_about(community, ref),
    }


def ballot_panel(ballot, request):
    if ballot.status != BallotStatus.OPEN:
        return None
    url = reverse("notify:ballot_remind", args=[ballot.pk])
    return _panel(ballot.community, f"ballot:{ballot.pk}", [(_("Remind households that have not voted"), url)], request)


def wish_panel(wish, request):
    if not (wish.contact_phone or wish.household_id):
        return None
    url = reverse("notify:wish_answered", args=[wish.pk])
    return _panel(wish.community, f"wish:{wish.pk}", [(_("Tell the submitter by SMS"), url)], request)


def meeting_panel(meeting, request):
    url = reverse("notify:meeting_notice", args=[meeting.pk])
    return _panel(meeting.community, f"meeting:{meeting.pk}", [(_("Announce the meeting"), url)], request)


def project_panel(project, request):
    links = [
        (_("Construction notice (water, power, works)"), reverse("notify:construction_notice", args=[project.pk])),
        (_("Satisfaction survey is open"), reverse("notify:survey_notice", args=[project.pk])),
    ]
    campaign = SignoffCampaign.objects.filter(project=project).values_list("pk", flat=True).first()
    if campaign is not None:
        links.append((_("Sign-off reminder"), reverse("notify:signoff_reminder", args=[campaign])))
    return _panel(project.community, f"project:{project.pk}", links, request)


ballot_panels.register(Section("notify", "notify/_panel.html", ballot_panel, order=50))
wish_panels.register(Section("notify", "notify/_panel.html", wish_panel, order=50))
meeting_panels.register(Section("notify", "notify/_panel.html", meeting_panel, order=90))
project_panels.register(Section("notify", "notify/_panel.html", project_panel, order=90))
