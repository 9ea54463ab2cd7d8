"""Meetings: 拉家常, residents' councils, forums, on-site consultations, joint meetings, hearings.

Wishes raised at a meeting and ballots taken in the room point here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Building, Community, Compound, Project


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

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("consult:meeting", args=[self.pk])
