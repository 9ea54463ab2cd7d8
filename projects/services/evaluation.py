"""Writes for acceptance records and the satisfaction survey.

One response per household per project: the database constraint is the guarantee, and the
project row is locked while a response is written so that a resident answering online and a
worker typing in the same household's paper questionnaire cannot both create one.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import (
    AcceptanceRecord,
    Channel,
    Household,
    Project,
    SatisfactionChange,
    SatisfactionResponse,
    Stage,
)
from ..selectors.scope import affected_households
from .entries import check_entry

# Residents answer online while the project is being evaluated; staff may still type in
# paper questionnaires that come back after the project was marked completed.
RESIDENT_SURVEY_STAGES = frozenset({Stage.EVALUATION})
STAFF_SURVEY_STAGES = frozenset({Stage.EVALUATION, Stage.COMPLETED})


def acceptance_save(*, record: AcceptanceRecord, by, now=None) -> AcceptanceRecord:
    """Acceptance inspects finished work, so it can be recorded once construction started."""
    now = now or timezone.now()
    if Stage.index(record.project.stage) < Stage.index(Stage.CONSTRUCTION):
        raise ServiceError(_("Acceptance can be recorded once construction has started."))
    if record.pk is None:
        record.recorded_by = by
        record.recorded_at = now
    record.save()
    return record


def _check_score(score) -> int:
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ServiceError({"score": _("Choose a score from 1 to 5.")})
    return score


def _check_eligible(project: Project, household: Household) -> None:
    if not affected_households(project).filter(pk=household.pk).exists():
        raise ServiceError(_("This household is not affected by the project, so it is not surveyed."))


def satisfaction_submit_online(
    *, project: Project, household: Household, score: int, comment: str = "", now=None
) -> SatisfactionResponse:
    """The resident's own answer. Answering again while the survey is open changes it (the
    change is logged); a staff-entered answer is changed the same way, since it is theirs."""
    now = now or timezone.now()
    score = _check_score(score)
    comment = (comment or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.stage not in RESIDENT_SURVEY_STAGES:
            raise ServiceError(_("The satisfaction survey of this project is not open."))
        _check_eligible(project, household)
        existing = SatisfactionResponse.objects.filter(project=project, household=household).first()
        if existing is not None:
            return _change(existing, score=score, comment=comment, channel=Channel.ONLINE, reason="", by=None, now=now)
        return _create(project, household, score=score, comment=comment, channel=Channel.ONLINE, by=None, now=now)


def satisfaction_record_for(
    *, project: Project, household: Household, score: int, comment: str = "", channel: str, by, now=None
) -> SatisfactionResponse:
    """Staff enter a household's answer from a paper questionnaire, a call or a visit."""
    now = now or timezone.now()
    score = _check_score(score)
    check_entry(channel=channel, entered_by=by)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.stage not in STAFF_SURVEY_STAGES:
            raise ServiceError(_("The satisfaction survey of this project is not open."))
        _check_eligible(project, household)
        if SatisfactionResponse.objects.filter(project=project, household=household).exists():
            raise ServiceError(
                _("This household has already answered. Open its answer to correct it."), code="duplicate"
            )
        return _create(
            project, household, score=score, comment=(comment or "").strip(), channel=channel, by=by, now=now
        )


def satisfaction_correct(
    *, response: SatisfactionResponse, score: int, comment: str, reason: str, by, now=None
) -> SatisfactionResponse:
    """Staff correct a typing mistake or record a changed opinion; the old values stay in
    the change log with the reason."""
    now = now or timezone.now()
    score = _check_score(score)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": _("Say why the answer is corrected.")})
    with transaction.atomic():
        locked = SatisfactionResponse.objects.select_for_update().get(pk=response.pk)
        # Staff correct at the office what the resident answered online.
        channel = Channel.OFFICE if locked.channel == Channel.ONLINE else locked.channel
        return _change(
            locked, score=score, comment=(comment or "").strip(), channel=channel, reason=reason, by=by, now=now
        )


def _create(project, household, *, score, comment, channel, by, now) -> SatisfactionResponse:
    try:
        with transaction.atomic():
            response = SatisfactionResponse.objects.create(
                project=project,
                household=household,
                score=score,
                comment=comment,
                channel=channel,
                entered_by=by,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as error:
        raise ServiceError(_("This household has already answered."), code="duplicate") from error
    SatisfactionChange.objects.create(
        response=response, new_score=score, new_comment=comment, channel=channel, entered_by=by, at=now
    )
    return response


def _change(response, *, score, comment, channel, reason, by, now) -> SatisfactionResponse:
    if response.score == score and response.comment == comment:
        return response
    SatisfactionChange.objects.create(
        response=response,
        old_score=response.score,
        new_score=score,
        old_comment=response.comment,
        new_comment=comment,
        channel=channel,
        reason=reason,
        entered_by=by,
        at=now,
    )
    response.score = score
    response.comment = comment
    response.updated_at = now
    response.save(update_fields=["score", "comment", "updated_at"])
    return response
