"""Construction waits for a passed ballot when the project requires one.

A project states the rule its ballot must be decided under (``Project.requires_passed_ballot``,
defaulting from its work type: an elevator, the maintenance fund, common parts → Art. 278
major matter). The gate opens on a ballot linked to the project (``Ballot.project``) whose
rule is at least as strict as that (``projects.thresholds.at_least_as_strict``: a custom
rule counts when its thresholds imply the required ones), and which is *decided*: counted,
published, passed, past its public-notice period, and with every objection answered. An
objection raised during the notice could still overturn the result; until the office has
answered it, the decision is not final.

Registered on the project stages from ``consult/hooks/ballots.py``: ``consult`` knows
projects, ``projects`` never knows ballots. Each refusal says what is missing and links to
where staff can act (the ballot, or a new ballot for the project).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects import thresholds as th
from projects.lifecycle import Refusal
from projects.models import DecisionRule, Project

from .models import Ballot, BallotStatus


def rule_of(ballot: Ballot) -> tuple[th.Threshold, ...] | None:
    try:
        return th.rule_thresholds(ballot.rule, ballot.custom_thresholds)
    except (ValueError, KeyError, TypeError):
        return None  # a broken custom rule decides nothing


def strict_enough(ballot: Ballot, required: tuple[th.Threshold, ...]) -> bool:
    rule = rule_of(ballot)
    return rule is not None and th.at_least_as_strict(rule, required)


def decided(ballot: Ballot, now) -> bool:
    """Passed for good: counted, published, passed, notice over, every objection answered."""
    return (
        ballot.status == BallotStatus.CLOSED
        and ballot.published_at is not None
        and ballot.passed is True
        and now >= ballot.notice_ends_at
        and ballot.unanswered_objections == 0
    )


def project_ballots(project: Project) -> list[Ballot]:
    """The project's ballots that could decide it, newest first, with their unanswered
    objections counted: one query."""
    return list(
        Ballot.objects.filter(project=project)
        .exclude(status=BallotStatus.CANCELLED)
        .annotate(unanswered_objections=Count("objections", filter=Q(objections__replied_at__isnull=True)))
        .order_by("-opens_at", "-pk")
    )


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def still_missing(ballot: Ballot, now) -> list[str]:
    """What a ballot strict enough still lacks, in the order it happens."""
    if ballot.status == BallotStatus.DRAFT:
        return [_("It is still a draft: open it for voting.")]
    if ballot.status == BallotStatus.OPEN:
        if now < ballot.closes_at:
            return [_("Voting is still open, until %(date)s.") % {"date": when(ballot.closes_at)}]
        return [_("Voting has ended but the ballots have not been counted yet.")]
    if ballot.published_at is None:
        return [_("It has been counted but the result is not published yet.")]
    if ballot.passed is not True:
        return [_("It did not pass.")]
    problems = []
    if now < ballot.notice_ends_at:
        problems.append(_("The result is under public notice until %(date)s.") % {"date": when(ballot.notice_ends_at)})
    if ballot.unanswered_objections:
        count = ballot.unanswered_objections
        problems.append(
            ngettext(
                "%(count)d objection has not been answered.", "%(count)d objections have not been answered.", count
            )
            % {"count": count}
        )
    return problems


def passed_ballot_refusals(project: Project, *, now) -> list[str]:
    """Why ``project`` may not enter construction for want of a ballot ([] when it may)."""
    if not project.requires_passed_ballot:
        return []
    required_kind = DecisionRule(project.requires_passed_ballot)
    required = th.rule_thresholds(required_kind)
    ballots = project_ballots(project)
    strong = [b for b in ballots if strict_enough(b, required)]
    if any(decided(b, now) for b in strong):
        return []
    values = {"rule": required_kind.label}
    if not strong:
        if not ballots:
            return [
                Refusal(
                    _("Construction needs a passed ballot (%(rule)s): this project has no ballot yet.") % values,
                    url=reverse("consult:ballot_create", args=[project.community_id]) + f"?project={project.pk}",
                    link_text=_("Prepare a ballot"),
                )
            ]
        ballot = ballots[0]
        return [
            Refusal(
                _(
                    "Construction needs a passed ballot (%(rule)s): the ballot “%(title)s” is decided by a weaker rule "
                    "(%(its_rule)s)."
                )
                % {**values, "title": ballot.title, "its_rule": ballot.get_rule_display()},
                url=ballot.get_absolute_url(),
                link_text=_("Open the ballot"),
            )
        ]
    ballot = strong[0]
    return [
        Refusal(
            _("Construction needs the ballot “%(title)s” to pass (%(rule)s).") % {**values, "title": ballot.title},
            url=ballot.get_absolute_url(),
            link_text=_("Open the ballot"),
        ),
        *still_missing(ballot, now),
    ]


def passed_ballot_guard(change) -> list[str]:
    """The construction gate: a project that requires a ballot waits for it to be decided."""
    return passed_ballot_refusals(change.obj, now=change.now)
