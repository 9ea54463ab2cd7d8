"""Who may do a thing, in words: read from the permission's django-rules predicate.

A refusal page should tell the reader which role can do what they tried ("community staff,
building head") so they know whom to ask. The predicates already say it: their names are
composed from a few atoms (``has_role_in_admin_staff | is_sub_district_staff``), so one
table of atoms covers every permission, present and future, without a list to keep in step.
"""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from rules.permissions import permissions

from .models import Role

SUB_DISTRICT_STAFF = _("Sub-district staff")
SUPERUSER = _("System administrator")

# Atom name → role label. ``has_role_in_<roles>`` atoms are read by ``_membership_roles``.
ATOMS = {
    "is_superuser": SUPERUSER,
    "is_sub_district_staff": SUB_DISTRICT_STAFF,
    "oversees_sub_district": SUB_DISTRICT_STAFF,
    "is_head_of_building": Role.BUILDING_HEAD.label,
    "is_building_head": Role.BUILDING_HEAD.label,
    "is_department": Role.DEPARTMENT.label,
    "is_invited_department": Role.DEPARTMENT.label,
    "is_assigned_department": Role.DEPARTMENT.label,
    "handles_complaint": Role.DEPARTMENT.label,
}
_ROLE_VALUES = sorted((role.value for role in Role), key=len, reverse=True)


def _membership_roles(atom: str) -> list:
    rest, found = atom.removeprefix("has_role_in_"), []
    while rest:
        value = next((v for v in _ROLE_VALUES if rest == v or rest.startswith(v + "_")), None)
        if value is None:
            break
        found.append(Role(value).label)
        rest = rest[len(value) + 1 :]
    return found


def roles_for(permission: str) -> list[str]:
    """The roles that hold ``permission``, in the order the rule names them; the system
    administrator only when nobody else does."""
    predicate = permissions.get(permission)
    if predicate is None:
        return []
    labels = []
    for atom in re.findall(r"[a-z_]+", predicate.name):
        found = _membership_roles(atom) if atom.startswith("has_role_in_") else [ATOMS.get(atom)]
        for label in found:
            if label is not None and label not in labels:
                labels.append(label)
    if len(labels) > 1:
        labels.remove(SUPERUSER)
    return [str(label) for label in labels]


def who_can(permissions_needed) -> str:
    """ "Who can do this: community admin, community staff." for a refusal page, or ""."""
    labels = []
    for permission in permissions_needed:
        labels += [label for label in roles_for(permission) if label not in labels]
    if not labels:
        return ""
    return _("Who can do this: %(roles)s.") % {"roles": pgettext("list separator", ", ").join(labels)}
