"""Household roster imports: the checked upload kept between preview and commit.

The row data stays after the commit as the record of who imported what; a discarded
upload drops its rows (personal data no longer needed, PIPL Art. 47) but keeps the counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import Community


class RosterImportStatus(models.TextChoices):
    PENDING = "pending", _("Checked, awaiting confirmation")
    INVALID = "invalid", _("Has errors, nothing imported")
    COMMITTED = "committed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class RosterImport(models.Model):
    Status = RosterImportStatus

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="roster_imports", verbose_name=_("community")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    rows = models.JSONField(
        _("rows"),
        default=list,
        blank=True,
        help_text=_("Every checked row: its number in the file, values, problems and planned action."),
    )
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    new_buildings = models.JSONField(_("buildings to create"), default=list, blank=True)
    new_units = models.JSONField(_("units to create"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    skipped_count = models.PositiveIntegerField(_("example rows skipped"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    create_count = models.PositiveIntegerField(_("households to create"), default=0)
    update_count = models.PositiveIntegerField(_("households to update"), default=0)
    unchanged_count = models.PositiveIntegerField(_("households unchanged"), default=0)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discarded by"),
    )
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["community", "-uploaded_at"], name="roster_import_community_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RosterImportStatus]), name="roster_import_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="committed")
                | (Q(error_count=0) & Q(committed_at__isnull=False) & Q(committed_by__isnull=False)),
                name="roster_import_committed_is_clean",
            ),
            models.CheckConstraint(
                condition=~Q(status="invalid") | Q(error_count__gt=0), name="roster_import_invalid_has_errors"
            ),
        ]

    def __str__(self):
        return f"{self.community} · {self.filename} · {self.uploaded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("projects:roster_preview", args=[self.pk])

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def can_discard(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.INVALID)
