"""Who said they would come to a meeting, and who came.

An RSVP is one per household (the database says so); a resident says it online after
entering the household code, or staff note it from a phone call or a visit. Attendance is
the sign-in list: households picked by room, named residents without a registry entry,
groups of walk-ins, department representatives and community staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import Channel, Department, EnteredForResident, Household

from .meetings import Meeting


class MeetingRSVP(EnteredForResident):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting"))
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="meeting_rsvps", verbose_name=_("household")
    )
    people = models.PositiveSmallIntegerField(_("people coming"), default=1)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    created_at = models.DateTimeField(_("said at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="rsvp_one_per_household"),
            models.CheckConstraint(condition=Q(people__gte=1), name="rsvp_people_positive"),
            *EnteredForResident.entry_constraints(),
        ]

    def __str__(self):
        return f"{self.meeting_id} · {self.household_id}"

    @property
    def community(self):
        return self.meeting.community

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class AttendeeKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    RESIDENT = "resident", _("Named resident")
    WALK_IN = "walk_in", _("Walk-ins")
    DEPARTMENT = "department", _("Department representative")
    STAFF = "staff", _("Community staff")


class Attendance(models.Model):
    """One line of the sign-in list. ``headcount`` lets one line stand for a couple from the
    same flat, two engineers from the water station, or "5 walk-ins" counted at the door."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttendeeKind.choices)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("household"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    headcount = models.PositiveSmallIntegerField(_("people"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "household"],
                condition=Q(household__isnull=False),
                name="attendance_one_per_household",
            ),
            models.UniqueConstraint(
                fields=["meeting", "department"],
                condition=Q(department__isnull=False),
                name="attendance_one_line_per_department",
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="attendance_headcount_positive"),
            models.CheckConstraint(
                condition=(Q(kind=AttendeeKind.HOUSEHOLD) & Q(household__isnull=False))
                | (~Q(kind=AttendeeKind.HOUSEHOLD) & Q(household__isnull=True)),
                name="attendance_household_kind_has_household",
            ),
            models.CheckConstraint(
                condition=(Q(kind=AttendeeKind.DEPARTMENT) & Q(department__isnull=False))
                | (~Q(kind=AttendeeKind.DEPARTMENT) & Q(department__isnull=True)),
                name="attendance_department_kind_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[AttendeeKind.RESIDENT, AttendeeKind.STAFF]) | ~Q(name=""),
                name="attendance_named_kinds_have_name",
            ),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in AttendeeKind]), name="attendance_kind_valid"),
        ]

    def __str__(self):
        return f"{self.meeting_id} · {self.get_kind_display()} · {self.label}"

    @property
    def community(self):
        return self.meeting.community

    @property
    def label(self) -> str:
        if self.household_id:
            return str(self.household)
        if self.department_id:
            return f"{self.department.name} · {self.name}" if self.name else self.department.name
        if self.kind == AttendeeKind.WALK_IN:
            return self.note or gettext("counted at the door")
        return self.name
