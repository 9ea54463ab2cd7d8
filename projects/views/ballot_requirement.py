"""The ballot a project must pass before construction: see it, and change it with a reason."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ..forms.ballot_requirement import BallotRequirementForm
from ..models import Project
from ..services.ballot_requirement import ballot_requirement_set
from .mixins import ServiceFormMixin
from .project_base import PageObjectMixin


class BallotRequirementView(ServiceFormMixin, PageObjectMixin, FormView):
    permission_required = "projects.set_ballot_requirement"
    queryset = Project.objects.select_related("community__sub_district")
    template_name = "projects/projects/ballot_requirement.html"
    form_class = BallotRequirementForm

    def get_initial(self):
        return {"rule": self.get_object().requires_passed_ballot}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        context["project"] = project
        context["community"] = project.community
        context["changes"] = project.ballot_requirement_changes.select_related("changed_by").order_by("-changed_at")
        return context

    def form_valid_service(self, form):
        project = self.get_object()
        ballot_requirement_set(
            project=project, rule=form.cleaned_data["rule"], reason=form.cleaned_data["reason"], by=self.request.user
        )
        messages.success(self.request, _("The required ballot was changed."))
        return redirect(project)
