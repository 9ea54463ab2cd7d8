"""Action items agreed at a meeting: who does what by when, and what became of it.

The owner is either a staff member or a department (never both, never neither: the
database checks it). Departments see and update only the items assigned to them. Every
status change, and every change of owner or deadline, leaves an ``ActionItemUpdate``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.models import Department

from .meetings import Meeting


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action item", "In progress")
    DONE = "done", pgettext_lazy("action item", "Done")
    DROPPED = "dropped", _("Dropped")


#: Statuses that still need work; the others are closed (``closed_at`` is set).
OPEN_ITEM_STATUSES = frozenset({ActionItemStatus.OPEN.value, ActionItemStatus.IN_PROGRESS.value})


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    title = models.CharField(
        _("what is to be done"),
        max_length=200,
        help_text=_("Posted on the noticeboard with the report back: no resident names or phone numbers."),
    )
    details = models.TextField(_("details (staff only)"), blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (staff member)"),
    )
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner (department)"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False) & Q(owner_department__isnull=True))
                | (Q(owner_user__isnull=True) & Q(owner_department__isnull=False)),
                name="action_item_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ActionItemStatus]), name="action_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=sorted(OPEN_ITEM_STATUSES), closed_at__isnull=True)
                | (~Q(status__in=sorted(OPEN_ITEM_STATUSES)) & Q(closed_at__isnull=False)),
                name="action_item_closed_at_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="action_item_status_deadline")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consult:action_item", args=[self.pk])

    @property
    def community(self):
        return self.meeting.community

    @property
    def owner_label(self) -> str:
        if self.owner_department_id:
            return self.owner_department.name
        user = self.owner_user
        return user.get_full_name() or user.username

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATUSES


class ActionItemUpdate(models.Model):
    """Append-only history of an action item: status changes, reassignments, new deadlines."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="updates", verbose_name=pgettext_lazy("action item", "item")
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, choices=ActionItemStatus.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20, choices=ActionItemStatus.choices)
    changes = models.JSONField(_("other changes"), default=dict, blank=True, help_text=_("Field → [old, new]"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("action item update")
        verbose_name_plural = _("action item updates")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item_id}: {self.from_status} → {self.to_status}"
