"""Acceptance records and the satisfaction survey: staff pages and the resident's rating."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from ..forms.evaluation import AcceptanceForm, ResidentRatingForm, SatisfactionCorrectForm, StaffSatisfactionForm
from ..models import AcceptanceRecord, Project, SatisfactionResponse
from ..selectors.evaluation import satisfaction_summary
from ..selectors.projects import projects_to_rate
from ..selectors.scope import affected_households
from ..services import evaluation as services
from .common import safe_next
from .household import HouseholdRequiredMixin
from .mixins import ServiceFormMixin, refusals_as_messages
from .project_base import PageObjectMixin

PAGE_SIZE = 30


class AcceptanceFormMixin(ServiceFormMixin, PageObjectMixin, FormView):
    permission_required = "projects.record_acceptance"
    template_name = "projects/evaluation/acceptance_form.html"
    form_class = AcceptanceForm

    def record(self) -> AcceptanceRecord:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.record()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.record().project
        context["project"] = project
        context["community"] = project.community
        return context

    def form_valid_service(self, form):
        record = services.acceptance_save(record=form.save(commit=False), by=self.request.user)
        messages.success(self.request, _("Acceptance record saved."))
        return redirect(record.project)


class AcceptanceCreateView(AcceptanceFormMixin):
    queryset = Project.objects.select_related("community")

    def record(self):
        if not hasattr(self, "_record"):
            self._record = AcceptanceRecord(project=self.get_object())
        return self._record


class AcceptanceEditView(AcceptanceFormMixin):
    queryset = AcceptanceRecord.objects.select_related("project__community")

    def record(self):
        return self.get_object()


class SatisfactionView(ServiceFormMixin, PageObjectMixin, FormView):
    """The survey's figures, every answer (or the households still to ask), and the form to
    type in an answer from paper, phone or a visit."""

    permission_required = "projects.view_satisfaction"
    queryset = Project.objects.select_related("community")
    template_name = "projects/evaluation/satisfaction.html"
    form_class = StaffSatisfactionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        show_missing = self.request.GET.get("show") == "missing"
        if show_missing:
            rows = (
                affected_households(project)
                .exclude(pk__in=project.satisfaction_responses.values("household_id"))
                .select_related("unit__building__compound")
                .order_by(
                    "unit__building__compound__name", "unit__building__sort_key", "unit__sort_key", "floor", "room"
                )
            )
        else:
            rows = project.satisfaction_responses.select_related(
                "household__unit__building__compound", "entered_by"
            ).order_by("-updated_at", "-pk")
        context.update(
            project=project,
            community=project.community,
            summary=satisfaction_summary(project),
            show_missing=show_missing,
            page_obj=Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page")),
            survey_open=project.stage in services.STAFF_SURVEY_STAGES,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.record_satisfaction", self.get_object()):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid_service(self, form):
        project = self.get_object()
        data = form.cleaned_data
        services.satisfaction_record_for(
            project=project,
            household=data["household"],
            score=data["score"],
            comment=data["comment"],
            channel=data["channel"],
            by=self.request.user,
        )
        messages.success(self.request, _("Answer of %(household)s recorded.") % {"household": data["household"]})
        return redirect("projects:satisfaction", project.pk)


class SatisfactionResponseView(ServiceFormMixin, PageObjectMixin, FormView):
    """One answer with its change log; staff correct it with a reason."""

    permission_required = "projects.view_satisfaction"
    queryset = SatisfactionResponse.objects.select_related(
        "project__community", "household__unit__building__compound", "entered_by"
    )
    template_name = "projects/evaluation/response.html"
    form_class = SatisfactionCorrectForm

    def get_initial(self):
        response = self.get_object()
        return {"score": response.score, "comment": response.comment}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.get_object()
        context.update(
            response=response,
            project=response.project,
            community=response.project.community,
            changes=response.changes.select_related("entered_by"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.record_satisfaction", self.get_object()):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid_service(self, form):
        response = self.get_object()
        services.satisfaction_correct(response=response, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Answer corrected."))
        return redirect("projects:satisfaction_response", response.pk)


class ResidentRateView(HouseholdRequiredMixin, View):
    """A resident acting as their household rates a project in evaluation (no login: the
    household code put the household in the session, see ``projects.identity``)."""

    http_method_names = ["post"]
    permission_required = "projects.rate_project"

    def get_permission_object(self):
        return Project.objects.filter(pk=self.kwargs["pk"]).first()

    def get_permission_denied_message(self):
        return _("Your household cannot rate this project.")

    def household_missing(self):
        raise PermissionDenied(_("Enter your household code first."))

    def post(self, request, pk):
        household = self.household
        project = projects_to_rate(household).get(pk=pk)
        fallback = reverse("projects:public_project", args=[household.unit.building.compound_id, project.pk])
        form = ResidentRatingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a score from 1 to 5."))
            return redirect(safe_next(request, fallback))
        with refusals_as_messages(request):
            services.satisfaction_submit_online(
                project=project,
                household=household,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Thank you. Your rating of “%(title)s” was saved.") % {"title": project.title})
        return redirect(safe_next(request, fallback))
