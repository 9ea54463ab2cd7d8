"""Where meetings show up on other features' pages.

- the compound noticeboard (public): upcoming announced meetings and the report-backs;
- the household page (a resident after entering the household code): meetings to come to,
  with a button to say so;
- the community overview (staff): upcoming meetings, open and overdue action items;
- the project page (staff): the project's meetings.

Each context callable runs a fixed number of queries and returns None to stay hidden.
The meeting page itself renders ``consult.sections.meeting_panels`` (wishes raised at the
meeting, ballots taken in the room).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.identity import current_household
from projects.rules import household_has_perm
from projects.sections import (
    Section,
    Tab,
    community_tabs,
    dashboard_panels,
    household_sections,
    noticeboard_sections,
    project_panels,
)

from ..models import MeetingRSVP
from ..selectors import action_items as item_selectors
from ..selectors import meetings as selectors


def noticeboard_context(compound, request):
    now = timezone.now()
    upcoming = list(selectors.noticeboard_upcoming(compound, now=now))
    reported = list(selectors.noticeboard_reported(compound))
    if not upcoming and not reported:
        return None
    household = current_household(request)
    can_rsvp = household_has_perm(household, "projects.act_in_compound", compound)
    mine = {}
    if can_rsvp and upcoming:
        mine = dict(
            MeetingRSVP.objects.filter(
                household=household, meeting__in=[m.pk for m in upcoming], withdrawn_at__isnull=True
            ).values_list("meeting_id", "people")
        )
    for meeting in upcoming:
        meeting.my_people = mine.get(meeting.pk)
    return {"upcoming": upcoming, "reported": reported, "can_rsvp": can_rsvp}


def household_context(household, request):
    meetings = selectors.household_upcoming(household, now=timezone.now())
    if not meetings:
        return None
    return {"meetings": meetings, "household": household}


def dashboard_context(community, request):
    user = request.user
    if not user.has_perm("consult.list_meetings", community):
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    return {
        "upcoming": selectors.upcoming_for_dashboard(user, community, now=now),
        "summary": item_selectors.action_item_summary(user, community, today=today),
        "overdue": item_selectors.overdue_items(user, community, today=today),
        "today": today,
        "can_add": user.has_perm("consult.add_meeting", community),
    }


def project_context(project, request):
    user = request.user
    if not user.has_perm("consult.list_meetings", project.community):
        return None
    return {
        "meetings": list(selectors.project_meetings(user, project, now=timezone.now())),
        "can_add": user.has_perm("consult.add_meeting", project.community),
    }


noticeboard_sections.register(
    Section("meetings", "consult/meetings/sections/noticeboard.html", noticeboard_context, order=20)
)
household_sections.register(
    Section("meetings", "consult/meetings/sections/household.html", household_context, order=40)
)
dashboard_panels.register(Section("meetings", "consult/meetings/sections/dashboard.html", dashboard_context, order=30))
project_panels.register(Section("meetings", "consult/meetings/sections/project.html", project_context, order=30))
community_tabs.register(Tab("meetings", _("Meetings"), "consult:meeting_list", order=30))
