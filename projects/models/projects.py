"""Renovation projects: the thing residents are consulted about.

The scope (compounds, buildings or units, plus single households added or taken out in the
scope event log, ``projects.models.scope``) defines the affected households that sign-offs
and ballots work on; see ``projects.selectors.scope``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import metrics
from .registry import Building, Community, Compound, Unit
from .roles import Department
from .rules import DecisionRule


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
    MAINTENANCE_FUND = "maintenance_fund", _("Spending the maintenance fund (维修资金)")
    COMMON_PARTS = "common_parts", _("Changing common parts (共有部分)")
    OTHER = "other", _("Other")


# The ballot a project must pass before construction, by the rule it must be decided under.
# Blank: no ballot needed (a sign-off campaign, or nothing, decides).
REQUIRED_BALLOT_CHOICES = [
    ("", _("No ballot required")),
    (DecisionRule.SIMPLE_MAJORITY.value, _("A ballot passed by simple majority")),
    (DecisionRule.ART278_ORDINARY.value, _("A ballot passed under Civil Code Art. 278 (ordinary matter)")),
    (DecisionRule.ART278_MAJOR.value, _("A ballot passed under Civil Code Art. 278 (major matter)")),
    (DecisionRule.UNANIMOUS.value, _("A unanimous ballot")),
]
REQUIRED_BALLOT_RULES = [value for value, _label in REQUIRED_BALLOT_CHOICES]

# Installing an elevator, spending the maintenance fund and changing common parts are matters
# the owners decide together (Civil Code Art. 278): they need the major-matter ballot unless
# staff record why not (``ballot_requirement_set``).
BALLOT_REQUIRED_BY_WORK_TYPE = {
    WorkType.ELEVATOR: DecisionRule.ART278_MAJOR,
    WorkType.MAINTENANCE_FUND: DecisionRule.ART278_MAJOR,
    WorkType.COMMON_PARTS: DecisionRule.ART278_MAJOR,
}


def default_ballot_requirement(work_type: str) -> str:
    """The ballot a new project of this work type must pass ("" for none)."""
    rule = BALLOT_REQUIRED_BY_WORK_TYPE.get(work_type)
    return rule.value if rule else ""


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
    requires_passed_ballot = models.CharField(
        _("ballot required before construction"),
        max_length=30,
        choices=REQUIRED_BALLOT_CHOICES,
        blank=True,
        default="",
        help_text=_(
            "Construction waits until a ballot linked to this project, under this rule or a stricter one, has "
            "passed, its public notice has ended and every objection is answered."
        ),
    )
    compounds = models.ManyToManyField(
        Compound, blank=True, related_name="projects", verbose_name=_("whole compounds in scope")
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="projects", verbose_name=_("buildings in scope")
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="projects", verbose_name=_("units in scope"))
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="projects",
        verbose_name=_("departments involved"),
        help_text=_("Departments called in for this project (吹哨报到)."),
    )
    planned_start = models.DateField(_("planned start of works"), null=True, blank=True)
    planned_end = models.DateField(
        _("planned end of works"),
        null=True,
        blank=True,
        help_text=_("A project still before acceptance after this date shows as overdue."),
    )
    is_public = models.BooleanField(
        _("show on the public noticeboard"),
        default=True,
        help_text=_("Untick to keep a project internal, e.g. while the plan is still confidential."),
    )
    stage_changed_at = models.DateTimeField(
        _("in this stage since"),
        null=True,
        blank=True,
        help_text=_("Set by every stage change; lets the dashboard find projects stuck in a stage."),
    )
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
            models.CheckConstraint(condition=models.Q(stage__in=[s.value for s in Stage]), name="project_stage_valid"),
            models.CheckConstraint(
                condition=models.Q(requires_passed_ballot__in=REQUIRED_BALLOT_RULES),
                name="project_required_ballot_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_end__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="project_planned_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["community", "stage"], name="project_community_stage")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])

    @property
    def stage_index(self) -> int:
        return Stage.index(self.stage)

    @property
    def overall_progress(self):
        """Exact share (``Fraction``) from the progress items; see ``projects.metrics``.

        Uses prefetched ``progress_items`` when the selector loaded them, so lists stay flat."""
        return metrics.overall_progress((item.done, item.target) for item in self.progress_items.all())

    @property
    def progress_percent(self) -> int | None:
        return metrics.progress_percent(self.overall_progress)


class FundingKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    SOCIAL_CAPITAL = "social_capital", _("Social capital")
    RESIDENTS = "residents", _("Residents")
    MAINTENANCE_FUND = "maintenance_fund", _("Maintenance fund")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    """One line of the project's funding: who pays how much (yuan)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funding_sources", verbose_name=_("project")
    )
    kind = models.CharField(_("source"), max_length=20, choices=FundingKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("e.g. district subsidy, 劲松模式 investor")
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in FundingKind]), name="funding_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class FirmRole(models.TextChoices):
    DESIGN = "design", pgettext_lazy("firm role", "Design")
    CONSTRUCTION = "construction", pgettext_lazy("firm role", "Construction")
    SUPERVISION = "supervision", _("Supervision")
    PROPERTY = "property", _("Property management")
    OTHER = "other", _("Other")


class ProjectFirm(models.Model):
    """A firm working on the project. Firms change from project to project, so they are
    named per project rather than kept in a register like departments."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="firms", verbose_name=_("project"))
    role = models.CharField(_("role"), max_length=20, choices=FirmRole.choices)
    name = models.CharField(_("firm name"), max_length=200)

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "role", "name"], name="firm_unique_per_project_role"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in FirmRole]), name="firm_role_valid"),
        ]

    def __str__(self):
        return self.name


class StageTransition(models.Model):
    """Append-only: every stage change, who made it and why."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("project")
    )
    from_stage = models.CharField(pgettext_lazy("stage change", "from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(pgettext_lazy("stage change", "to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["changed_at", "pk"]


class BallotRequirementChange(models.Model):
    """Append-only: every change of the ballot a project must pass, who made it and why.
    Lowering the requirement opens the construction gate, so it is never silent."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="ballot_requirement_changes", verbose_name=_("project")
    )
    from_rule = models.CharField(
        pgettext_lazy("requirement change", "from"), max_length=30, choices=REQUIRED_BALLOT_CHOICES, blank=True
    )
    to_rule = models.CharField(
        pgettext_lazy("requirement change", "to"), max_length=30, choices=REQUIRED_BALLOT_CHOICES, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("change of the required ballot")
        verbose_name_plural = _("changes of the required ballot")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="ballot_requirement_change_has_reason"),
            models.CheckConstraint(
                condition=~models.Q(from_rule=models.F("to_rule")), name="ballot_requirement_change_changes"
            ),
        ]

    def __str__(self):
        return f"{self.project_id}: {self.from_rule or '-'} → {self.to_rule or '-'}"
