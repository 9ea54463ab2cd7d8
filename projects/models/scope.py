"""The scope event log: every change of a project's affected households, never edited or deleted.

Why a log and not one row per household: a scope that can be bent without a trace decides
nothing. Taking six households that have not agreed out of scope, moving the project on and
putting them back must leave six removals and six undos, each with who, when and why.

- ``ScopeEvent`` is one change: one household added or taken out (on the scope page), or one
  compound, building or unit added or taken out (in the project form). An undo is a new event
  that names the event it reverses (``reverses``); nothing is ever deleted.
- The project's M2M fields (compounds, buildings, units) stay the place-level scope; the
  household events are exceptions to it. ``projects.selectors.scope`` derives the affected
  households from both: the latest household event in force decides for that household.
- Taking out a household that has not agreed (``needs_confirmation``) has no effect until a
  second staff member confirms it. The confirmation (or rejection) is its own row,
  ``ScopeEventReview``, at most one per event, so both tables stay strictly append-only
  (the PostgreSQL trigger of the integrity work refuses UPDATE and DELETE on them):
  an event is *in effect* when it needs no confirmation or its review confirmed it.
  Their parents PROTECT them: a cascade would delete evidence.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .projects import Project
from .registry import Building, Compound, Household, Unit


class ScopeAction(models.TextChoices):
    ADD = "add", _("Added")
    REMOVE = "remove", _("Taken out")


class ScopeReviewDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


_ONE_TARGET = (
    Q(household__isnull=False, compound__isnull=True, building__isnull=True, unit__isnull=True)
    | Q(household__isnull=True, compound__isnull=False, building__isnull=True, unit__isnull=True)
    | Q(household__isnull=True, compound__isnull=True, building__isnull=False, unit__isnull=True)
    | Q(household__isnull=True, compound__isnull=True, building__isnull=True, unit__isnull=False)
)


class ScopeEvent(models.Model):
    """One household, compound, building or unit added to or taken out of a project's scope.

    Append-only. ``reverses`` makes it the undo of an earlier household event; undos are
    themselves never undone (make a new change instead), which keeps "the latest event in
    force per household" a single well-defined row.
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="scope_events", verbose_name=_("project")
    )
    action = models.CharField(_("change"), max_length=10, choices=ScopeAction.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scope_events",
        verbose_name=_("household"),
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    reason = models.CharField(_("reason"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("made at"))
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undos",
        verbose_name=_("undoes"),
    )
    needs_confirmation = models.BooleanField(
        _("needs a second staff member"),
        default=False,
        help_text=_("Taking out a household that has not agreed counts only once another staff member confirms."),
    )

    class Meta:
        verbose_name = _("scope change")
        verbose_name_plural = _("scope changes")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=_ONE_TARGET, name="scope_event_one_target"),
            models.CheckConstraint(condition=~Q(reason=""), name="scope_event_has_reason"),
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in ScopeAction]), name="scope_event_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(household__isnull=False), name="scope_event_undo_of_household"
            ),
            models.CheckConstraint(
                condition=Q(needs_confirmation=False) | Q(household__isnull=False, action=ScopeAction.REMOVE),
                name="scope_event_confirm_only_removals",
            ),
        ]
        indexes = [models.Index(fields=["project", "household"], name="scope_event_project_household")]

    def __str__(self):
        target = self.household or self.unit or self.building or self.compound
        return f"{self.get_action_display()} {target}"

    @property
    def target(self):
        return self.household or self.unit or self.building or self.compound

    @property
    def review_or_none(self):
        """The second staff member's decision, if any (no query when ``select_related``)."""
        try:
            return self.review
        except ScopeEventReview.DoesNotExist:
            return None

    @property
    def is_pending(self) -> bool:
        return self.needs_confirmation and self.review_or_none is None

    @property
    def in_effect(self) -> bool:
        review = self.review_or_none
        return not self.needs_confirmation or (review is not None and review.decision == ScopeReviewDecision.CONFIRMED)


class ScopeEventReview(models.Model):
    """The second staff member's decision on a scope change waiting for confirmation.

    A separate row rather than fields set on the event, so the event table stays strictly
    append-only. One per event (the decision is final); ``proposed_by`` repeats the event's
    author so the database itself refuses a confirmation by the person who proposed it.
    """

    event = models.OneToOneField(
        ScopeEvent, on_delete=models.PROTECT, related_name="review", verbose_name=_("scope change")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ScopeReviewDecision.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("scope change review")
        verbose_name_plural = _("scope change reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in ScopeReviewDecision]), name="scope_review_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(decision=ScopeReviewDecision.CONFIRMED) | ~Q(decided_by=F("proposed_by")),
                name="scope_review_second_person",
            ),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.decision}"
