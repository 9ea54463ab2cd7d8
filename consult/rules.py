"""Permissions of the consultation features, built on the predicates in projects.rules."""

import rules

from projects.rules import can_view_community

rules.add_perm("consult.view_meeting", can_view_community)
