"""Ballots lock their project's places: while a ballot of the project is open, the project
form may not change its compounds, buildings or units (see ``projects.services.scope``).

The eligible households of a ballot are a snapshot taken when it opened, so a scope edit
would not change who votes; the lock keeps the project's own affected set (and its sign-offs)
from drifting under an open vote without a recorded, reasoned change per household."""

from django.utils.translation import gettext as _

from projects.services.scope import register_scope_lock

from ..models import Ballot, BallotStatus


def open_ballot_lock(project) -> str | None:
    if Ballot.objects.filter(project=project, status=BallotStatus.OPEN).exists():
        return _("A ballot of this project is open.")
    return None


register_scope_lock(open_ballot_lock)
