"""The household a resident is acting as, after entering its access code.

Residents have no accounts: a household code (see the ballots issue) puts the household's id
in the session. Views call ``current_household(request)``; it returns ``None`` when nobody
is acting as a household, and caches the answer on the request so a page pays one query.
"""

SESSION_KEY = "acting_household_id"
_CACHE_ATTR = "_acting_household"


def current_household(request):
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    from .models import Household

    household = None
    household_id = request.session.get(SESSION_KEY)
    if household_id:
        household = (
            Household.objects.select_related("unit__building__compound__community").filter(pk=household_id).first()
        )
        if household is None:
            request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, household)
    return household


def act_as_household(request, household) -> None:
    """Start acting as ``household``; a fresh session key stops session fixation."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = household.pk
    setattr(request, _CACHE_ATTR, household)


def stop_acting(request) -> None:
    request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, None)
