"""Permissions of the consultation features, built on the predicates in projects.rules."""

import rules

from projects.access import community_of, staff_access
from projects.models import Role
from projects.rules import (
    add_household_perm,
    can_change_registry,
    can_manage_community,
    can_view_community,
    can_view_registry,
    has_role_in,
    is_department,
    is_head_of_building,
    is_office,
    is_sub_district_staff,
    is_superuser,
    oversees_sub_district,
)

# --- ballots ---
# Seeing a ballot's staff page (turnout by building and unit, aggregates): anyone who sees the
# community. Who voted how, entering and voiding ballots, and running the ballot: the office.
rules.add_perm("consult.view_ballot", can_view_community)
rules.add_perm("consult.add_ballot", can_manage_community)
rules.add_perm("consult.manage_ballot", can_manage_community)
rules.add_perm("consult.enter_ballot", can_manage_community)
rules.add_perm("consult.view_cast_ballots", can_manage_community)
rules.add_perm("consult.handle_objection", can_manage_community)


# --- written authorisations (委托书), checked on the household ---
# Seen with the household's registry page (phones masked without ``projects.view_phone``);
# recorded and revoked by the office, like the registry itself.
rules.add_perm("consult.view_proxies", can_view_registry)
rules.add_perm("consult.add_proxy", can_change_registry)
rules.add_perm("consult.revoke_proxy", can_change_registry)


# --- meetings (issue 4) ---
def _department_of(user, obj) -> int | None:
    """The department a department viewer speaks for in the object's community."""
    community_id, _ = community_of(obj)
    access = staff_access(user)
    if access.roles.get(community_id) != Role.DEPARTMENT:
        return None
    return access.departments.get(community_id)


@rules.predicate
def is_invited_department(user, meeting):
    """A department viewer whose department was invited to the meeting ("吹哨报到")."""
    department_id = _department_of(user, meeting)
    return department_id is not None and department_id in meeting.invited_department_ids()


@rules.predicate
def is_assigned_department(user, item):
    """A department viewer whose department owns the action item."""
    department_id = _department_of(user, item)
    return department_id is not None and item.owner_department_id == department_id


is_building_head = has_role_in(Role.BUILDING_HEAD)

# Department viewers see only the meetings they were invited to; building heads help
# announce meetings in their buildings and read every meeting of their community.
can_view_meeting = is_superuser | is_office | is_building_head | is_sub_district_staff | is_invited_department
can_run_meetings = is_superuser | is_office

rules.add_perm("consult.view_meeting", can_view_meeting)
rules.add_perm("consult.list_meetings", can_view_community)  # on a community; the list narrows per role
rules.add_perm("consult.add_meeting", can_manage_community)  # on a community
rules.add_perm("consult.change_meeting", can_run_meetings)
# Who came and who said they would come: names and rooms, for the office and the sub-district.
rules.add_perm("consult.view_meeting_people", is_superuser | is_office | is_sub_district_staff)
rules.add_perm("consult.view_action_items", can_view_community)  # on a community; the list narrows per role
rules.add_perm(
    "consult.view_action_item",
    is_superuser | is_office | is_building_head | is_sub_district_staff | is_assigned_department,
)
rules.add_perm("consult.update_action_item", is_superuser | is_office | is_assigned_department)  # status + note
rules.add_perm("consult.change_action_item", is_superuser | is_office)  # title, owner, deadline

# --- wishes ---
# The public list, the wish page, online submission and receipt lookup need no permission.
# Objects: a community (queue, entry, export) or a wish (its staff page and actions); for a
# wish, a building head's building is the wish's building, else the submitting household's.
can_view_wishes = is_superuser | is_office | is_department | is_sub_district_staff | is_head_of_building
rules.add_perm("consult.view_wish_queue", can_view_wishes)
rules.add_perm("consult.enter_wish", is_superuser | is_office | is_head_of_building)
rules.add_perm("consult.triage_wish", is_superuser | is_office)
rules.add_perm("consult.change_wish", is_superuser | is_office)
rules.add_perm("consult.record_support", is_superuser | is_office | is_head_of_building)
rules.add_perm("consult.export_wishes", is_superuser | is_office | is_sub_district_staff)
# Object: a sub-district. Its own staff export every community's wishes in one file.
rules.add_perm("consult.export_sub_district_wishes", is_superuser | oversees_sub_district)


# --- residents, acting as their household (see ``projects.rules.household_rules``) ---------


@rules.predicate
def household_in_ballot_scope(household, ballot) -> bool:
    """The household was eligible when the ballot opened (the frozen snapshot decides)."""
    from .models import EligibleHousehold

    return EligibleHousehold.objects.filter(ballot=ballot, household=household).exists()


@rules.predicate
def ballot_on_households_noticeboard(household, ballot) -> bool:
    """The ballot is shown on the household's compound noticeboard: its residents may object."""
    return ballot.noticeboard_compounds.filter(pk=household.unit.building.compound_id).exists()


@rules.predicate
def household_can_support(household, wish) -> bool:
    """Households of the wish's compound back it; when the wish was merged, the households of
    the compound of the wish it ended up in may too (the service follows the chain)."""
    from .selectors.wishes import support_target_compound_id

    compound_id = household.unit.building.compound_id
    return compound_id == wish.compound_id or compound_id == support_target_compound_id(wish)


@rules.predicate
def household_invited_to_meeting(household, meeting) -> bool:
    """The meeting is for the household's community, compound or building."""
    from .services.meeting_attendance import household_in_area

    return household_in_area(meeting, household)


add_household_perm("consult.vote_ballot", household_in_ballot_scope)
add_household_perm("consult.object_to_ballot", ballot_on_households_noticeboard)
add_household_perm("consult.support_wish", household_can_support)
add_household_perm("consult.rsvp_meeting", household_invited_to_meeting)
