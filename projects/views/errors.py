"""Chinese error pages with the site header, what happened, what to do and a way home.

Wired in ``config/urls.py`` (``handler403/404/500``) and ``CSRF_FAILURE_VIEW``. The 500
page renders without the request context processors: when the database is what failed, a
page that queries it would fail again and leave the reader with Django's bare English text.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from ..permission_roles import who_can


def _needed_permissions(request) -> list[str]:
    """The permission the refusing view declared, when it declared one."""
    view_class = getattr(getattr(getattr(request, "resolver_match", None), "func", None), "view_class", None)
    needed = getattr(view_class, "permission_required", None)
    if not needed:
        return []
    return [needed] if isinstance(needed, str) else list(needed)


def permission_denied(request, exception=None):
    """403: says which role may do this. A view can name it in the PermissionDenied message;
    otherwise the role is read from the permission the view requires."""
    reason = str(exception or "").strip()
    who = who_can(_needed_permissions(request))
    context = {"reason": reason if reason and reason != who else "", "who": who}
    return render(request, "errors/403.html", context, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def csrf_failure(request, reason=""):
    """The form was sent from a page that had expired (or from another site)."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    return render(request, "errors/403_csrf.html", {"back": referer if safe else "/"}, status=403)


def server_error(request):
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"request": request}))
