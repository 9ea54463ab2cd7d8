"""Which status a wish may move to next, as a table the tests can read.

The life of a wish (domain brief, "Wishes"): submitted → accepted → one of in a project's
plan / merged / declined → in progress → done. Small fixes skip the plan (accepted → in
progress). Every mistake has a way back: a declined wish can be reconsidered, a merge can be
undone, a plan can be dropped, a finished job reopened. No ORM here: ``consult.services.wishes``
binds ``TABLE`` to the model as the ``WISHES`` life cycle (``projects.lifecycle``).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.lifecycle import Refusals, TransitionTable

from .models.wishes import WishStatus

S = WishStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.ACCEPTED, S.MERGED, S.DECLINED),
    S.ACCEPTED: (S.PLANNED, S.IN_PROGRESS, S.MERGED, S.DECLINED),
    S.PLANNED: (S.IN_PROGRESS, S.ACCEPTED, S.DECLINED),
    S.IN_PROGRESS: (S.DONE, S.PLANNED),
    S.DONE: (S.IN_PROGRESS,),
    S.DECLINED: (S.ACCEPTED,),
    S.MERGED: (S.ACCEPTED,),
}

TABLE = TransitionTable(
    forward=TRANSITIONS,
    states=S.values,
    refusals=Refusals(
        unknown=_("Unknown status."),
        same=None,  # "a wish that is accepted cannot become accepted", like any other move not in the table
        not_allowed=lambda from_status, to_status: (
            gettext("A wish that is “%(from)s” cannot become “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        ),
    ),
)

# Neighbours may still back a wish while it is open; a merged wish forwards to its target.
OPEN_FOR_SUPPORT = frozenset({S.SUBMITTED, S.ACCEPTED, S.PLANNED, S.IN_PROGRESS})

# Statuses the public list leaves out unless asked for: their support lives on another wish.
HIDDEN_BY_DEFAULT = frozenset({S.MERGED})

# The answer the submitter reads when staff leave the response empty. A decline has none:
# the reason must be written for the person who asked.
DEFAULT_RESPONSES = {
    S.ACCEPTED: _("Your wish has been received and accepted. We will study it and report back here."),
    S.PLANNED: _("Your wish has been put into the plan of a renovation project."),
    S.MERGED: _(
        "A wish asking for the same thing already exists; yours has been merged into it and your support carried over."
    ),
    S.IN_PROGRESS: _("Work on this wish has started."),
    S.DONE: _("This wish has been carried out. Thank you for raising it."),
}
RESPONSE_REQUIRED = frozenset({S.DECLINED})


def accepts_support(status: str) -> bool:
    return status in OPEN_FOR_SUPPORT


def default_response(to_status: str) -> str:
    return str(DEFAULT_RESPONSES.get(to_status, ""))
