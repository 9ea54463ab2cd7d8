"""Which ballot a project must pass before construction, and every change of it.

A new project gets the requirement of its work type (``default_ballot_requirement``: an
elevator, the maintenance fund or common parts need an Art. 278 major-matter ballot). Staff
may change it later, but only with a reason, and each change is kept
(``BallotRequirementChange``): lowering it opens the construction gate, so it must be
traceable to a person and a why. The gate itself is enforced from ``consult``
(``consult/hooks/ballots.py``), which owns ballots.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import REQUIRED_BALLOT_CHOICES, BallotRequirementChange, Project
from .model_update import model_update

REQUIRED_BALLOT_VALUES = {value for value, _label in REQUIRED_BALLOT_CHOICES}


def ballot_requirement_set(*, project: Project, rule: str, reason: str, by, now=None) -> BallotRequirementChange:
    """Change the ballot ``project`` must pass ("" for none), recording who, when and why."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if rule not in REQUIRED_BALLOT_VALUES:
        raise ServiceError(_("Choose one of the listed rules."), field="rule")
    if not reason:
        raise ServiceError(_("Say why the requirement changes: it is kept in the project's history."), field="reason")

    def history(locked: Project, diff) -> BallotRequirementChange:
        old, new = diff["requires_passed_ballot"]
        return BallotRequirementChange.objects.create(
            project=locked, from_rule=old, to_rule=new, reason=reason[:300], changed_by=by, changed_at=now
        )

    change = model_update(
        project,
        ["requires_passed_ballot"],
        {"requires_passed_ballot": rule},
        history=history,
        clean_exclude=[f.name for f in Project._meta.fields if f.name != "requires_passed_ballot"],
    )
    if change is None:
        raise ServiceError(_("The project already requires this."), field="rule")
    return change
