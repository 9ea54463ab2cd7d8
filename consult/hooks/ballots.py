"""The construction gate for projects that require a passed ballot (``consult/ballot_gate.py``),
and where ballots show up on other features' pages: the compound noticeboard (open ballots
and published results), the community dashboard (open ballots with turnout), a project's
page, a meeting's page, and the household's own page ("open ballots for you")."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Stage
from projects.sections import (
    Section,
    Tab,
    community_tabs,
    dashboard_panels,
    household_sections,
    noticeboard_sections,
    project_panels,
)
from projects.services.stages import STAGES

from ..ballot_gate import passed_ballot_guard
from ..models import PHASE_LABELS
from ..sections import meeting_panels
from ..selectors import ballots as selectors


def noticeboard_context(compound, request):
    """Public: that a ballot is open (no turnout, no names) and published results."""
    now = timezone.now()
    items = []
    for ballot in selectors.noticeboard_ballots(compound):
        phase = ballot.phase(now)
        result = selectors.stored_result(ballot, list(ballot.options.all())) if ballot.published_at else None
        items.append({"ballot": ballot, "phase": phase, "phase_label": PHASE_LABELS[phase], "result": result})
    return {"items": items} if items else None


def dashboard_context(community, request):
    if not request.user.has_perm("consult.view_ballot", community):
        return None
    ballots = list(selectors.open_ballots_of_community(community))
    now = timezone.now()
    for ballot in ballots:
        ballot.phase_label = PHASE_LABELS[ballot.phase(now)]
    return {"ballots": ballots, "community": community}


def project_context(project, request):
    if not request.user.has_perm("consult.view_ballot", project):
        return None
    now = timezone.now()
    ballots = list(selectors.ballots_of_project(project))
    for ballot in ballots:
        ballot.phase_label = PHASE_LABELS[ballot.phase(now)]
    return {"ballots": ballots, "project": project}


def meeting_context(meeting, request):
    if not request.user.has_perm("consult.view_ballot", meeting):
        return None
    now = timezone.now()
    ballots = list(selectors.ballots_of_meeting(meeting))
    for ballot in ballots:
        ballot.phase_label = PHASE_LABELS[ballot.phase(now)]
    return {"ballots": ballots, "meeting": meeting}


def household_context(household, request):
    rows = list(selectors.ballots_for_household(household, timezone.now()))
    return {"rows": rows} if rows else None


noticeboard_sections.register(
    Section("ballots", "consult/ballots/_noticeboard.html", noticeboard_context, order=40, public=True)
)
dashboard_panels.register(Section("ballots", "consult/ballots/_dashboard.html", dashboard_context, order=40))
project_panels.register(Section("ballots", "consult/ballots/_project_panel.html", project_context, order=40))
meeting_panels.register(Section("ballots", "consult/ballots/_meeting_panel.html", meeting_context, order=40))
household_sections.register(Section("ballots", "consult/ballots/_household.html", household_context, order=10))
community_tabs.register(Tab("ballots", _("Ballots"), "consult:ballot_list", order=50))
STAGES.register_guard(passed_ballot_guard, to=Stage.CONSTRUCTION)
