"""Who may see the outbox and the jobs, and who may send: the community's office staff.

The outbox names households and holds phone numbers (masked on its pages), so building
heads, departments and the sub-district see none of it."""

import rules

from projects.rules import can_manage_community

rules.add_perm("notify.view_outbox", can_manage_community)  # on a community
rules.add_perm("notify.send_message", can_manage_community)  # on a community
rules.add_perm("notify.record_consent", can_manage_community)  # on a community
