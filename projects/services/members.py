from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ServiceError
from ..models import AuditAction, Community, Membership, Role


def _membership_state(membership: Membership) -> dict:
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "department": membership.department_id,
        "buildings": sorted(membership.buildings.values_list("pk", flat=True)),
    }


def _record_member(action, membership: Membership, *, by, request, before=None, after=None) -> None:
    audit.record(
        action,
        actor=by,
        community=membership.community,
        obj=membership,
        object_label=membership.user.get_full_name() or membership.user.get_username(),
        before=before,
        after=after,
        request=request,
    )


def membership_add(
    *,
    community: Community,
    username: str,
    full_name: str,
    password: str,
    role: str,
    buildings,
    department,
    by=None,
    request=None,
) -> Membership:
    """Add a person to a community, creating their account when the login name is new."""
    with transaction.atomic():
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username=username, password=password, first_name=full_name)
        membership = Membership.objects.create(user=user, community=community, role=role, department=department)
        membership.buildings.set(buildings)
        _record_member(
            AuditAction.MEMBER_ADDED, membership, by=by, request=request, after=_membership_state(membership)
        )
    return membership


def membership_update(*, membership: Membership, role: str, buildings, department, by=None, request=None) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user", "community").get(pk=membership.pk)
        _refuse_losing_last_admin(locked, new_role=role)
        before = _membership_state(locked)
        locked.role = role
        locked.department = department
        locked.save()
        locked.buildings.set(buildings)
        old, new = audit.changed(before, _membership_state(locked))
        if new:
            _record_member(AuditAction.MEMBER_CHANGED, locked, by=by, request=request, before=old, after=new)
    return locked


def membership_remove(*, membership: Membership, by=None, request=None) -> None:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user", "community").get(pk=membership.pk)
        _refuse_losing_last_admin(locked, new_role=None)
        before = _membership_state(locked)
        _record_member(AuditAction.MEMBER_REMOVED, locked, by=by, request=request, before=before)
        locked.delete()


def _refuse_losing_last_admin(membership: Membership, *, new_role) -> None:
    """A community always keeps one admin, or nobody could manage its staff any more."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(community_id=membership.community_id, role=Role.ADMIN)
    if admins.count() <= 1:
        raise ServiceError(_("A community needs at least one admin. Make someone else admin first."))


def locked_usernames(usernames) -> set[str]:
    """Which of these login names are locked out now (one query, for the members page)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def member_login_unlock(*, membership: Membership, by, request=None) -> int:
    """Lift a login lockout of a community member (a 楼门长 who forgot the new password
    should not wait 15 minutes in front of the residents). Returns the attempts cleared;
    recorded in the audit trail either way."""
    with transaction.atomic():
        cleared = reset(username=membership.user.get_username())
        audit.record(
            AuditAction.LOGIN_UNLOCKED,
            actor=by,
            community=membership.community,
            obj=membership.user,
            object_label=membership.user.get_username(),
            after={"attempts_cleared": cleared},
            request=request,
        )
    return cleared
