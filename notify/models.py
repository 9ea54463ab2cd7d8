"""The outbox: every message to residents is a row, and every recipient of it a row too.

A ``Message`` is what staff sent (its kind, channel, scope, the text as rendered, who
triggered it). A ``Delivery`` is one recipient of it: one household's phone, or one resident
WeChat group. Deliveries move ``queued → sending → sent``, or back to ``queued`` with a later
``next_attempt_at`` after a time-out or a 5xx, or to ``failed`` after the last attempt, or to
``skipped`` (no consent, opted out, no phone) without ever reaching a provider. A worker
claims a delivery by moving it to ``sending`` under ``select_for_update(skip_locked=True)``;
the ``idempotency_key`` goes to the provider with every attempt, so the provider drops a
repeat after a worker died between sending and recording.

``ContactConsent`` is the append-only record of a phone number's consent to SMS (PIPL Art.
13–14): who recorded it, when and through which channel; an opt-out is a new row, never an
edit. ``Job`` is a long piece of work run by a background worker, with its progress and the
file it produced, for the staff jobs page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Building, Community, Compound, Household
from projects.models.entries import EnteredForResident


class MessageKind(models.TextChoices):
    BALLOT_OPENED = "ballot_opened", _("Ballot opened")
    BALLOT_CLOSING = "ballot_closing", _("Ballot closing soon")
    WISH_ANSWERED = "wish_answered", _("Wish answered")
    SIGNOFF_REMINDER = "signoff_reminder", _("Sign-off reminder")
    MEETING_ANNOUNCED = "meeting_announced", _("Meeting announced")
    MEETING_CHANGED = "meeting_changed", _("Meeting time changed")
    CONSTRUCTION = "construction", _("Construction notice")
    SURVEY_OPENED = "survey_opened", _("Satisfaction survey opened")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    GROUP = "group", _("WeChat Work group")
    PRINT = "print", _("Stairwell notice (printed)")


class Message(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="messages", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    # What it was about ("ballot:12"), so the object's page can list its messages.
    ref = models.CharField(_("about"), max_length=40, db_index=True)
    scope_label = models.CharField(_("recipients"), max_length=200)
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound")
    )
    buildings = models.ManyToManyField(Building, blank=True, related_name="+", verbose_name=_("buildings"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text as sent"))
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("triggered by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    job = models.ForeignKey(
        "Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages", verbose_name=_("job")
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MessageKind.values), name="message_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=MessageChannel.values), name="message_channel_valid"),
        ]
        indexes = [models.Index(fields=["community", "-created_at"], name="message_community_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.scope_label}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class SkipReason(models.TextChoices):
    NO_PHONE = "no_phone", _("No phone number")
    NO_CONSENT = "no_consent", _("No recorded consent to SMS")
    OPTED_OUT = "opted_out", _("Opted out")
    NO_GROUP = "no_group", _("No group webhook configured")


class Delivery(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("message"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    group = models.ForeignKey(
        "GroupWebhook", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    skip_reason = models.CharField(_("why not sent"), max_length=20, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    claimed_by = models.CharField(_("worker"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "household"],
                condition=Q(household__isnull=False),
                name="delivery_once_per_household",
            ),
            models.UniqueConstraint(
                fields=["message", "group"], condition=Q(group__isnull=False), name="delivery_once_per_group"
            ),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            # A delivery goes to a household's phone or to a group, never both or neither.
            models.CheckConstraint(
                condition=Q(household__isnull=True, group__isnull=False)
                | Q(group__isnull=True) & (Q(household__isnull=False) | ~Q(phone="")),
                name="delivery_has_one_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False), name="delivery_sent_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SKIPPED, skip_reason__gt="")
                | ~Q(status=DeliveryStatus.SKIPPED) & Q(skip_reason=""),
                name="delivery_skip_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING) | Q(claimed_at__isnull=False) & ~Q(claimed_by=""),
                name="delivery_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_ready"),
            models.Index(fields=["household", "sent_at"], name="delivery_household_sent"),
        ]

    def __str__(self):
        return f"{self.message_id}/{self.pk}: {self.status}"


class GroupWebhook(models.Model):
    """A residents' WeChat Work group (企业微信群) and its robot's webhook URL. The URL
    carries the robot's key, so it is shown to nobody and kept out of the outbox."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="group_webhooks", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_webhooks",
        verbose_name=_("compound"),
        help_text=_("Empty for the community's own group."),
    )
    name = models.CharField(_("group name"), max_length=100, help_text=_("e.g. 旧改大家谈"))
    url = models.URLField(_("robot webhook URL"), max_length=500)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resident group")
        verbose_name_plural = _("resident groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactConsent(EnteredForResident):
    """One consent or opt-out for SMS to a phone number. The latest row for a number wins."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    phone = models.CharField(_("phone"), max_length=20)
    granted = models.BooleanField(_("agrees to SMS"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("SMS consent")
        verbose_name_plural = _("SMS consents")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            *EnteredForResident.entry_constraints(),
            models.CheckConstraint(condition=~Q(phone=""), name="consent_has_phone"),
        ]
        indexes = [models.Index(fields=["community", "phone", "-recorded_at"], name="consent_latest")]

    def __str__(self):
        return f"{self.phone}: {self.granted}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    SEND = "send", _("Sending messages")
    NOTICES = "notices", _("Printing stairwell notices")
    LETTERS = "letters", _("Household code letters")


class Job(models.Model):
    """A long piece of work a background worker runs, with what staff need to follow it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    title = models.CharField(_("what"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("items"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    task_id = models.CharField(_("queue id"), max_length=64, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    # What a letters job prints: the compound, and whether households with a code get new ones.
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound")
    )
    replace_codes = models.BooleanField(_("replace existing codes"), default=False)
    # The site address staff used when they started it: printed under the notices' QR codes.
    base_url = models.CharField(_("site address"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_within_total"),
        ]
        indexes = [models.Index(fields=["community", "-created_at"], name="job_community_recent")]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class AutoReminder(models.Model):
    """A reminder the scheduler sent by itself, once per ballot and kind.

    The unique constraint is what makes ``send_due_reminders`` safe to run every few minutes
    from cron and from two machines at once: the second insert fails and sends nothing."""

    ballot = models.ForeignKey(
        "consult.Ballot", on_delete=models.CASCADE, related_name="auto_reminders", verbose_name=_("ballot")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("message")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("automatic reminder")
        verbose_name_plural = _("automatic reminders")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "kind"], name="auto_reminder_once_per_ballot"),
        ]

    def __str__(self):
        return f"{self.ballot_id}: {self.kind}"
