"""Renovation projects: the thing residents are consulted about.

The scope (compounds, buildings or units plus single-household adjustments) defines the
affected households that sign-offs and ballots work on; see ``projects.selectors.scope``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import Building, Community, Compound, Household, Unit


class ProjectClass(models.TextChoices):
    BASIC = "basic", _("Basic (基础类)")
    IMPROVEMENT = "improvement", _("Improvement (完善类)")
    UPGRADE = "upgrade", _("Upgrade (提升类)")


class WorkType(models.TextChoices):
    WATER_PIPES = "water_pipes", _("Water and drain pipes")
    SEWAGE = "sewage", _("Sewage")
    ELEVATOR = "elevator", _("Elevator")
    ROOF_WALLS = "roof_walls", _("Roof and walls")
    PUBLIC_TOILET = "public_toilet", _("Public toilet")
    SQUARE = "square", _("Square or activity space")
    PARKING = "parking", _("Parking")
    CHARGING = "charging", _("Charging")
    GREENERY = "greenery", _("Greenery")
    LIGHTING = "lighting", _("Lighting")
    ELDERLY = "elderly", _("Elderly-friendly facilities")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """The life of a project, in order. ``Stage.ordered()`` gives the sequence."""

    NEEDS = "needs", _("Collecting needs")
    DESIGN = "design", _("Design")
    CONSENT = "consent", _("Consent")
    NOTICE = "notice", _("Public notice")
    CONSTRUCTION = "construction", _("Construction")
    ACCEPTANCE = "acceptance", _("Acceptance")
    EVALUATION = "evaluation", _("Evaluation")
    COMPLETED = "completed", _("Completed")

    @classmethod
    def ordered(cls) -> list["Stage"]:
        return list(cls)

    @classmethod
    def index(cls, value: str) -> int:
        return [s.value for s in cls].index(value)


class Project(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="projects", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    project_class = models.CharField(
        _("national class"), max_length=20, choices=ProjectClass.choices, default=ProjectClass.BASIC
    )
    work_type = models.CharField(_("work type"), max_length=30, choices=WorkType.choices, default=WorkType.OTHER)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NEEDS)
    compounds = models.ManyToManyField(
        Compound, blank=True, related_name="projects", verbose_name=_("whole compounds in scope")
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="projects", verbose_name=_("buildings in scope")
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="projects", verbose_name=_("units in scope"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__in=[s.value for s in Stage]), name="project_stage_valid")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])


class StageTransition(models.Model):
    """Append-only: every stage change, who made it and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("project")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["changed_at", "pk"]


class ProjectHouseholdAdjustment(models.Model):
    """A single household added to or removed from the derived scope, with the reason."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("project")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="project_adjustments", verbose_name=_("household")
    )
    included = models.BooleanField(_("included"), help_text=_("Ticked: added to the scope. Unticked: removed."))
    reason = models.CharField(_("reason"), max_length=300)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("made by"))
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("scope adjustment")
        verbose_name_plural = _("scope adjustments")
        constraints = [models.UniqueConstraint(fields=["project", "household"], name="adjustment_one_per_household")]
