"""Public pages of projects (no login) and the printable QR poster of a compound.

Public pages show what a noticeboard on the wall would: stage, progress, timeline photos,
funding, published acceptance results and aggregate figures. Never a household, a name or a
complaint's text.
"""

import segno
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from .. import metrics, pagecache
from ..forms.evaluation import SCORE_CHOICES
from ..models import Compound, Stage
from ..rules import household_has_perm
from ..selectors.projects import projects_to_rate, public_project
from ..selectors.scope import affected_households
from ..site_address import is_loopback, public_base_url
from .project_base import PageObjectMixin


def noticeboard_url(compound: Compound, base: str) -> str:
    """The address printed on the poster: the public base address + the noticeboard path."""
    return base + reverse("projects:noticeboard", args=[compound.pk])


class PublicProjectView(TemplateView):
    template_name = "projects/noticeboard/public_project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compound = get_object_or_404(Compound.objects.select_related("community"), pk=self.kwargs["compound_pk"])
        project, eligible = pagecache.cached(
            f"project:{compound.pk}:{self.kwargs['pk']}", compound.community_id, lambda: self.public_data(compound)
        )
        if project is None:
            raise Http404
        rate = metrics.satisfaction_rate(project.satisfied, project.responses)
        context.update(
            compound=compound,
            project=project,
            stages=[
                {"stage": s, "done": i < project.stage_index, "current": i == project.stage_index}
                for i, s in enumerate(Stage)
            ],
            funding_total=sum((f.amount for f in project.funding_sources.all()), 0),
            satisfaction_percent=metrics.percent_one_decimal(rate),
            show_survey=project.stage_index >= Stage.index(Stage.EVALUATION),
        )
        if context["show_survey"]:
            context["eligible"] = eligible
        household = self.request.household
        if household_has_perm(household, "projects.act_in_compound", compound):
            rateable = projects_to_rate(household).filter(pk=project.pk).first()
            if rateable is not None:
                context["rateable"] = rateable
                context["rate_context"] = {"projects": [rateable], "score_choices": SCORE_CHOICES}
        return context

    def public_data(self, compound):
        """What the page shows every visitor alike, cached until the community's next write."""
        project = public_project(compound, self.kwargs["pk"])
        if project is None or project.stage_index < Stage.index(Stage.EVALUATION):
            return project, None
        return project, affected_households(project).count()


class PosterView(PageObjectMixin, TemplateView):
    """An A4 poster to put up in the compound: a big QR code to its noticeboard, large text,
    and how to scan it, for residents who rarely use a smartphone."""

    permission_required = "projects.print_poster"
    queryset = Compound.objects.select_related("community")
    template_name = "projects/noticeboard/poster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compound = self.get_object()
        base = public_base_url(self.request)
        url = noticeboard_url(compound, base)
        qr = segno.make(url, error="m")
        context.update(
            compound=compound,
            community=compound.community,
            url=url,
            # segno writes the SVG itself from the URL; no user input reaches it unescaped.
            qr_svg=mark_safe(qr.svg_inline(scale=10, border=2, dark="#000", light="#fff", omitsize=True)),  # noqa: S308
            printed_on=timezone.localdate(),
            loopback_address=is_loopback(base),
        )
        return context
