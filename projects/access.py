"""Resolve what a staff user may reach, once per request.

Predicates in ``rules.py`` call these helpers many times per page; the memberships are
loaded in two queries and cached on the user object, so permission checks in templates
and loops do not add queries as lists grow.
"""

from dataclasses import dataclass, field

from .models import Building, Community, Compound, Household, Membership, Role, SubDistrictMembership, Unit


@dataclass
class StaffAccess:
    roles: dict[int, str] = field(default_factory=dict)  # community id → role
    buildings: dict[int, set[int]] = field(default_factory=dict)  # community id → building ids (heads)
    departments: dict[int, int] = field(default_factory=dict)  # community id → department id
    department_ids: set[int] = field(default_factory=set)
    sub_district_ids: set[int] = field(default_factory=set)

    @property
    def community_ids(self) -> set[int]:
        return set(self.roles)


def staff_access(user) -> StaffAccess:
    if not getattr(user, "is_authenticated", False):
        return StaffAccess()
    cached = getattr(user, "_staff_access", None)
    if cached is not None:
        return cached
    access = StaffAccess()
    for m in Membership.objects.filter(user=user).prefetch_related("buildings"):
        access.roles[m.community_id] = m.role
        if m.role == Role.BUILDING_HEAD:
            access.buildings[m.community_id] = {b.pk for b in m.buildings.all()}
        if m.department_id:
            access.departments[m.community_id] = m.department_id
            access.department_ids.add(m.department_id)
    access.sub_district_ids = set(
        SubDistrictMembership.objects.filter(user=user).values_list("sub_district_id", flat=True)
    )
    user._staff_access = access
    return access


def community_of(obj) -> tuple[int | None, int | None]:
    """(community id, sub-district id) of any registry object or object with a community.

    Sub-district id is resolved lazily only when needed by the caller; returns None when unknown.
    """
    if obj is None:
        return None, None
    if isinstance(obj, Community):
        return obj.pk, obj.sub_district_id
    community = _community_object(obj)
    if community is None:
        return None, None
    return community.pk, community.sub_district_id


def _community_object(obj):
    if isinstance(obj, Community):
        return obj
    if isinstance(obj, Compound):
        return obj.community
    if isinstance(obj, Building):
        return obj.compound.community
    if isinstance(obj, Unit):
        return obj.building.compound.community
    if isinstance(obj, Household):
        return obj.unit.building.compound.community
    community = getattr(obj, "community", None)
    if isinstance(community, Community):
        return community
    return None


def building_of(obj) -> int | None:
    if isinstance(obj, Building):
        return obj.pk
    if isinstance(obj, Unit):
        return obj.building_id
    if isinstance(obj, Household):
        return obj.unit.building_id
    building_id = getattr(obj, "building_id", None)
    if building_id:
        return building_id
    household = getattr(obj, "household", None)
    if isinstance(household, Household):
        return household.unit.building_id
    return None


def visible_communities(user):
    """Communities a user may open at all (any role, or sub-district oversight)."""
    if getattr(user, "is_superuser", False):
        return Community.objects.all()
    access = staff_access(user)
    from django.db.models import Q

    return Community.objects.filter(Q(pk__in=access.community_ids) | Q(sub_district_id__in=access.sub_district_ids))


def restrict_to_head_buildings(user, community, queryset, building_path: str):
    """Narrow a registry queryset for a building head to their own buildings.

    ``building_path`` is the lookup from the queryset's model to the building id
    (e.g. ``"unit__building_id"``). Other roles get the queryset unchanged.
    """
    if getattr(user, "is_superuser", False):
        return queryset
    access = staff_access(user)
    if access.roles.get(community.pk) == Role.BUILDING_HEAD:
        return queryset.filter(**{f"{building_path}__in": access.buildings.get(community.pk, set())})
    return queryset
