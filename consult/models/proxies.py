"""Written authorisations (委托书): an owner lets someone else vote for the household.

Many owners cannot come themselves: an elderly owner living with a child in another city, an
owner in hospital, a flat whose owner lives abroad. The Civil Code lets an owner entrust
someone in writing; the record has to show, in a dispute, *which* paper a ballot was cast
under. So each authorisation keeps what is written on the paper (who grants it, to whom,
its number and date, a photo when there is one), who typed it in and when, and whether it
covers every ballot of the household or one ballot only. A ``CastBallot`` entered under it
points at it (``CastBallot.proxy``).

Append-only: a row is never edited or deleted. The only change allowed is revoking it, once:
``revoked_at``, ``revoked_by`` and ``revoke_reason`` are set together, from empty, and never
again (``consult.services.proxies.proxy_revoke``; the database checks they are all set or all
empty). Ballots already cast under an authorisation stay valid when it is revoked later: they
were cast while it held. On PostgreSQL a trigger installed by the migration
(``projects.db.append_only``, ``allow_once`` the revoke fields) refuses any other UPDATE and
every DELETE on this table; nothing in the app needs more than the one-time revoke.

The grantor is one of the household's recorded owners (``grantor``, an ``Owner`` linked to
the household) when the registry lists any, and always by the name written on the paper
(``grantor_name``), which is all there is for a household whose owners are not recorded.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import Household, Owner
from projects.models.signoffs import private_media_storage

from .ballots import Ballot


class ProxyScope(models.TextChoices):
    GENERAL = "general", _("Every ballot of the household")
    BALLOT = "ballot", _("One ballot only")


def authorisation_photo_path(instance, filename: str) -> str:
    """A random name: neither the household nor the people appear in the path. The extension
    is the one ``projects.photos`` gave the cleaned file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"proxy-authorisations/{uuid.uuid4().hex}.{extension}"


class ProxyAuthorisationQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)

    def covering(self, ballot: Ballot):
        """Those that may carry a ballot of ``ballot``: in force, general or for this ballot."""
        return self.in_force().filter(Q(scope=ProxyScope.GENERAL) | Q(scope=ProxyScope.BALLOT, ballot=ballot))


class ProxyAuthorisation(models.Model):
    """One written authorisation. Immutable except the one-time revoke fields (see the module)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="proxy_authorisations", verbose_name=_("household")
    )
    grantor = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_authorisations",
        verbose_name=_("owner who grants it"),
        help_text=_("One of the household's recorded owners."),
    )
    grantor_name = models.CharField(
        _("granted by (owner)"), max_length=100, help_text=_("The owner who signed the authorisation.")
    )
    proxy_name = models.CharField(_("authorised person"), max_length=100)
    proxy_phone = models.CharField(_("authorised person's phone"), max_length=30, blank=True)
    number = models.CharField(
        _("authorisation number"), max_length=50, help_text=_("The number written on the authorisation (委托书编号).")
    )
    signed_on = models.DateField(_("date of the authorisation"))
    scope = models.CharField(_("covers"), max_length=20, choices=ProxyScope.choices, default=ProxyScope.GENERAL)
    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_authorisations",
        verbose_name=_("ballot"),
    )
    photo = models.ImageField(
        _("photo of the authorisation"),
        upload_to=authorisation_photo_path,
        storage=private_media_storage,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = ProxyAuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("written authorisation")
        verbose_name_plural = _("written authorisations")
        ordering = ["-entered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=ProxyScope.values), name="proxy_scope_valid"),
            models.CheckConstraint(
                condition=Q(scope=ProxyScope.GENERAL, ballot__isnull=True)
                | Q(scope=ProxyScope.BALLOT, ballot__isnull=False),
                name="proxy_ballot_matches_scope",
            ),
            models.CheckConstraint(
                condition=~Q(grantor_name="") & ~Q(proxy_name="") & ~Q(number=""), name="proxy_names_and_number_given"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoke_reason="")
                | Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revoke_reason=""),
                name="proxy_revoke_recorded",
            ),
            models.UniqueConstraint(fields=["household", "number"], name="proxy_number_once_per_household"),
        ]
        indexes = [models.Index(fields=["household", "revoked_at"], name="proxy_household_in_force")]

    def __str__(self):
        return self.label

    @property
    def is_in_force(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        """How a ballot cast under it names it: "委托 李明，委托书 No. 2026-07（2026-11-20）"."""
        return gettext("Proxy %(name)s, authorisation No. %(number)s of %(date)s") % {
            "name": self.proxy_name,
            "number": self.number,
            "date": self.signed_on.isoformat(),
        }
