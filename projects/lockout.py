"""Staff login throttling around django-axes (settings: ``AXES_*``).

- The lockout page says, in the visitor's language, when to try again (the cool-off runs
  from the last failure; a failure while locked restarts it), and whom to ask.
- Each lockout is logged as one warning line and recorded in the audit trail, in every
  community the account belongs to, so their admins see it and can unlock it.
- Logins and logouts are recorded in the audit trail too.
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from . import audit
from .models import AuditAction, AuditEvent, Membership

logger = logging.getLogger(__name__)


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"until": until, "minutes": minutes},
        status=429,
    )


def _memberships_of(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None, []
    return user, list(Membership.objects.filter(user=user).select_related("community"))


@receiver(user_locked_out)
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    username = (username or "")[:150]
    since = timezone.now() - get_cool_off(request)
    if AuditEvent.objects.filter(action=AuditAction.LOGIN_LOCKED, actor_name=username, at__gte=since).exists():
        return  # a failure while locked restarts the lockout; it is still the same one
    logger.warning("login locked out: username=%r address=%s", username, ip_address)
    user, memberships = _memberships_of(username)
    for community in [m.community for m in memberships] or [None]:
        audit.record(
            AuditAction.LOGIN_LOCKED,
            actor=user,
            actor_name=username,
            community=community,
            after={"address": ip_address},
            request=request,
        )


@receiver(user_logged_in)
def record_login(sender, request=None, user=None, **kwargs):
    audit.record(AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def record_logout(sender, request=None, user=None, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, request=request)


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' backend, but silent when there is no request.

    Every web login (``LoginView``, the admin) passes the request, so it is throttled.
    ``authenticate()`` without one only comes from code (the test client's ``login``, a
    shell); axes would raise there, while nothing can be throttled per address anyway."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
