"""Progress of the works: named quantities (190 m of pipe, 21 grease traps) and a dated
timeline of what happened, with photos before, during and after.

Quantities keep their invariants in the database (0 ≤ done ≤ target, target > 0), and every
change of ``done`` is appended to ``ProgressUpdate`` so the record can be checked later.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .projects import Project


class ProgressItem(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_items", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. sewage pipe, grease traps"))
    unit = models.CharField(_("unit of measure"), max_length=20, help_text=_("e.g. 米, 个, 平方米"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    done = models.DecimalField(_("done"), max_digits=12, decimal_places=2, default=0)
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Shown as overdue after this date until it is complete.")
    )
    sort_key = models.PositiveIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("progress item")
        verbose_name_plural = _("progress items")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="progress_target_positive"),
            models.CheckConstraint(condition=Q(done__gte=0), name="progress_done_not_negative"),
            models.CheckConstraint(condition=Q(done__lte=F("target")), name="progress_done_within_target"),
            models.UniqueConstraint(fields=["project", "name"], name="progress_item_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} {self.done}/{self.target} {self.unit}"

    @property
    def community(self):
        return self.project.community

    @property
    def is_complete(self) -> bool:
        return self.done >= self.target


class ProgressUpdate(models.Model):
    """Append-only: each change of an item's ``done`` quantity."""

    item = models.ForeignKey(ProgressItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("item"))
    done_before = models.DecimalField(_("done before"), max_digits=12, decimal_places=2)
    done_after = models.DecimalField(_("done after"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-recorded_at", "-pk"]


class TimelineEntry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("project"))
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what happened"), blank=True)
    is_public = models.BooleanField(
        _("show on the public noticeboard"),
        default=True,
        help_text=_("Public entries and their photos are visible to everyone. Do not name residents."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["project", "-date"], name="timeline_project_date")]

    def __str__(self):
        return f"{self.date} {self.title}"

    @property
    def community(self):
        return self.project.community


class PhotoPhase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


def timeline_photo_path(instance, filename):
    # The file name is random: an uploaded name may carry a resident's name or a date.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"projects/{instance.entry.project_id}/{uuid.uuid4().hex}.{extension}"


class TimelinePhoto(models.Model):
    """A photo already checked and re-encoded by ``projects.photos`` (no EXIF, no GPS)."""

    entry = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("entry"))
    image = models.ImageField(
        _("photo"), upload_to=timeline_photo_path, width_field="width", height_field="height", max_length=200
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    phase = models.CharField(_("phase"), max_length=10, choices=PhotoPhase.choices, default=PhotoPhase.DURING)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("timeline photo")
        verbose_name_plural = _("timeline photos")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=[p.value for p in PhotoPhase]), name="photo_phase_valid")
        ]

    def __str__(self):
        return self.caption or self.image.name

    @property
    def community(self):
        return self.entry.project.community
