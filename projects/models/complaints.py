"""Complaints during construction: 12345 hotline "red lights", calls, visits, online messages.

A complaint's status and its response change over time; each change is appended to
``ComplaintEvent`` so the handling can be reconstructed (who promised what, when).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..validators import validate_phone
from .projects import Project
from .registry import Household
from .roles import Department


class ComplaintSource(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Online")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


OPEN_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)


class Complaint(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="complaints", verbose_name=_("project"))
    source = models.CharField(_("source"), max_length=20, choices=ComplaintSource.choices)
    hotline_ref = models.CharField(
        _("12345 reference number"), max_length=50, blank=True, help_text=_("Required for 12345 hotline complaints.")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("household"),
    )
    contact_phone = models.CharField(_("call-back number"), max_length=20, blank=True, validators=[validate_phone])
    summary = models.TextField(_("what happened"))
    received_at = models.DateTimeField(_("received at"))
    handler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("handled by (staff)"),
    )
    handler_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("handled by (department)"),
    )
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    response = models.TextField(_("response to the resident"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=ComplaintSource.HOTLINE) | ~Q(hotline_ref=""), name="complaint_hotline_has_ref"
            ),
            models.CheckConstraint(
                condition=Q(status=ComplaintStatus.RESOLVED, resolved_at__isnull=False)
                | (~Q(status=ComplaintStatus.RESOLVED) & Q(resolved_at__isnull=True)),
                name="complaint_resolved_iff_resolved_at",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")),
                name="complaint_resolved_after_received",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ComplaintStatus]), name="complaint_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in ComplaintSource]), name="complaint_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="complaint_project_status")]

    def __str__(self):
        return self.summary[:40]

    def get_absolute_url(self):
        return reverse("projects:complaint", args=[self.pk])

    @property
    def community(self):
        return self.project.community

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintEvent(models.Model):
    """Append-only: the complaint was recorded, reassigned, answered, resolved or reopened."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices)
    note = models.TextField(_("note"), blank=True)
    handler_label = models.CharField(_("handler"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
