"""The sign-off tracker plugs into the rest of the app here: the construction gate, the
public noticeboard (numbers only), the community dashboard, the project page, and the
household's own page (confirm consent online)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..lifecycle import Refusal
from ..models import DecisionRule, SignoffCampaign, Stage
from ..sections import (
    Section,
    Tab,
    community_tabs,
    dashboard_panels,
    household_sections,
    noticeboard_sections,
    project_panels,
)
from ..selectors import signoffs as sel
from ..services.stages import STAGES

GUARD_MISSING_LIMIT = 10  # units listed in the refusal; the board lists them all


def construction_guard(change) -> list[str]:
    """Construction waits until the project's sign-off campaign meets its rule. A project
    without a campaign needs no sign-offs (a square, a public toilet)."""
    project, now = change.obj, change.now
    campaign = SignoffCampaign.objects.select_related("project").filter(project=project).first()
    if campaign is None:
        return []
    # The refusal is shown to the office staff who change stages: it names the rooms.
    progress = sel.campaign_progress(campaign, now=now, missing_limit=GUARD_MISSING_LIMIT, name_rooms=True)
    if progress.gate_open:
        return []
    missing = progress.missing
    if campaign.rule != DecisionRule.UNANIMOUS:
        # Under a threshold the board lists what the rule lacks; the refusal also names the
        # doors to knock on, unit by unit, before the verdict line.
        sel.attach_rooms_not_agreed(campaign, progress.units, limit=GUARD_MISSING_LIMIT)
        rooms = [line for line, _unit in sel.unit_missing_lines(progress.units, limit=GUARD_MISSING_LIMIT)]
        missing = [*missing[:-1], *rooms, *missing[-1:]]
    return [
        Refusal(
            _("Household sign-offs do not meet the rule yet (%(rule)s).") % {"rule": sel.describe_rule(campaign)},
            url=reverse("projects:signoff_blockers", args=[campaign.pk]),
            link_text=_("See the households that have not agreed"),
        ),
        *missing,
    ]


STAGES.register_guard(construction_guard, to=Stage.CONSTRUCTION)


def _summary(campaign) -> dict:
    total, agreed = campaign.n_total or 0, campaign.n_agreed or 0
    return {
        "campaign": campaign,
        "total": total,
        "agreed": agreed,
        "percent": agreed * 100 // total if total else 0,
    }


def noticeboard_context(compound, request):
    """Aggregates only: how many households of how many agreed. Never who."""
    campaigns = [_summary(c) for c in sel.noticeboard_campaigns(compound)]
    return {"campaigns": campaigns} if campaigns else None


def dashboard_context(community, request):
    if not request.user.has_perm("projects.view_signoffs", community):
        return None
    campaigns = [_summary(c) for c in sel.community_campaigns(community)[:6]]
    if not campaigns:
        return None
    return {"campaigns": campaigns, "community": community}


def project_context(project, request):
    user = request.user
    if not user.has_perm("projects.view_signoffs", project):
        return None
    campaign = SignoffCampaign.objects.filter(project=project).first()
    if campaign is None:
        if user.has_perm("projects.manage_signoffs", project):
            return {"campaign": None, "project": project}
        return None
    campaign.project = project
    office = user.has_perm("projects.manage_signoffs", project)
    progress = sel.campaign_progress(campaign, now=timezone.now(), missing_limit=5, name_rooms=office)
    return {
        "campaign": campaign,
        "project": project,
        "progress": progress,
        "rule_text": sel.describe_rule(campaign),
        "gate_links": user.has_perm("projects.view_signoff_households", project),
    }


def household_context(household, request):
    campaigns = list(sel.online_campaigns_for(household))
    return {"campaigns": campaigns, "household": household} if campaigns else None


noticeboard_sections.register(
    Section("signoffs", "projects/signoffs/_noticeboard_section.html", noticeboard_context, order=60, public=True)
)
dashboard_panels.register(Section("signoffs", "projects/signoffs/_dashboard_panel.html", dashboard_context, order=60))
project_panels.register(Section("signoffs", "projects/signoffs/_project_panel.html", project_context, order=60))
household_sections.register(
    Section("signoffs", "projects/signoffs/_household_section.html", household_context, order=20)
)
community_tabs.register(Tab("signoffs", gettext_lazy("Sign-offs"), "projects:signoff_campaigns", order=60))
