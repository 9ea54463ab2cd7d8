"""Staff pages of renovation projects: list, create/edit, the project page, stage changes and
the scope with its single-household adjustments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView, View

from ..errors import add_form_error
from ..forms.projects import (
    FirmFormSet,
    FundingFormSet,
    ProjectFilterForm,
    ProjectForm,
    ScopeAdjustForm,
    StageChangeForm,
    inline_helper,
)
from ..models import Community, Project, ScopeEvent, Stage, TimelineEntry
from ..sections import project_panels
from ..selectors import complaints as complaint_selectors
from ..selectors import projects as selectors
from ..selectors.evaluation import satisfaction_summary
from ..selectors.scope import affected_by_building, affected_households
from ..services.projects import project_save
from ..services.scope import scope_adjust, scope_confirm, scope_locks, scope_reject, scope_undo
from ..services.stages import StageBlocked, check_stage_change, project_change_stage
from .common import safe_next
from .mixins import ObjectPermissionMixin, ServiceFormMixin, refusals_as_messages
from .project_base import PageObjectMixin

PROJECT_RELATED = "community__sub_district"


class ProjectListView(ObjectPermissionMixin, DetailView):
    """A community's projects: search, filters by stage, class, work type and compound."""

    permission_required = "projects.view_project"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/projects/project_list.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ProjectFilterForm(self.request.GET or None, community=self.object)
        projects = selectors.search_projects(self.object, **form.filters())
        context["form"] = form
        context["page_obj"] = Paginator(projects, selectors.PAGE_SIZE).get_page(self.request.GET.get("page"))
        context["stage_counts"] = selectors.stage_counts(self.object)
        return context


class ProjectFormMixin:
    template_name = "projects/projects/project_form.html"

    def forms(self, community, instance=None):
        data = self.request.POST if self.request.method == "POST" else None
        instance = instance or Project(community=community)
        return (
            ProjectForm(data, instance=instance, community=community),
            FundingFormSet(data, instance=instance, prefix="funding"),
            FirmFormSet(data, instance=instance, prefix="firms"),
        )

    def render_forms(self, community, project, form, funding, firms, status=200):
        context = {
            "community": community,
            "project": project,
            "form": form,
            "funding_formset": funding,
            "firm_formset": firms,
            "inline_helper": inline_helper(),
            "scope_locks": scope_locks(project) if project is not None and project.pk else [],
        }
        return self.render_to_response(context, status=status)

    def save(self, community, project, form, funding, firms):
        if all([form.is_valid(), funding.is_valid(), firms.is_valid()]):
            try:
                saved = project_save(
                    form=form, funding_formset=funding, firm_formset=firms, by=self.request.user, request=self.request
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                messages.success(self.request, _("Project saved."))
                return redirect(saved)
        return self.render_forms(community, project, form, funding, firms, status=200)


class ProjectCreateView(PageObjectMixin, ProjectFormMixin, TemplateView):
    permission_required = "projects.add_project"
    queryset = Community.objects.select_related("sub_district")

    def get(self, request, *args, **kwargs):
        community = self.get_object()
        return self.render_forms(community, None, *self.forms(community))

    def post(self, request, *args, **kwargs):
        community = self.get_object()
        return self.save(community, None, *self.forms(community))


class ProjectEditView(PageObjectMixin, ProjectFormMixin, TemplateView):
    permission_required = "projects.change_project"
    queryset = Project.objects.select_related(PROJECT_RELATED)

    def get(self, request, *args, **kwargs):
        project = self.get_object()
        return self.render_forms(project.community, project, *self.forms(project.community, project))

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        return self.save(project.community, project, *self.forms(project.community, project))


def stage_options(project: Project, *, now, blockers: bool = True) -> dict:
    """The next stage with what blocks it, and the earlier stages one may go back to.
    ``blockers=False`` leaves out what blocks it: the reasons name the rooms not yet agreed,
    for the office staff who change stages only."""
    index = Stage.index(project.stage)
    stages = Stage.ordered()
    next_stage = stages[index + 1] if index + 1 < len(stages) else None
    return {
        "next_stage": next_stage,
        "next_blockers": check_stage_change(project=project, to_stage=next_stage, now=now)
        if next_stage and blockers
        else [],
        "earlier_stages": stages[:index],
        "stages": [{"stage": s, "done": i < index, "current": i == index} for i, s in enumerate(stages)],
    }


class ProjectDetailView(ObjectPermissionMixin, DetailView):
    """The project's staff page: facts, scope, stage, progress, complaints, acceptance,
    satisfaction, then every feature's panel (sign-offs, ballots, wishes, meetings)."""

    permission_required = "projects.view_project"
    queryset = Project.objects.select_related(PROJECT_RELATED).prefetch_related(
        "funding_sources",
        "firms",
        "departments",
        "compounds",
        "buildings__compound",
        "units__building__compound",
        "progress_items",
        "acceptances",
        Prefetch(
            "timeline",
            queryset=TimelineEntry.objects.order_by("-date", "-pk").prefetch_related("photos")[:3],
            to_attr="recent_timeline",
        ),
    )
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user, now = self.object, self.request.user, timezone.now()
        context["community"] = project.community
        context["affected_count"] = affected_households(project).count()
        context["funding_total"] = sum((f.amount for f in project.funding_sources.all()), 0)
        context.update(stage_options(project, now=now, blockers=user.has_perm("projects.change_stage", project)))
        context["transitions"] = project.transitions.select_related("changed_by")
        if user.has_perm("projects.view_complaints", project):
            visible = complaint_selectors.complaints_visible_to(user, project)
            context["complaint_stats"] = complaint_selectors.complaint_stats(visible)
            context["open_complaints"] = complaint_selectors.search_complaints(visible, status="open")[:5]
        if Stage.index(project.stage) >= Stage.index(Stage.ACCEPTANCE):
            context["satisfaction"] = satisfaction_summary(project)
        context["stage_form"] = StageChangeForm(project=project)
        context["panels"] = project_panels.render_list(project, self.request)
        today = timezone.localdate()
        context["overdue"] = bool(
            project.planned_end and project.planned_end < today and project.stage in selectors.BEFORE_ACCEPTANCE
        )
        context["acceptance_open"] = Stage.index(project.stage) >= Stage.index(Stage.CONSTRUCTION)
        return context


class StageChangeView(PageObjectMixin, FormView):
    """Move a project to the next stage, or back to an earlier one with a note. When a guard
    blocks (e.g. sign-offs missing before construction), the page lists its reasons."""

    permission_required = "projects.change_stage"
    queryset = Project.objects.select_related(PROJECT_RELATED)
    template_name = "projects/projects/stage.html"
    form_class = StageChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.get_object()
        return kwargs

    def get_initial(self):
        options = stage_options(self.get_object(), now=timezone.now())
        return {"to_stage": options["next_stage"]} if options["next_stage"] else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        context["project"] = project
        context["community"] = project.community
        context.update(stage_options(project, now=timezone.now()))
        context["transitions"] = project.transitions.select_related("changed_by")
        return context

    def form_valid(self, form):
        project = self.get_object()
        to_stage = form.cleaned_data["to_stage"]
        try:
            project_change_stage(
                project=project, to_stage=to_stage, by=self.request.user, note=form.cleaned_data["note"]
            )
        except StageBlocked as blocked:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    blocked_stage=Stage(to_stage),
                    blocked_reasons=getattr(blocked, "refusals", blocked.messages),
                )
            )
        except ValidationError as error:
            add_form_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The project is now in the stage “%(stage)s”.") % {"stage": Stage(to_stage).label}
        )
        return redirect(project)


class ScopeView(ServiceFormMixin, PageObjectMixin, FormView):
    """The derived household count per building, the form to add or take out one household,
    the changes waiting for a second staff member, and every scope change ever made."""

    permission_required = "projects.view_scope"
    queryset = Project.objects.select_related(PROJECT_RELATED).prefetch_related(
        "compounds", "buildings__compound", "units__building__compound"
    )
    template_name = "projects/projects/scope.html"
    form_class = ScopeAdjustForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_object().community
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        rows = affected_by_building(project)
        context["project"] = project
        context["community"] = project.community
        context["rows"] = rows
        context["total"] = sum(r["households"] for r in rows)
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.adjust_scope", self.get_object()):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid_service(self, form):
        project = self.get_object()
        event = scope_adjust(
            project=project,
            household=form.cleaned_data["household"],
            included=form.cleaned_data["included"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        if event.needs_confirmation:
            messages.warning(
                self.request,
                _("This household has not agreed: the change counts once another staff member confirms it."),
            )
        else:
            messages.success(self.request, _("Scope changed."))
        return redirect("projects:project_scope", project.pk)


class ScopeEventActionView(ObjectPermissionMixin, View):
    """A POST button on one scope change (undo, confirm, reject): the service decides, a
    refusal comes back as a message on the page the button was on."""

    permission_required = "projects.adjust_scope"
    http_method_names = ["post"]

    def get_permission_object(self):
        return self.get_event().project

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                ScopeEvent.objects.select_related("project__community", "household"), pk=self.kwargs["pk"]
            )
        return self._event

    def act(self, event, text: str):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        event = self.get_event()
        with refusals_as_messages(request):
            messages.success(request, self.act(event, request.POST.get("reason", "")[:300]))
        return redirect(safe_next(request, reverse("projects:project_scope", args=[event.project_id])))


class ScopeUndoView(ScopeEventActionView):
    def act(self, event, text):
        undo = scope_undo(event=event, reason=text, by=self.request.user)
        if undo.needs_confirmation:
            return _("Undo recorded: it counts once another staff member confirms it.")
        return _("Undone. The change and its undo both stay in the scope history.")


class ScopeConfirmView(ScopeEventActionView):
    def act(self, event, text):
        scope_confirm(event=event, by=self.request.user, note=text)
        return _("Confirmed: the change now counts.")


class ScopeRejectView(ScopeEventActionView):
    def act(self, event, text):
        scope_reject(event=event, by=self.request.user, note=text)
        return _("Rejected: the change does not count.")
