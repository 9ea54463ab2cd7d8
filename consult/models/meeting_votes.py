"""Votes taken in the room by show of hands: counts only, never who raised a hand.

A vote that binds owners under the Civil Code is a ballot (the ballots feature), not this."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..room_votes import show_of_hands_carried
from .meetings import Meeting


class MeetingVote(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes", verbose_name=_("meeting"))
    question = models.CharField(
        _("question"),
        max_length=300,
        help_text=_("Posted on the noticeboard with the counts. Do not name residents."),
    )
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstentions = models.PositiveIntegerField(_("abstain"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("vote in the room")
        verbose_name_plural = _("votes in the room")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__gte=0) & Q(votes_against__gte=0) & Q(abstentions__gte=0),
                name="meeting_vote_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__gt=0) | Q(votes_against__gt=0) | Q(abstentions__gt=0),
                name="meeting_vote_has_votes",
                violation_error_message=_("Enter at least one vote."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "question"],
                name="meeting_vote_unique_question",
                violation_error_message=_("This question has already been recorded."),
            ),
        ]

    def __str__(self):
        return self.question

    @property
    def community(self):
        return self.meeting.community

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def carried(self) -> bool:
        return show_of_hands_carried(self.votes_for, self.votes_against, self.abstentions)
