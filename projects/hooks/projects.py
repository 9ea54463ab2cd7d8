"""Projects plug into shared pages: the community dashboard, the compound noticeboard and
the resident's household page ("rate the renovation")."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import metrics
from ..forms.evaluation import SCORE_CHOICES
from ..rules import oversees_sub_district
from ..sections import Section, Tab, community_tabs, dashboard_panels, household_sections, noticeboard_sections
from ..selectors.projects import community_dashboard, projects_to_rate, public_projects_of_compound


def dashboard_panel(community, request):
    user = request.user
    if not user.has_perm("projects.view_project", community):
        return None
    context = community_dashboard(community, today=timezone.localdate(), now=timezone.now())
    context["can_add"] = user.has_perm("projects.add_project", community)
    context["can_see_sub_district"] = user.is_superuser or oversees_sub_district(user, community.sub_district)
    context["today"] = timezone.localdate()
    return context


def noticeboard_section(compound, request):
    projects = list(public_projects_of_compound(compound))
    if not projects:
        return None
    for project in projects:
        project.satisfaction_percent = metrics.percent_one_decimal(
            metrics.satisfaction_rate(project.satisfied, project.responses)
        )
    return {"projects": projects}


def rate_section(household, request):
    projects = list(projects_to_rate(household))
    if not projects:
        return None
    return {"projects": projects, "score_choices": SCORE_CHOICES, "compound_id": household.unit.building.compound_id}


dashboard_panels.register(Section("projects", "projects/dashboard/panel.html", dashboard_panel, order=10))
noticeboard_sections.register(
    Section("projects", "projects/noticeboard/section.html", noticeboard_section, order=10, public=True)
)
household_sections.register(Section("rate_projects", "projects/evaluation/rate_section.html", rate_section, order=50))
community_tabs.register(Tab("overview", _("Overview"), "projects:community", order=10))
community_tabs.register(Tab("projects", _("Projects"), "projects:project_list", order=20))
