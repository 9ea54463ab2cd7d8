"""The wish list's pieces on other pages: the compound noticeboard, the household page, the
community overview, the meeting page and the project page. Each costs a fixed few queries."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.sections import (
    Section,
    Tab,
    community_tabs,
    dashboard_panels,
    household_sections,
    noticeboard_sections,
    project_panels,
    sub_district_panels,
)

from ..sections import meeting_panels
from ..selectors import wishes as selectors

PANEL_LIMIT = 50


def noticeboard_context(compound, request):
    return {
        "top": selectors.top_wishes(compound, limit=5),
        "totals": selectors.compound_wish_totals(compound),
        "list_url": reverse("consult:wish_list", args=[compound.pk]),
        "submit_url": reverse("consult:wish_submit", args=[compound.pk]),
    }


def household_context(household, request):
    compound = household.unit.building.compound
    return {
        "own": list(selectors.household_wishes(household)[:20]),
        "supported": list(selectors.household_supported(household)[:20]),
        "list_url": reverse("consult:wish_list", args=[compound.pk]),
        "submit_url": reverse("consult:wish_submit", args=[compound.pk]),
    }


def dashboard_context(community, request):
    if not request.user.has_perm("consult.view_wish_queue", community):
        return None
    return {"counts": selectors.queue_status_counts(request.user, community)}


def meeting_context(meeting, request):
    wishes = selectors.meeting_wishes(meeting)
    return {
        "wishes": list(wishes[:PANEL_LIMIT]),
        "count": wishes.count(),
        "can_enter": request.user.has_perm("consult.enter_wish", meeting.community),
    }


def project_context(project, request):
    wishes = selectors.project_wishes(project)
    return {"wishes": list(wishes[:PANEL_LIMIT]), "count": wishes.count()}


def sub_district_context(sub_district, request):
    """The whole sub-district's wishes in one file: its size shown before it is started."""
    if not request.user.has_perm("consult.export_sub_district_wishes", sub_district):
        return None
    return {"count": selectors.sub_district_wish_count(sub_district)}


noticeboard_sections.register(
    Section("wishes", "consult/wishes/sections/noticeboard.html", noticeboard_context, 40, public=True)
)
household_sections.register(Section("wishes", "consult/wishes/sections/household.html", household_context, 40))
dashboard_panels.register(Section("wishes", "consult/wishes/sections/dashboard.html", dashboard_context, 40))
meeting_panels.register(Section("wishes", "consult/wishes/sections/meeting.html", meeting_context, 40))
project_panels.register(Section("wishes", "consult/wishes/sections/project.html", project_context, 40))
sub_district_panels.register(Section("wishes", "consult/wishes/sections/sub_district.html", sub_district_context, 40))
community_tabs.register(
    Tab("wishes", _("Wish list"), "consult:wish_queue", order=40, permission="consult.view_wish_queue")
)
