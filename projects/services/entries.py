"""The one check every service runs before recording a resident's act (see
``projects.models.entries``). The database refuses the same rows; this check says why, in
the resident's or the staff member's language, next to the right field."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import Channel


def check_entry(
    *,
    channel: str,
    entered_by,
    paper_date: date | None = None,
    today: date | None = None,
    last_day: date | None = None,
    error: type[ServiceError] = ServiceError,
) -> None:
    """Refuse an unknown channel, an online entry made by staff, an offline entry that does
    not name who entered it, a paper dated in the future, and a paper dated after
    ``last_day`` (the last local day of the ballot or campaign it answers: a paper filled in
    after closing cannot count, however early it is typed in). ``error`` lets a feature
    raise its own subclass (``BallotError``) so its callers can keep catching that."""
    if channel not in Channel.values:
        raise error(_("Unknown channel."), field="channel", code="channel")
    if channel == Channel.ONLINE and entered_by is not None:
        raise error(
            _("Online entries come from residents; anything staff enter needs another channel."),
            field="channel",
            code="channel",
        )
    if channel != Channel.ONLINE and entered_by is None:
        raise error(_("An entry made for a resident must record who entered it."), code="entered_by")
    if paper_date is not None:
        if channel == Channel.ONLINE:
            raise error(_("An online entry has no paper date."), field="paper_date", code="paper_date")
        if paper_date > (today or timezone.localdate()):
            raise error(_("The date on the paper cannot be in the future."), field="paper_date", code="paper_date")
        if last_day is not None and paper_date > last_day:
            raise error(
                _("The paper is dated %(date)s, after the closing day %(last)s: it was filled in too late to count.")
                % {"date": paper_date.isoformat(), "last": last_day.isoformat()},
                field="paper_date",
                code="paper_date_after_closing",
            )
