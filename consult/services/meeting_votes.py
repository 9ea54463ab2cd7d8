"""Votes taken in the room by show of hands: counts only."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError

from ..meeting_lifecycle import RECORDING_STATUSES
from ..models import Meeting, MeetingVote
from .meetings import public_text_problems


def _locked_for_recording(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in RECORDING_STATUSES:
        raise ServiceError(_("Votes are recorded once the meeting is held, until it is reported back."))
    return meeting


def vote_record(
    *, meeting: Meeting, question: str, votes_for: int, votes_against: int, abstentions: int, by, now=None
) -> MeetingVote:
    now = now or timezone.now()
    question = question.strip()
    if min(votes_for, votes_against, abstentions) < 0:
        raise ServiceError(_("Counts cannot be negative."))
    if votes_for + votes_against + abstentions == 0:
        raise ServiceError(_("Enter at least one vote."))
    with transaction.atomic():
        meeting = _locked_for_recording(meeting)
        found = public_text_problems(meeting, {"question": question})
        if found:
            raise ServiceError(found)
        try:
            with transaction.atomic():
                return MeetingVote.objects.create(
                    meeting=meeting,
                    question=question,
                    votes_for=votes_for,
                    votes_against=votes_against,
                    abstentions=abstentions,
                    recorded_by=by,
                    recorded_at=now,
                )
        except IntegrityError:
            raise ServiceError({"question": [_("This question has already been recorded.")]}) from None


def vote_delete(*, vote: MeetingVote) -> None:
    with transaction.atomic():
        _locked_for_recording(vote.meeting)
        vote.delete()
