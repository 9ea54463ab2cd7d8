from django.conf import settings
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from ..access import visible_communities
from ..identity import stop_acting
from ..models import Compound


def safe_next(request, fallback: str = "/") -> str:
    """The ``next`` page if it is a path on this site, else ``fallback``.

    Only paths ("/…") are accepted: ``redirect()`` treats any other text as a URL name to
    reverse, so ``next=2026-12-01`` was a server error, not a redirect."""
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class HomeView(TemplateView):
    """Staff see their communities; everybody else sees the compounds' public noticeboards."""

    template_name = "projects/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            communities = list(visible_communities(request.user).select_related("sub_district")[:2])
            if len(communities) == 1:
                return redirect(communities[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            context["communities"] = (
                visible_communities(self.request.user)
                .select_related("sub_district")
                .annotate(compound_count=Count("compounds", distinct=True))
                .order_by("sub_district__name", "name")
            )
        context["compounds"] = Compound.objects.select_related("community").order_by("community__name", "name")
        return context


@require_POST
def text_size(request):
    """Remember the resident's text size for a year; works without JavaScript."""
    response = HttpResponseRedirect(safe_next(request))
    size = "large" if request.POST.get("size") == "large" else "normal"
    response.set_cookie(settings.TEXT_SIZE_COOKIE, size, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@require_POST
def household_signout(request):
    stop_acting(request)
    return HttpResponseRedirect(safe_next(request))
