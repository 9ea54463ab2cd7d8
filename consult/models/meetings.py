"""Meetings: 拉家常, residents' councils, forums, on-site consultations, joint meetings, hearings.

Wishes raised at a meeting and ballots taken in the room point here. A meeting carries its
whole record in one row (announcement, minutes, report back) because staff fill it in as
one document; attendance, votes, action items and the status history hang off it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.models import Building, Community, Compound, Department, Project


class MeetingKind(models.TextChoices):
    CHAT = "chat", _("拉家常 chat circle")
    COUNCIL = "council", _("Residents' council")
    FORUM = "forum", _("Forum")
    ON_SITE = "on_site", _("On-site consultation")
    JOINT = "joint", _("Monthly joint meeting")
    HEARING = "hearing", _("Hearing")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    MINUTED = "minuted", _("Minutes recorded")
    REPORTED = "reported", _("Reported back")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("compound")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("building")
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.CHAT)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host"),
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minuted_meetings",
        verbose_name=_("note-taker"),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Invitation ("吹哨报到": the community blows the whistle, departments report on site)
    invited_departments = models.ManyToManyField(
        Department, blank=True, related_name="invited_meetings", verbose_name=_("invited departments")
    )
    partners = models.CharField(
        _("other invited partners"),
        max_length=300,
        blank=True,
        help_text=_("For example: the 21 ground-floor shops, the owners' committee, resident representatives."),
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One point per line."))

    # Minutes (纪要). Staff-only fields may name residents; public ones must not.
    problems = models.TextField(_("problems raised"), blank=True, help_text=_("One point per line."))
    solutions = models.TextField(_("solutions agreed"), blank=True, help_text=_("One point per line."))
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One point per line."))
    discussion_notes = models.TextField(
        _("discussion notes (staff only)"),
        blank=True,
        help_text=_("Who said what. Never published."),
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("Posted on the noticeboard with the report back. Do not name residents or give phone numbers."),
    )
    report_back = models.TextField(
        _("report back to residents"),
        blank=True,
        help_text=_("What was done about it (反馈). Posted on the noticeboard. No personal data."),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    # Set by the life-cycle service; the full story is in MeetingTransition.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MeetingStatus]), name="meeting_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in MeetingKind]), name="meeting_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.REPORTED) | Q(reported_at__isnull=False),
                name="meeting_reported_has_date",
            ),
        ]
        indexes = [models.Index(fields=["community", "starts_at"], name="meeting_community_time")]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("consult:meeting", args=[self.pk])

    def invited_department_ids(self) -> set[int]:
        """Uses the prefetched departments when the view loaded them (no extra query)."""
        return {d.pk for d in self.invited_departments.all()}

    @property
    def where(self) -> str:
        """Compound and building the meeting is about, or the whole community."""
        if self.building_id:
            return str(self.building)
        if self.compound_id:
            return self.compound.name
        return self.community.name


class MeetingTransition(models.Model):
    """Append-only: every status change of a meeting, who made it, when and why."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("meeting")
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, choices=MeetingStatus.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20, choices=MeetingStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.meeting_id}: {self.from_status} → {self.to_status}"
