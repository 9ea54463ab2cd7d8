"""Household access codes: how a household without an account acts online.

The code is printed on a letter staff hand to the household. The database keeps only a
keyed hash of it (HMAC-SHA256 with the site's secret, see ``projects.services.identity``)
and its last four characters, so staff can tell which letter a resident is holding ("the
one ending in 7KQ9") without anyone — staff, a database dump, a backup — being able to
sign in as the household. Reissuing or revoking never deletes: the old row keeps who
issued it, who revoked it, when and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Household


class HouseholdCode(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="access_codes", verbose_name=_("household")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    last4 = models.CharField(_("last four characters"), max_length=4)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("household access code")
        verbose_name_plural = _("household access codes")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(revoked_at__isnull=True), name="household_code_one_active"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoke_reason=""),
                name="household_code_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return f"…{self.last4}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AttemptReason(models.TextChoices):
    UNKNOWN = "unknown", _("No such code")
    REVOKED = "revoked", _("Revoked code")
    MALFORMED = "malformed", _("Not a well-formed code")
    BLOCKED = "blocked", _("Blocked by the rate limit")


class HouseholdCodeAttempt(models.Model):
    """A failed code entry. The client's address is kept only as a keyed hash, and the
    code that was typed is not kept at all: the log shows guessing, not what was guessed."""

    attempted_at = models.DateTimeField(_("attempted at"), db_index=True)
    ip_hash = models.CharField(_("client address (hashed)"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=AttemptReason.choices)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("failed code entry")
        verbose_name_plural = _("failed code entries")
        ordering = ["-attempted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=AttemptReason.values),
                name="household_code_attempt_reason_valid",
            )
        ]
