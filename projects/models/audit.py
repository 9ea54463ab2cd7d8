"""The audit trail: one table for what staff did, read per community by its admins.

Domain history (votes, sign-off events, stage and status changes) keeps its own
append-only tables, because the decisions are computed from them. This table is for the
rest: who changed a membership or a role, edited a project or a meeting, deleted a
progress item, downloaded a roster, looked at care flags, logged in or was locked out.
Rows are only ever added (``projects.audit.record``); nothing updates or deletes them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .registry import Community


class AuditAction(models.TextChoices):
    LOGIN = "login", pgettext_lazy("audit", "Logged in")
    LOGOUT = "logout", pgettext_lazy("audit", "Logged out")
    LOGIN_LOCKED = "login_locked", pgettext_lazy("audit", "Locked out after failed logins")
    LOGIN_UNLOCKED = "login_unlocked", pgettext_lazy("audit", "Login unlocked")
    MEMBER_ADDED = "member_added", pgettext_lazy("audit", "Member added")
    MEMBER_CHANGED = "member_changed", pgettext_lazy("audit", "Role changed")
    MEMBER_REMOVED = "member_removed", pgettext_lazy("audit", "Member removed")
    PROJECT_CHANGED = "project_changed", pgettext_lazy("audit", "Project edited")
    COMMUNITY_SETTINGS_CHANGED = "community_settings_changed", pgettext_lazy("audit", "Community settings changed")
    MEETING_CHANGED = "meeting_changed", pgettext_lazy("audit", "Meeting edited")
    PROGRESS_ITEM_DELETED = "progress_item_deleted", pgettext_lazy("audit", "Progress item deleted")
    TIMELINE_ENTRY_DELETED = "timeline_entry_deleted", pgettext_lazy("audit", "Timeline entry deleted")
    DATA_EXPORTED = "data_exported", pgettext_lazy("audit", "Personal data downloaded")
    CARE_FLAGS_VIEWED = "care_flags_viewed", pgettext_lazy("audit", "Care flags seen")
    BALLOT_DIGEST_VERIFIED = "ballot_digest_verified", pgettext_lazy("audit", "Ballot digest checked")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The login name at the time: kept when the account is deleted, and for a lockout of
    # a name that has no account.
    actor_name = models.CharField(_("login name"), max_length=150, blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("community"),
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-at"], name="audit_community_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]
        constraints = [models.CheckConstraint(condition=Q(action__in=AuditAction.values), name="audit_action_valid")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"
