from django.conf import settings

from .identity import current_household


def interface(request):
    """Large-text mode is a cookie so the server renders the right size on the first paint."""
    return {
        "large_text": request.COOKIES.get(settings.TEXT_SIZE_COOKIE) == "large",
        "acting_household": current_household(request) if hasattr(request, "session") else None,
    }
