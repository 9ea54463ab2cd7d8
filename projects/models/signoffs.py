"""Sign-offs (签字同意): every affected household's consent, chased to the last signature.

Design:
- One ``SignoffCampaign`` per project, with its gate rule. The households it covers are NOT
  snapshotted: they are the project's affected households, computed live from the scope
  (``projects.selectors.scope.affected_households``), and their areas come live from the
  registry. Households added to the scope later (a scope adjustment, a corrected roster)
  appear on the board at once as "not contacted"; households removed drop out of the counts
  while their history stays. Scope changes are already recorded by the append-only ``ScopeEvent`` log
  and registry edits by ``HouseholdChange``, so a snapshot would only add a second truth that
  drifts.
- Three append-only logs are the source of truth: ``SignoffEvent`` (status changes, with the
  agreement or concern details), ``SignoffContact`` (visits, calls, meetings) and
  ``SignoffAssignment`` (who follows up). Withdrawing consent is a new event, never an edit.
- ``SignoffRecord`` is the denormalised current state per (campaign, household), created
  lazily on the first event, contact or assignment and updated in the same transaction under
  a row lock. Boards aggregate over it in one query; ``signoff_rebuild_records`` can always
  recompute it from the logs.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .channels import Channel
from .entries import EnteredForResident
from .projects import Project
from .registry import Household
from .rules import CAMPAIGN_RULE_CHOICES, CAMPAIGN_RULES, DECISION_KINDS, Comparison, DecisionKind, DecisionRule


class SignoffStatus(models.TextChoices):
    NOT_CONTACTED = "not_contacted", _("Not contacted")
    TALKED = "talked", _("Talked to")
    AGREED = "agreed", _("Agreed")
    CONCERNS = "concerns", _("Has concerns")
    REFUSED = "refused", _("Refused")


class SignerRelation(models.TextChoices):
    OWNER = "owner", _("Owner")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Parent")
    RELATIVE = "relative", _("Other relative")
    TENANT = "tenant", _("Tenant")
    AGENT = "agent", _("Authorised agent")


class ConcernCategory(models.TextChoices):
    REDECORATED = "redecorated", _("Just redecorated")
    NEW_FITTINGS = "new_fittings", _("New fittings")
    CARE_NEEDS = "care_needs", _("Care needs during the works")
    COST = "cost", _("Cost")
    NOISE = "noise", _("Noise and disturbance")
    OTHER = "other", _("Other")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting")


class PrivateMediaStorage(FileSystemStorage):
    """Photos of signed forms are personal data: they live outside MEDIA_ROOT (which is served
    publicly at /media/) and are only streamed by a view that checks permissions.

    The folder is ``settings.PRIVATE_MEDIA_ROOT`` when set, else a ``<MEDIA_ROOT>-private``
    sibling. Read on every access, so tests that move MEDIA_ROOT move it too."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        if configured:
            return str(configured)
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(media.name + "-private"))

    @property
    def location(self):
        return str(Path(self.base_location).resolve())


def private_media_storage():
    return PrivateMediaStorage()


def signed_form_path(instance, filename: str) -> str:
    """A random name: the household never appears in the path. The extension is the one
    ``projects.photos`` gave the cleaned file (jpg, png or webp)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"signoff-forms/{instance.campaign_id}/{uuid.uuid4().hex}.{extension}"


class SignoffCampaign(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="signoff_campaign", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    consent_text = models.TextField(
        _("what households consent to"),
        help_text=_("Printed on the sign-off sheet and shown to residents who confirm online."),
    )
    decision_kind = models.CharField(
        _("kind of decision"),
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.RESIDENTS,
        help_text=_(
            "Residents' consultation counts every household that lives there, tenants of 公房 included. "
            "Owners' joint decision counts owners: an owner of several flats counts once."
        ),
    )
    rule = models.CharField(
        _("gate rule"), max_length=20, choices=CAMPAIGN_RULE_CHOICES, default=DecisionRule.UNANIMOUS
    )
    custom_heads_numerator = models.PositiveIntegerField(_("households threshold numerator"), null=True, blank=True)
    custom_heads_denominator = models.PositiveIntegerField(_("households threshold denominator"), null=True, blank=True)
    custom_area_numerator = models.PositiveIntegerField(_("area threshold numerator"), null=True, blank=True)
    custom_area_denominator = models.PositiveIntegerField(_("area threshold denominator"), null=True, blank=True)
    custom_comparison = models.CharField(
        _("comparison"), max_length=20, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    paper_required = models.BooleanField(
        _("paper signature required"),
        default=True,
        help_text=_(
            "Ticked: an agreement needs a signed paper form (its number or a photo). "
            "Unticked: a household may also confirm online with its household code."
        ),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("highlight after days without contact"),
        default=7,
        help_text=_("Households that have not agreed and were not contacted for this many days are highlighted."),
    )
    deadline = models.DateField(_("target date"), null=True, blank=True)
    show_on_noticeboard = models.BooleanField(
        _("show progress on the public noticeboard"),
        default=True,
        help_text=_("Only the numbers are shown (e.g. 28 of 32 households agreed), never who."),
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("sign-off campaign")
        verbose_name_plural = _("sign-off campaigns")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=CAMPAIGN_RULES), name="signoff_campaign_rule_valid"),
            models.CheckConstraint(
                condition=Q(decision_kind__in=DECISION_KINDS), name="signoff_campaign_decision_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(custom_comparison__in=Comparison.values),
                name="signoff_campaign_comparison_valid",
            ),
            models.CheckConstraint(condition=Q(stale_after_days__gt=0), name="signoff_campaign_stale_days_positive"),
            models.CheckConstraint(
                condition=(Q(custom_heads_numerator__isnull=True) & Q(custom_heads_denominator__isnull=True))
                | Q(
                    custom_heads_numerator__gt=0,
                    custom_heads_denominator__gt=0,
                    custom_heads_numerator__lte=models.F("custom_heads_denominator"),
                ),
                name="signoff_campaign_heads_fraction_valid",
            ),
            models.CheckConstraint(
                condition=(Q(custom_area_numerator__isnull=True) & Q(custom_area_denominator__isnull=True))
                | Q(
                    custom_area_numerator__gt=0,
                    custom_area_denominator__gt=0,
                    custom_area_numerator__lte=models.F("custom_area_denominator"),
                ),
                name="signoff_campaign_area_fraction_valid",
            ),
            models.CheckConstraint(
                condition=~Q(rule="custom")
                | Q(custom_heads_numerator__isnull=False)
                | Q(custom_area_numerator__isnull=False),
                name="signoff_campaign_custom_has_threshold",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:signoff_board", args=[self.pk])

    @property
    def community(self):
        """For permission predicates (see ``projects.rules``)."""
        return self.project.community

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def allows_online(self) -> bool:
        return self.is_open and not self.paper_required


class SignoffCampaignChange(models.Model):
    """Append-only: opening, closing and every change of the rule. Changing the rule decides
    whether construction may start, so who changed it, when and from what must stay visible."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        EDITED = "edited", _("Edited")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    campaign = models.ForeignKey(
        SignoffCampaign, on_delete=models.PROTECT, related_name="changes", verbose_name=_("campaign")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("Field name → [old, new]"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("sign-off campaign change")
        verbose_name_plural = _("sign-off campaign changes")
        ordering = ["-changed_at", "-pk"]


class SignoffEvent(EnteredForResident):
    """One status change of one household, never edited or deleted.

    ``previous_status`` is the status just before, written under the record's row lock, so the
    history reads as a chain (agreed → refused is a withdrawal; refused → agreed is a
    household talked round). An event may repeat the current status to add details, e.g. the
    paper form collected after an online confirmation.
    """

    campaign = models.ForeignKey(
        SignoffCampaign, on_delete=models.PROTECT, related_name="events", verbose_name=_("campaign")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="signoff_events", verbose_name=_("household")
    )
    status = models.CharField(_("status"), max_length=20, choices=SignoffStatus.choices)
    previous_status = models.CharField(_("previous status"), max_length=20, choices=SignoffStatus.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.HOME_VISIT)
    recorded_at = models.DateTimeField(_("recorded at"))
    note = models.TextField(_("note"), blank=True)
    # Agreement
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signer_relation = models.CharField(
        _("relation to the owner"), max_length=20, choices=SignerRelation.choices, blank=True
    )
    form_photo = models.ImageField(
        _("photo of the signed form"),
        upload_to=signed_form_path,
        storage=private_media_storage,
        blank=True,
    )
    # Concerns (and reasons for refusing), in the resident's words
    concern_category = models.CharField(
        _("concern category"), max_length=20, choices=ConcernCategory.choices, blank=True
    )
    concern_text = models.TextField(_("in the resident's words"), blank=True)

    class Meta:
        verbose_name = _("sign-off event")
        verbose_name_plural = _("sign-off events")
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["campaign", "household", "recorded_at"], name="signoff_event_history")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SignoffStatus.values), name="signoff_event_status_valid"),
            models.CheckConstraint(
                condition=Q(previous_status__in=SignoffStatus.values), name="signoff_event_previous_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | (Q(signed_on__isnull=False) & ~Q(signer_name="")),
                name="signoff_event_agreement_has_signer",
            ),
            models.CheckConstraint(
                condition=~Q(status="concerns") | ~Q(concern_text=""),
                name="signoff_event_concern_has_words",
            ),
            models.CheckConstraint(
                condition=Q(signer_relation="") | Q(signer_relation__in=SignerRelation.values),
                name="signoff_event_relation_valid",
            ),
            models.CheckConstraint(
                condition=Q(concern_category="") | Q(concern_category__in=ConcernCategory.values),
                name="signoff_event_concern_category_valid",
            ),
            *EnteredForResident.entry_constraints(),
        ]

    def __str__(self):
        return f"{self.household_id} {self.previous_status} → {self.status}"

    @property
    def is_withdrawal(self) -> bool:
        return self.previous_status == SignoffStatus.AGREED and self.status != SignoffStatus.AGREED


class SignoffContact(models.Model):
    """The contact log: each visit, call or meeting with a household (append-only)."""

    campaign = models.ForeignKey(
        SignoffCampaign, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("campaign")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="signoff_contacts", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices, default=ContactKind.VISIT)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    contacted_on = models.DateField(_("date"))
    outcome = models.TextField(_("outcome"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "household"], name="signoff_contact_household")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="signoff_contact_kind_valid"),
            models.CheckConstraint(condition=~Q(outcome=""), name="signoff_contact_has_outcome"),
        ]

    def __str__(self):
        return f"{self.contacted_on} {self.get_kind_display()}"


class SignoffAssignment(models.Model):
    """Who follows a household up, and every reassignment (append-only). Empty assignee:
    the follow-up was taken off everybody."""

    campaign = models.ForeignKey(
        SignoffCampaign, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("campaign")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="signoff_assignments", verbose_name=_("household")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follows up"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("follow-up assignment")
        verbose_name_plural = _("follow-up assignments")
        ordering = ["-assigned_at", "-pk"]


class SignoffRecord(models.Model):
    """The current state of one household in one campaign, derived from the three logs.

    Written only by ``projects.services.signoffs`` inside the transaction that appends to a
    log, under ``select_for_update`` on this row. No record means "not contacted, nobody
    assigned".
    """

    campaign = models.ForeignKey(
        SignoffCampaign, on_delete=models.CASCADE, related_name="records", verbose_name=_("campaign")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="signoff_records", verbose_name=_("household")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignoffStatus.choices, default=SignoffStatus.NOT_CONTACTED
    )
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True)
    last_event = models.ForeignKey(
        SignoffEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("last event")
    )
    concern_category = models.CharField(
        _("latest concern category"), max_length=20, choices=ConcernCategory.choices, blank=True
    )
    concern_text = models.TextField(_("latest concern"), blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follows up"),
    )

    class Meta:
        verbose_name = _("sign-off status")
        verbose_name_plural = _("sign-off statuses")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="signoff_record_one_per_household"),
            models.CheckConstraint(condition=Q(status__in=SignoffStatus.values), name="signoff_record_status_valid"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="signoff_record_status"),
            models.Index(fields=["campaign", "assignee"], name="signoff_record_assignee"),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.household_id}: {self.status}"
