"""Writes to a community's own settings, logged in the audit trail."""

from django.utils import timezone

from .. import audit
from ..models import AuditAction, Community
from .model_update import model_update

SETTINGS_FIELDS = ("notice_min_days",)


def community_settings_update(*, community: Community, data: dict, by, request=None, now=None):
    """Change the community's settings (the minimum public notice). A shorter notice applies
    to projects already in notice too: the guard reads it when a project moves on."""
    now = now or timezone.now()

    def history(locked, diff):
        return audit.record(
            AuditAction.COMMUNITY_SETTINGS_CHANGED,
            actor=by,
            community=locked,
            obj=locked,
            before={name: old for name, (old, _new) in diff.items()},
            after={name: new for name, (_old, new) in diff.items()},
            request=request,
            now=now,
        )

    return model_update(community, SETTINGS_FIELDS, data, history=history)
