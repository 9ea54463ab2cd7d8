"""Who may do what, as django-rules predicates.

Objects passed in are registry objects (community … household) or anything with a
``community`` attribute (projects, meetings, wishes, ballots). Checks are cached per user
per request (see ``access.py``), so ``{% has_perm %}`` in a loop adds no queries.

Roles:
- community admin and staff: run everything in their community;
- building head: sees the registry and phones only for their buildings, cannot edit it;
- department viewer: sees projects and the items assigned to their department, no registry;
- sub-district staff: read-only oversight of all communities of their sub-district, phones masked.
"""

import rules

from .access import building_of, community_of, staff_access
from .models import Compound, Role


def _role(user, obj):
    community_id, _ = community_of(obj)
    if community_id is None:
        return None
    return staff_access(user).roles.get(community_id)


def has_role_in(*roles):
    @rules.predicate(name=f"has_role_in_{'_'.join(roles)}")
    def predicate(user, obj):
        return _role(user, obj) in roles

    return predicate


@rules.predicate
def is_sub_district_staff(user, obj):
    _, sub_district_id = community_of(obj)
    return sub_district_id is not None and sub_district_id in staff_access(user).sub_district_ids


@rules.predicate
def is_head_of_building(user, obj):
    """A building head whose buildings include the object's building.

    Objects above the building level (community, compound) pass: the page they open is
    narrowed to the head's buildings by the selector.
    """
    community_id, _ = community_of(obj)
    access = staff_access(user)
    if access.roles.get(community_id) != Role.BUILDING_HEAD:
        return False
    building_id = building_of(obj)
    if building_id is None:
        return True
    return building_id in access.buildings.get(community_id, set())


is_superuser = rules.is_superuser
is_office = has_role_in(Role.ADMIN, Role.STAFF)
is_community_admin = has_role_in(Role.ADMIN)
is_department = has_role_in(Role.DEPARTMENT)
is_member = has_role_in(Role.ADMIN, Role.STAFF, Role.BUILDING_HEAD, Role.DEPARTMENT)

# Seeing and running a community
can_view_community = is_superuser | is_member | is_sub_district_staff
can_manage_community = is_superuser | is_office

# The registry
can_view_registry = is_superuser | is_office | is_sub_district_staff | is_head_of_building
can_change_registry = is_superuser | is_office
can_view_phone = is_superuser | is_office | is_head_of_building
can_view_care_flags = is_superuser | is_office | is_head_of_building

rules.add_perm("projects.view_community", can_view_community)
rules.add_perm("projects.manage_community", can_manage_community)
rules.add_perm("projects.view_registry", can_view_registry)
rules.add_perm("projects.change_household", can_change_registry)
rules.add_perm("projects.import_roster", can_change_registry)
rules.add_perm("projects.export_roster", can_view_registry)  # heads: own buildings; masked without view_phone
rules.add_perm("projects.view_phone", can_view_phone)
rules.add_perm("projects.view_care_flags", can_view_care_flags)

# Projects (issue 3 extends)
rules.add_perm("projects.view_project", can_view_community)
rules.add_perm("projects.change_project", can_manage_community)
rules.add_perm("projects.add_project", can_manage_community)
rules.add_perm("projects.change_stage", can_manage_community)
rules.add_perm("projects.set_ballot_requirement", can_manage_community)

# --- staff accounts ---
rules.add_perm("projects.manage_members", is_superuser | is_community_admin)
# The audit trail names staff and what they touched: the community admin reads it.
rules.add_perm("projects.view_audit", is_superuser | is_community_admin)
# Community-wide settings (the minimum public notice): the community admin.
rules.add_perm("projects.change_community_settings", is_superuser | is_community_admin)

# --- projects: progress, complaints, acceptance, satisfaction, oversight (issue 3) ---
# Community admin and staff run projects; sub-district staff oversee read-only; department
# viewers see projects and the complaints handed to their department; building heads see
# projects but not complaints, scope adjustments or individual answers (other buildings'
# households appear there).


@rules.predicate
def handles_complaint(user, complaint):
    """A department viewer of the complaint's community whose department handles it."""
    department_id = getattr(complaint, "handler_department_id", None)
    if department_id is None:
        return False
    community_id, _ = community_of(complaint)
    access = staff_access(user)
    return access.roles.get(community_id) == Role.DEPARTMENT and access.departments.get(community_id) == department_id


@rules.predicate
def oversees_sub_district(user, sub_district):
    return getattr(sub_district, "pk", None) in staff_access(user).sub_district_ids


can_run_projects = is_superuser | is_office
can_oversee_projects = is_superuser | is_office | is_sub_district_staff

rules.add_perm("projects.view_scope", can_oversee_projects)
rules.add_perm("projects.adjust_scope", can_run_projects)
rules.add_perm("projects.record_progress", can_run_projects)
rules.add_perm("projects.view_complaints", can_oversee_projects | is_department)
rules.add_perm("projects.view_complaint", can_oversee_projects | handles_complaint)
rules.add_perm("projects.add_complaint", can_run_projects)
rules.add_perm("projects.change_complaint", can_run_projects)
rules.add_perm("projects.record_acceptance", can_run_projects)
rules.add_perm("projects.view_satisfaction", can_oversee_projects)
rules.add_perm("projects.record_satisfaction", can_run_projects)
rules.add_perm("projects.view_sub_district", is_superuser | oversees_sub_district)
rules.add_perm("projects.print_poster", can_view_community)
# --- household codes ---
# Issuing, reissuing and revoking the letters that let a household act online, and seeing
# their history: the office only (a code is a vote).
rules.add_perm("projects.manage_household_codes", can_change_registry)
# --- sign-offs ---
# Community admin and staff run campaigns. Building heads see and record only the households
# of their buildings (objects above the building pass; the selectors narrow the lists).
# Department viewers and sub-district staff see the aggregate board only: no names.
can_see_signoff_households = is_superuser | is_office | is_head_of_building
rules.add_perm("projects.view_signoffs", can_view_community)
rules.add_perm("projects.view_signoff_households", can_see_signoff_households)
rules.add_perm("projects.record_signoff", can_see_signoff_households)
rules.add_perm("projects.manage_signoffs", can_manage_community)
rules.add_perm("projects.export_signoffs", can_manage_community)


# --- Residents: the household as a principal ----------------------------------------------
#
# Residents have no accounts: they act as their household after entering its code, and
# ``HouseholdMiddleware`` puts that household on ``request.household``. Their permissions are
# django-rules predicates like the staff's, taking ``(household, obj)`` instead of
# ``(user, obj)``, in their own rule set so that a staff permission can never be granted
# to a household by mistake (or the other way round). Views ask through
# ``HouseholdRequiredMixin`` (``projects/views/household.py``) or ``household_has_perm``.

household_rules = rules.RuleSet()


def add_household_perm(name: str, predicate) -> None:
    household_rules.add_rule(name, predicate)


def household_has_perm(household, perm: str, obj=None) -> bool:
    """Whether the acting household (``None``: nobody) may do ``perm`` on ``obj``."""
    return household is not None and household_rules.test_rule(perm, household, obj)


def compound_id_of(obj) -> int | None:
    """The compound an object belongs to: a compound itself, or anything with ``compound_id``
    (wishes, meetings, buildings)."""
    if isinstance(obj, Compound):
        return obj.pk
    return getattr(obj, "compound_id", None)


@rules.predicate
def is_resident_of_compound(household, obj) -> bool:
    """The household lives in the object's compound: it may act on that compound's
    noticeboard (submit and back wishes, say it will come to a meeting)."""
    compound_id = compound_id_of(obj)
    return compound_id is not None and household.unit.building.compound_id == compound_id


@rules.predicate
def household_can_rate(household, project) -> bool:
    """The project is in evaluation and its scope includes the household."""
    from .selectors.projects import projects_to_rate

    return project is not None and projects_to_rate(household).filter(pk=project.pk).exists()


@rules.predicate
def household_in_campaign(household, campaign) -> bool:
    """The sign-off campaign's project affects the household (it may confirm its consent)."""
    from .selectors.signoffs import household_in_campaign as in_campaign

    return in_campaign(campaign, household.pk) is not None


add_household_perm("projects.act_in_compound", is_resident_of_compound)
add_household_perm("projects.rate_project", household_can_rate)
add_household_perm("projects.confirm_signoff", household_in_campaign)
