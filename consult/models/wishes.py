"""The wish list (愿望清单): what residents want changed, however it reached the community.

A wish arrives online (the resident, from the noticeboard or a QR poster) or through staff
(meeting, home visit, phone, 12345, suggestion box, building head, paper questionnaire).
Neighbours support it, one household one support; staff answer it in public.

Invariants the database keeps, so no code path can break them:
- one active support per household per wish (a withdrawn support is kept as history);
- a merged wish points at the wish it went into, and only a merged wish does;
- a wish in a project's plan names the project;
- anything not entered by the resident online names the staff member who entered it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import Building, Channel, Community, Compound, EnteredForResident, Household, Project
from projects.privacy import mask_name
from projects.validators import validate_phone

from .meetings import Meeting


class WishCategory(models.TextChoices):
    PIPES = "pipes", _("Water and drain pipes")
    ELEVATOR = "elevator", _("Elevator")
    PARKING = "parking", _("Parking")
    CHARGING = "charging", _("Charging")
    GREENERY = "greenery", _("Greenery")
    LIGHTING = "lighting", _("Lighting")
    ELDERLY = "elderly", _("Facilities for the elderly")
    PUBLIC_TOILET = "public_toilet", _("Public toilet")
    ACTIVITY_SPACE = "activity_space", _("Activity space")
    SECURITY = "security", _("Security")
    SANITATION = "sanitation", _("Sanitation")
    OTHER = "other", _("Other")


class WishStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    PLANNED = "planned", _("In a project's plan")
    MERGED = "merged", _("Merged")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", pgettext_lazy("wish", "In progress")
    DONE = "done", pgettext_lazy("wish", "Done")


# Channels staff use when entering a wish or a support for a resident (everything but online).
STAFF_CHANNELS = [
    Channel.QUESTIONNAIRE,
    Channel.MEETING,
    Channel.HOME_VISIT,
    Channel.PHONE,
    Channel.HOTLINE,
    Channel.SUGGESTION_BOX,
    Channel.BUILDING_HEAD,
    Channel.OFFICE,
    Channel.PAPER,
]


class Wish(EnteredForResident):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("community")
    )
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("compound"))
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="wishes", verbose_name=_("building")
    )
    location = models.CharField(
        _("where exactly"), max_length=200, blank=True, help_text=_("e.g. by the north gate, 2nd-floor landing")
    )
    title = models.CharField(_("what"), max_length=120)
    description = models.TextField(_("details"), blank=True, max_length=2000)
    category = models.CharField(_("category"), max_length=20, choices=WishCategory.choices)
    status = models.CharField(_("status"), max_length=20, choices=WishStatus.choices, default=WishStatus.SUBMITTED)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("household"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    receipt_code = models.CharField(
        _("receipt code"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Lets a submitter without a household code check the status."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("raised at meeting"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="wishes", verbose_name=_("project")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_wishes",
        verbose_name=_("merged into"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # Households backing the wish now (active supports). Kept, not recounted: every support
    # write changes it with an F() update under the wish's row lock, in the same transaction
    # (``consult.services.wishes``), so ranking by support is an index walk instead of one
    # COUNT per wish. ``manage.py check_counts`` recounts it from the Support rows.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=WishStatus.values), name="wish_status_valid"),
            models.CheckConstraint(condition=Q(category__in=WishCategory.values), name="wish_category_valid"),
            *EnteredForResident.entry_constraints(),
            models.CheckConstraint(
                condition=(Q(status=WishStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=WishStatus.MERGED) & Q(merged_into__isnull=True)),
                name="wish_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=WishStatus.PLANNED) | Q(project__isnull=False), name="wish_planned_has_project"
            ),
            models.CheckConstraint(condition=Q(support_count__gte=0), name="wish_support_count_not_negative"),
        ]
        indexes = [
            models.Index(fields=["compound", "status"], name="wish_compound_status"),
            models.Index(fields=["community", "status"], name="wish_community_status"),
            models.Index(fields=["community", "-submitted_at"], name="wish_community_recent"),
            # The public list and the noticeboard's top five rank a compound's wishes by support.
            models.Index(fields=["compound", "-support_count", "-submitted_at", "-id"], name="wish_compound_ranked"),
            models.Index(fields=["community", "-support_count", "-submitted_at", "-id"], name="wish_community_ranked"),
            models.Index(fields=["compound", "-submitted_at", "-id"], name="wish_compound_recent"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("consult:wish", args=[self.pk])

    @property
    def public_submitter(self) -> str:
        """Who asked, as the public may see it: "3号楼居民", a masked name, or "a resident".
        Needs ``household__unit__building`` selected to stay query-free in lists."""
        if self.household_id:
            return gettext("Resident of %(building)s") % {"building": self.household.unit.building.name}
        if self.contact_name:
            return mask_name(self.contact_name)
        return pgettext("anonymous submitter", "A resident")

    @property
    def where(self) -> str:
        parts = [self.building.name if self.building_id else "", self.location]
        return " ".join(p for p in parts if p)


class WishStatusChange(models.Model):
    """Append-only: every status change and every public answer, who gave it and when.

    ``response`` is public: the submitter and the neighbours read it on the wish page.
    ``note`` is for staff only. An entry whose from and to status are equal is an answer or
    an edit without a status change (e.g. "a similar wish was merged into this one")."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="history", verbose_name=_("wish"))
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, choices=WishStatus.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20, choices=WishStatus.choices)
    response = models.TextField(_("public response"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("project")
    )
    related_wish = models.ForeignKey(
        Wish,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related wish"),
        help_text=_("The wish this one was merged into, or the wish merged into this one."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("wish status change")
        verbose_name_plural = _("wish status changes")
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["wish", "changed_at"], name="wish_history_by_time")]

    def __str__(self):
        return f"{self.wish_id}: {self.from_status} → {self.to_status}"

    @property
    def is_status_change(self) -> bool:
        return self.from_status != self.to_status


class WithdrawalReason(models.TextChoices):
    BY_HOUSEHOLD = "household", _("Withdrawn by the household")
    BY_STAFF = "staff", _("Withdrawn for the household by staff")
    MERGED = "merged", _("Carried over to the wish this one was merged into")
    UNMERGED = "unmerged", _("Returned to the original wish when the merge was undone")


class Support(EnteredForResident):
    """附议: a household backs a wish. One active support per household per wish.

    Withdrawing keeps the row (with when and why), so the history of who backed what stays
    auditable; the partial unique constraint applies to active rows only. When a wish is
    merged, its supports are withdrawn with reason ``merged`` and re-created on the target
    with ``carried_from`` set, unless the household already supports the target.

    On PostgreSQL a trigger keeps the row append-only: only the one-time withdrawal may
    change it (``projects.db.append_only``); so its parents PROTECT it."""

    wish = models.ForeignKey(Wish, on_delete=models.PROTECT, related_name="supports", verbose_name=_("wish"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="wish_supports", verbose_name=_("household")
    )
    carried_from = models.ForeignKey(
        Wish,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried over from"),
    )
    created_at = models.DateTimeField(_("supported at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wish", "household"],
                condition=Q(withdrawn_at__isnull=True),
                name="wish_support_one_per_household",
            ),
            *EnteredForResident.entry_constraints(),
            models.CheckConstraint(
                condition=(Q(withdrawn_at__isnull=True) & Q(withdrawal_reason=""))
                | (Q(withdrawn_at__isnull=False) & Q(withdrawal_reason__in=WithdrawalReason.values)),
                name="wish_support_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("created_at")),
                name="wish_support_withdrawn_after_created",
            ),
        ]
        indexes = [
            models.Index(fields=["wish", "withdrawn_at"], name="wish_support_active"),
            models.Index(fields=["household", "withdrawn_at"], name="wish_support_by_household"),
        ]

    def __str__(self):
        return f"{self.household_id} → {self.wish_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


def wish_photo_path(instance, filename: str) -> str:
    """A random name: the uploaded file name can carry personal data (and is untrusted)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"wishes/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class WishPhoto(models.Model):
    """A photo of the problem, re-encoded on upload so no EXIF (GPS, camera, time) survives."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="photos", verbose_name=_("wish"))
    image = models.ImageField(
        _("photo"), upload_to=wish_photo_path, width_field="width", height_field="height", max_length=200
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("wish photo")
        verbose_name_plural = _("wish photos")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name
