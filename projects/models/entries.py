"""Something a resident did, possibly entered for them by staff: the one way to record it.

Many residents are elderly and act through the community office: a paper questionnaire, a
visit, a call, a meeting. Every record of a resident's act (a wish, a support, a ballot, an
objection, a sign-off, an RSVP, a satisfaction answer and its changes) therefore says how
it reached us (``channel``), who typed it in (``entered_by``), and for paper, the number on
the paper and the date written on it (or the date the box was opened). The date on the
paper is kept apart from the row's own time so a late-entered paper can show it was
filled in on time.

The rule "online means the resident did it, with no staff; anything else names who entered
it" is declared once, in ``entry_constraints()``, which every concrete model adds to its
``Meta.constraints``, and checked once for services in ``projects.services.entries``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .channels import Channel


class EnteredForResident(models.Model):
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Empty when the resident did it online."),
    )
    paper_reference = models.CharField(_("paper form number"), max_length=50, blank=True)
    paper_date = models.DateField(
        _("date on the paper"),
        null=True,
        blank=True,
        help_text=_("The date written on the paper, or the day the box was opened. Empty when not known."),
    )

    class Meta:
        abstract = True

    @classmethod
    def entry_constraints(cls) -> list[models.CheckConstraint]:
        """The channel rules, for a concrete model's ``Meta.constraints`` (names are made
        unique per model with ``%(app_label)s_%(class)s``)."""
        online = Q(channel=Channel.ONLINE)
        return [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="%(app_label)s_%(class)s_channel_valid"
            ),
            models.CheckConstraint(
                condition=(online & Q(entered_by__isnull=True)) | (~online & Q(entered_by__isnull=False)),
                name="%(app_label)s_%(class)s_offline_names_who_entered",
            ),
            models.CheckConstraint(
                condition=~online | (Q(paper_reference="") & Q(paper_date__isnull=True)),
                name="%(app_label)s_%(class)s_online_has_no_paper",
            ),
        ]

    @property
    def is_proxy_entry(self) -> bool:
        return self.entered_by_id is not None
