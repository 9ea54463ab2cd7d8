"""Acceptance (验收) with resident representatives, and the satisfaction survey (问效于民).

One satisfaction response per household per project is a database constraint. A resident
answers online with the household code, or staff enter a paper questionnaire or a phone
answer for them (``channel`` + ``entered_by``). Corrections never overwrite silently: every
change is appended to ``SatisfactionChange``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .entries import EnteredForResident
from .projects import Project
from .registry import Household


class AcceptanceRecord(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="acceptances", verbose_name=_("project")
    )
    date = models.DateField(_("date of acceptance"))
    participants = models.TextField(
        _("participants"), help_text=_("Departments, firms and staff who took part, one per line.")
    )
    resident_representatives = models.TextField(
        _("resident representatives"), help_text=_("Residents who inspected the work, one per line.")
    )
    findings = models.TextField(_("findings"), help_text=_("What was checked and what must still be fixed."))
    passed = models.BooleanField(_("passed"))
    published = models.BooleanField(
        _("publish the result"),
        default=False,
        help_text=_(
            "Shows the date, the result and the findings on the public noticeboard. "
            "Participants and representatives are never published."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("acceptance record")
        verbose_name_plural = _("acceptance records")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.project} {self.date}"

    @property
    def community(self):
        return self.project.community


class SatisfactionResponse(EnteredForResident):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="satisfaction_responses", verbose_name=_("project")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="satisfaction_responses", verbose_name=_("household")
    )
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("answered at"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="satisfaction_one_per_household"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="satisfaction_score_1_to_5"),
            *EnteredForResident.entry_constraints(),
        ]

    def __str__(self):
        return f"{self.household} {self.score}"

    @property
    def community(self):
        return self.project.community


class SatisfactionChange(EnteredForResident):
    """Append-only: the first answer and every later change, with who made it and why.

    A staff correction of an online answer is entered at the office (``channel=office``)."""

    response = models.ForeignKey(
        SatisfactionResponse, on_delete=models.CASCADE, related_name="changes", verbose_name=_("response")
    )
    old_score = models.PositiveSmallIntegerField(_("old score"), null=True, blank=True)
    new_score = models.PositiveSmallIntegerField(_("new score"))
    old_comment = models.TextField(_("old comment"), blank=True)
    new_comment = models.TextField(_("new comment"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("satisfaction change")
        verbose_name_plural = _("satisfaction changes")
        ordering = ["at", "pk"]
        constraints = EnteredForResident.entry_constraints()
