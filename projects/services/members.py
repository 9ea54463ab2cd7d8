from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Community, Membership, Role


def membership_add(
    *, community: Community, username: str, full_name: str, password: str, role: str, buildings, department
) -> Membership:
    """Add a person to a community, creating their account when the login name is new."""
    with transaction.atomic():
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username=username, password=password, first_name=full_name)
        membership = Membership.objects.create(user=user, community=community, role=role, department=department)
        membership.buildings.set(buildings)
    return membership


def membership_update(*, membership: Membership, role: str, buildings, department) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_last_admin(locked, new_role=role)
        locked.role = role
        locked.department = department
        locked.save()
        locked.buildings.set(buildings)
    return locked


def membership_remove(*, membership: Membership) -> None:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_last_admin(locked, new_role=None)
        locked.delete()


def _refuse_losing_last_admin(membership: Membership, *, new_role) -> None:
    """A community always keeps one admin, or nobody could manage its staff any more."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(community_id=membership.community_id, role=Role.ADMIN)
    if admins.count() <= 1:
        raise ValidationError(_("A community needs at least one admin. Make someone else admin first."))
