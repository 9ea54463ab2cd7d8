from django.http import QueryDict
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control

from .identity import SESSION_KEY, current_household


class ChineseFirstMiddleware:
    """Serve Simplified Chinese unless the visitor chose another language with the switch.

    Django would otherwise follow the browser's Accept-Language, and an office PC or a
    phone set up in English would show staff and residents a language the community does
    not work in. The switch stores its choice in the language cookie, which still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class StripNulFromQueryMiddleware:
    """Remove NUL characters from query parameters.

    A "%00" in ``?q=`` reaches the database as a NUL byte, which PostgreSQL refuses in text
    with a DataError (a server error); no real search or filter contains one. Forms already
    refuse NUL in posted fields with a message, so only the query string is cleaned here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in visitor: staff pages
    show phones, names and care flags, exports carry the roster, and a household's page
    shows its own votes. A shared office PC's browser cache, or a proxy, must not keep
    them. Public pages stay cacheable. (Checked after the view, so a login or a logout in
    this request counts too.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        session = getattr(request, "session", None)
        if signed_in or (session is not None and session.get(SESSION_KEY)):
            patch_cache_control(response, no_store=True, private=True)
        return response


class HouseholdMiddleware:
    """Put the household a resident is acting as on ``request.household`` (``None`` when
    nobody is), so resident pages and the household rules (``projects.rules.household_rules``)
    see the household the way staff pages see ``request.user``. Costs one query, and only for
    a session that entered a household code (``projects.identity.current_household``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.household = current_household(request)
        return self.get_response(request)


class PublicGZipMiddleware(GZipMiddleware):
    """Compress what anonymous visitors get; send pages of a signed-in user or an acting
    household as they are.

    A resident's first noticeboard on a phone is 60-80% smaller compressed. The exception is
    BREACH: a page that reflects what an attacker typed (a search box) next to a secret can
    leak the secret through the compressed size. Django masks the CSRF token anew on every
    response, which defeats that for the token; but staff pages also show phone numbers and
    names, and a household's page its own votes. Those are read on office PCs or by one
    household, so leaving them uncompressed costs little. Static files are compressed by
    WhiteNoise, above this middleware."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (user is not None and user.is_authenticated) or (session is not None and session.get(SESSION_KEY)):
            return response
        return super().process_response(request, response)
