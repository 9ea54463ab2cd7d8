"""Ballots (表决): a question put to a set of households, counted by head and by area.

The voter is the household, not the person. A ``Ballot`` is the question; ``CastBallot`` is
one household's ballot, however it arrived (online with the household code, a paper ballot
entered by staff with its serial, a show of hands at a meeting recorded per household).

Why the eligible set is a snapshot (``EligibleHousehold``): the denominator of every
Civil Code condition is "all eligible owners and their area". If it were computed live from
the registry, a household added to the building, a corrected area or a project scope
edited after voting began would change whether a ballot passed — after people voted, and
without anyone deciding so. So when staff open a ballot the eligible households and each
one's exclusive area are copied here, and the tally only ever counts against that copy.
Registry edits afterwards change nothing; a ballot whose set was wrong is cancelled (with a
reason) and a new one opened.

Nothing is deleted: a wrong ballot is voided by staff with a reason (who, when, why), and
the household may then vote again. One valid ballot per household is a database constraint.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import (
    Building,
    Channel,
    Community,
    Compound,
    DecisionRule,
    EnteredForResident,
    Household,
    Project,
    Unit,
)
from projects.models.rules import BALLOT_RULE_CHOICES, BALLOT_RULES, DECISION_KINDS, DecisionKind

from .meetings import Meeting


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("ballot", "Open")
    CLOSED = "closed", _("Closed and counted")
    CANCELLED = "cancelled", _("Cancelled")


class ScopeKind(models.TextChoices):
    PROJECT = "project", _("A project's affected households")
    COMPOUND = "compound", _("A whole compound")
    BUILDING = "building", _("A building")
    UNIT = "unit", _("A unit (stairwell)")


class OptionSet(models.TextChoices):
    AGREE = "agree", _("Agree / disagree / abstain")
    CHOICE = "choice", _("A choice between options (e.g. designs)")


class OptionKind(models.TextChoices):
    FOR = "for", _("Agree")
    AGAINST = "against", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")
    CHOICE = "choice", _("Option")


class Ballot(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("community")
    )
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(
        _("explanation"), blank=True, help_text=_("What is decided, costs, who pays, what happens if it passes.")
    )
    option_set = models.CharField(_("options"), max_length=20, choices=OptionSet.choices, default=OptionSet.AGREE)
    decision_kind = models.CharField(
        _("kind of decision"),
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.OWNERS,
        help_text=_(
            "Owners' joint decision counts owners: an owner of several flats counts once. "
            "Residents' consultation counts every household that lives there, tenants included."
        ),
    )
    rule = models.CharField(_("rule"), max_length=30, choices=BALLOT_RULE_CHOICES, default=DecisionRule.ART278_ORDINARY)
    custom_thresholds = models.JSONField(_("custom thresholds"), default=list, blank=True)
    scope_kind = models.CharField(_("who votes"), max_length=20, choices=ScopeKind.choices)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots", verbose_name=_("project")
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots", verbose_name=_("compound")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots", verbose_name=_("building")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots", verbose_name=_("unit")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("meeting"),
        help_text=_("The meeting where this ballot is put, if any."),
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    notice_days = models.PositiveSmallIntegerField(
        _("public notice period (days)"), default=7, help_text=_("How long the result stays posted for objections.")
    )
    status = models.CharField(_("status"), max_length=20, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    noticeboard_compounds = models.ManyToManyField(
        Compound, blank=True, related_name="noticeboard_ballots", verbose_name=_("shown on the noticeboards of")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("result published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    notice_ends_at = models.DateTimeField(_("notice period ends"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    result = models.JSONField(_("final count"), null=True, blank=True)
    result_digest = models.CharField(
        _("SHA-256 of the cast ballots"),
        max_length=64,
        blank=True,
        help_text=_("Fixed when the result is published; see consult/ballot_digest.py for how to recompute it."),
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["community", "status"], name="ballot_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="ballot_closes_after_opens"),
            models.CheckConstraint(condition=Q(status__in=BallotStatus.values), name="ballot_status_valid"),
            models.CheckConstraint(condition=Q(rule__in=BALLOT_RULES), name="ballot_rule_valid"),
            models.CheckConstraint(condition=Q(decision_kind__in=DECISION_KINDS), name="ballot_decision_kind_valid"),
            models.CheckConstraint(condition=Q(option_set__in=OptionSet.values), name="ballot_option_set_valid"),
            models.CheckConstraint(condition=Q(notice_days__gte=1), name="ballot_notice_days_positive"),
            models.CheckConstraint(
                condition=Q(scope_kind=ScopeKind.PROJECT, project__isnull=False)
                | Q(scope_kind=ScopeKind.COMPOUND, compound__isnull=False)
                | Q(scope_kind=ScopeKind.BUILDING, building__isnull=False)
                | Q(scope_kind=ScopeKind.UNIT, unit__isnull=False),
                name="ballot_scope_target_set",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status=BallotStatus.CLOSED, notice_ends_at__isnull=False),
                name="ballot_published_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=BallotStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="ballot_cancelled_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(result_digest=""),
                name="ballot_published_with_digest",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consult:ballot", args=[self.pk])

    @property
    def scope_target(self):
        return {
            ScopeKind.PROJECT: self.project,
            ScopeKind.COMPOUND: self.compound,
            ScopeKind.BUILDING: self.building,
            ScopeKind.UNIT: self.unit,
        }[self.scope_kind]

    @property
    def scope_label(self) -> str:
        """Who votes, in words a resident recognises: "佳和园 1号楼1单元", a project's title."""
        if self.scope_kind == ScopeKind.UNIT:
            return f"{self.unit.building.compound.name} {self.unit}"
        if self.scope_kind == ScopeKind.PROJECT:
            return self.project.title
        return str(self.scope_target)

    @property
    def last_voting_day(self):
        """The last local day on which a ballot could be filled in: a paper dated later is
        refused. Closing at midnight means the day before was the last one."""
        return timezone.localdate(self.closes_at - timedelta(microseconds=1))

    def is_accepting_online(self, now) -> bool:
        return self.status == BallotStatus.OPEN and self.opens_at <= now < self.closes_at

    def is_accepting_entries(self, now) -> bool:
        """Staff may still enter ballots collected before closing until they count them."""
        return self.status == BallotStatus.OPEN and self.opens_at <= now

    def in_notice_period(self, now) -> bool:
        return self.published_at is not None and self.published_at <= now < self.notice_ends_at

    def phase(self, now) -> str:
        """What a person looking at the ballot now should be told (see ``PHASE_LABELS``)."""
        if self.status == BallotStatus.OPEN:
            if now < self.opens_at:
                return "scheduled"
            return "voting" if now < self.closes_at else "counting"
        if self.status == BallotStatus.CLOSED:
            if self.published_at is None:
                return "counted"
            return "notice" if now < self.notice_ends_at else "final"
        return self.status


PHASE_LABELS = {
    "draft": _("Draft"),
    "scheduled": _("Opens soon"),
    "voting": _("Voting open"),
    "counting": _("Voting ended, being counted"),
    "counted": _("Counted, not yet published"),
    "notice": _("Result under public notice"),
    "final": _("Result final"),
    "cancelled": _("Cancelled"),
}


class BallotAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    OPENED = "opened", _("Opened; eligible households fixed")
    EXTENDED = "extended", _("Closing time extended")
    COUNTED = "counted", _("Closed and counted")
    PUBLISHED = "published", _("Result published")
    CANCELLED = "cancelled", _("Cancelled")


class BallotEvent(models.Model):
    """Append-only history of a ballot: who opened, extended, counted, published or cancelled it."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="events", verbose_name=_("ballot"))
    action = models.CharField(_("action"), max_length=20, choices=BallotAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A note the system writes is kept as its English source text plus these parameters and
    # translated when shown ("24 eligible households" / "有表决权的户共24户"); None for staff notes.
    note_params = models.JSONField(_("note parameters"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot event")
        verbose_name_plural = _("ballot events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=BallotAction.values), name="ballot_event_action_valid")
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def display_note(self) -> str:
        if self.note_params is None:
            return self.note
        return gettext(self.note) % self.note_params


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options", verbose_name=_("ballot"))
    label = models.CharField(_("option"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OptionKind.choices)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("ballot option")
        verbose_name_plural = _("ballot options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="ballot_option_unique_position"),
            models.UniqueConstraint(
                fields=["ballot", "kind"],
                condition=Q(kind__in=[OptionKind.FOR, OptionKind.AGAINST, OptionKind.ABSTAIN]),
                name="ballot_option_one_per_fixed_kind",
            ),
            models.CheckConstraint(condition=Q(kind__in=OptionKind.values), name="ballot_option_kind_valid"),
        ]

    def __str__(self):
        return str(self.display_label)

    @property
    def display_label(self) -> str:
        """Agree / disagree / abstain are the app's words, shown in the reader's language
        (the stored label is only their source code); a choice is the staff's own words."""
        if self.kind == OptionKind.CHOICE:
            return self.label
        return self.get_kind_display()


class EligibleHousehold(models.Model):
    """A household entitled to vote, with its area as it was when the ballot opened.

    ``serial`` numbers the printed paper ballots (one per household, in building, unit,
    floor, room order), so a paper typed in by serial finds its household."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="eligible", verbose_name=_("ballot"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ballot_eligibility", verbose_name=_("household")
    )
    area = models.DecimalField(
        _("exclusive area (m²) when opened"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    voter = models.PositiveIntegerField(
        _("counted as"),
        null=True,
        blank=True,  # empty: the household counts as itself (rows added by other paths than opening)
        help_text=_(
            "The household standing for the person this one counts as: itself (or empty), or, in an owners' "
            "decision, the first flat of an owner who holds several (SPC interpretation Art. 9)."
        ),
    )
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    serial = models.PositiveIntegerField(_("paper ballot number"))

    class Meta:
        verbose_name = _("eligible household")
        verbose_name_plural = _("eligible households")
        ordering = ["serial"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "household"], name="eligible_household_once_per_ballot"),
            models.UniqueConstraint(fields=["ballot", "serial"], name="eligible_serial_unique_per_ballot"),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gt=0), name="eligible_area_positive_or_unknown"
            ),
        ]
        indexes = [models.Index(fields=["ballot", "unit"], name="eligible_ballot_unit")]

    def __str__(self):
        return f"{self.ballot_id}: {self.household_id}"

    @property
    def paper_serial(self) -> str:
        return paper_serial_text(self.ballot_id, self.serial)


def paper_serial_text(ballot_id: int, serial: int) -> str:
    """The number printed on a paper ballot: ballot id and household number, "12-0042"."""
    return f"{ballot_id}-{serial:04d}"


class CastBallotQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(voided_at__isnull=True)


class CastBallot(EnteredForResident):
    """One household's ballot. Never deleted; voiding keeps who, when and why. ``proxy`` names
    the written authorisation it was cast under, when someone voted for the owner.

    On PostgreSQL a trigger refuses any UPDATE but the one-time void and every DELETE
    (``projects.db.append_only``)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="cast_ballots", verbose_name=_("ballot"))
    eligible = models.ForeignKey(
        EligibleHousehold, on_delete=models.PROTECT, related_name="cast_ballots", verbose_name=_("eligible household")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="cast_ballots", verbose_name=_("household")
    )
    option = models.ForeignKey(
        BallotOption, on_delete=models.PROTECT, related_name="cast_ballots", verbose_name=_("choice")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cast_ballots",
        verbose_name=_("meeting"),
    )
    proxy = models.ForeignKey(
        "consult.ProxyAuthorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cast_ballots",
        verbose_name=_("cast under the written authorisation"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    cast_at = models.DateTimeField(_("recorded at"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    objects = CastBallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("cast ballot")
        verbose_name_plural = _("cast ballots")
        ordering = ["-cast_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "household"],
                condition=Q(voided_at__isnull=True),
                name="cast_ballot_one_per_household",
            ),
            models.UniqueConstraint(
                fields=["ballot", "paper_reference"],
                condition=Q(voided_at__isnull=True) & ~Q(paper_reference=""),
                name="cast_ballot_paper_serial_once",
            ),
            *EnteredForResident.entry_constraints(),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PAPER) | ~Q(paper_reference=""), name="cast_ballot_paper_has_serial"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.MEETING) | Q(meeting__isnull=False), name="cast_ballot_meeting_has_meeting"
            ),
            # A proxy hands in a paper or comes to the office: staff enter it, never the website.
            models.CheckConstraint(
                condition=Q(proxy__isnull=True) | ~Q(channel=Channel.ONLINE), name="cast_ballot_proxy_entered_by_staff"
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason=""),
                name="cast_ballot_void_recorded",
            ),
        ]
        indexes = [models.Index(fields=["ballot", "cast_at"], name="cast_ballot_ballot_time")]

    def __str__(self):
        return f"{self.ballot_id}: {self.household_id} → {self.option_id}"

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None


class BallotObjection(EnteredForResident):
    """An objection raised while the result is under public notice, and the office's reply."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="objections", verbose_name=_("ballot"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot_objections",
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("When not from a known household."))
    text = models.TextField(_("objection"))
    received_at = models.DateTimeField(_("received at"))
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | ~Q(name=""), name="objection_from_household_or_name"
            ),
            *EnteredForResident.entry_constraints(),
            models.CheckConstraint(
                condition=Q(reply="", replied_at__isnull=True) | ~Q(reply="") & Q(replied_at__isnull=False),
                name="objection_reply_has_time",
            ),
        ]

    def __str__(self):
        return self.text[:50]
