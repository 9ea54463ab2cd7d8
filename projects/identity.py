"""The household a resident is acting as, after entering its access code.

Residents have no accounts: a household code (see ``projects.services.identity``) puts the
household's id in the session, with the id of the code used. Views call
``current_household(request)``; it returns ``None`` when nobody is acting as a household,
and caches the answer on the request so a page pays one query. Because the code's id is
checked in that same query, revoking or reissuing a code also ends every session that was
opened with it (a lost phone stops voting the moment staff reissue the letter).
"""

SESSION_KEY = "acting_household_id"
CODE_SESSION_KEY = "acting_household_code_id"
_CACHE_ATTR = "_acting_household"


def current_household(request):
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    from .models import Household

    household = None
    household_id = request.session.get(SESSION_KEY)
    if household_id:
        households = Household.objects.select_related("unit__building__compound__community").filter(pk=household_id)
        code_id = request.session.get(CODE_SESSION_KEY)
        if code_id:
            households = households.filter(access_codes__pk=code_id, access_codes__revoked_at__isnull=True)
        household = households.first()
        if household is None:
            request.session.pop(SESSION_KEY, None)
            request.session.pop(CODE_SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, household)
    return household


def act_as_household(request, household, *, code=None) -> None:
    """Start acting as ``household``; a fresh session key stops session fixation.

    ``code`` is the ``HouseholdCode`` entered; the session then lasts only while it is active."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = household.pk
    if code is not None:
        request.session[CODE_SESSION_KEY] = code.pk
    else:
        request.session.pop(CODE_SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, household)


def stop_acting(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(CODE_SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, None)


def household_actor(request):
    """(channel, entered_by) for an online action taken while acting as a household.

    A resident on their own device acts alone: ``(Channel.ONLINE, None)``. A signed-in staff
    member who typed a household's code for a resident (at the office counter, say) is
    recorded as the person who entered it, with the office channel, so a proxy action is
    never mistaken for the resident's own."""
    from .models import Channel

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Channel.OFFICE, user
    return Channel.ONLINE, None
