from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from ..models import Compound
from ..sections import noticeboard_sections


class NoticeboardView(TemplateView):
    """The compound's public noticeboard (公示栏): no login, aggregates only, no personal data.

    Each feature contributes a section (see ``projects.sections``)."""

    template_name = "projects/noticeboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compound = get_object_or_404(Compound.objects.select_related("community"), pk=self.kwargs["pk"])
        context["compound"] = compound
        context["sections"] = noticeboard_sections.render_list(
            compound, self.request, cache_community=compound.community_id
        )
        return context
