"""The scope log plugs in here: the changes waiting for a second staff member on the project
page, and the minimum length of the public notice as a guard on NOTICE → CONSTRUCTION."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Stage
from ..sections import Section, Tab, community_tabs, project_panels
from ..services.stages import STAGES


def notice_length_guard(change) -> str | None:
    """Construction waits until the project has been in public notice for the community's
    minimum (``Community.notice_min_days``, 7 days unless the community admin set another).

    The notice started when the project last entered it (``stage_changed_at``, set by every
    stage change); a project with no recorded start counts from its creation. Moving
    consent → notice → construction in the same second is therefore refused."""
    project = change.obj
    if change.from_state != Stage.NOTICE:
        return None
    days = project.community.notice_min_days
    if not days:
        return None
    started = project.stage_changed_at or project.created_at
    earliest = started + timedelta(days=days)
    if change.now >= earliest:
        return None
    return _("The public notice lasts at least %(days)d days: this project can move to construction from %(date)s.") % {
        "days": days,
        "date": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M"),
    }


STAGES.register_guard(notice_length_guard, to=Stage.CONSTRUCTION)


def pending_context(project, request):
    """The removals waiting for a second staff member (listed by the partial in one query)."""
    if not request.user.has_perm("projects.view_scope", project):
        return None
    return {"project": project}


project_panels.register(Section("scope_pending", "projects/projects/_scope_panel.html", pending_context, order=55))
community_tabs.register(
    Tab(
        "settings",
        gettext_lazy("Settings"),
        "projects:community_settings",
        order=95,
        permission="projects.change_community_settings",
    )
)
