"""Permissions of the consultation features, built on the predicates in projects.rules."""

import rules

from projects.rules import can_view_community

rules.add_perm("consult.view_meeting", can_view_community)

# --- ballots ---
# Seeing a ballot's staff page (turnout by building and unit, aggregates): anyone who sees the
# community. Who voted how, entering and voiding ballots, and running the ballot: the office.
from projects.rules import can_manage_community  # noqa: E402

rules.add_perm("consult.view_ballot", can_view_community)
rules.add_perm("consult.add_ballot", can_manage_community)
rules.add_perm("consult.manage_ballot", can_manage_community)
rules.add_perm("consult.enter_ballot", can_manage_community)
rules.add_perm("consult.view_cast_ballots", can_manage_community)
rules.add_perm("consult.handle_objection", can_manage_community)
