"""Permissions of the consultation features, built on the predicates in projects.rules."""

import rules

from projects.rules import can_view_community

rules.add_perm("consult.view_meeting", can_view_community)

# --- wishes ---
# The public list, the wish page, online submission and receipt lookup need no permission.
# Objects: a community (queue, entry, export) or a wish (its staff page and actions); for a
# wish, a building head's building is the wish's building, else the submitting household's.
from projects.rules import (  # noqa: E402
    is_department,
    is_head_of_building,
    is_office,
    is_sub_district_staff,
    is_superuser,
)

can_view_wishes = is_superuser | is_office | is_department | is_sub_district_staff | is_head_of_building
rules.add_perm("consult.view_wish_queue", can_view_wishes)
rules.add_perm("consult.enter_wish", is_superuser | is_office | is_head_of_building)
rules.add_perm("consult.triage_wish", is_superuser | is_office)
rules.add_perm("consult.change_wish", is_superuser | is_office)
rules.add_perm("consult.record_support", is_superuser | is_office | is_head_of_building)
rules.add_perm("consult.export_wishes", is_superuser | is_office | is_sub_district_staff)
