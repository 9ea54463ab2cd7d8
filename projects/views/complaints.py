"""Staff pages for complaints during construction: list with figures, record, handle."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from ..forms.complaints import ComplaintFilterForm, ComplaintForm, ComplaintUpdateForm
from ..models import Complaint, Project
from ..selectors import complaints as selectors
from ..services.complaints import complaint_create, complaint_update
from .mixins import ServiceFormMixin
from .project_base import PageObjectMixin

PAGE_SIZE = 25


class ComplaintListView(PageObjectMixin, TemplateView):
    permission_required = "projects.view_complaints"
    queryset = Project.objects.select_related("community")
    template_name = "projects/complaints/complaint_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        visible = selectors.complaints_visible_to(self.request.user, project)
        form = ComplaintFilterForm(self.request.GET or None)
        complaints = selectors.search_complaints(visible, **form.filters())
        context.update(
            project=project,
            community=project.community,
            form=form,
            stats=selectors.complaint_stats(visible),
            page_obj=Paginator(complaints, PAGE_SIZE).get_page(self.request.GET.get("page")),
        )
        return context


class ComplaintCreateView(ServiceFormMixin, PageObjectMixin, FormView):
    permission_required = "projects.add_complaint"
    queryset = Project.objects.select_related("community__sub_district")
    template_name = "projects/complaints/complaint_form.html"
    form_class = ComplaintForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.get_object()
        return kwargs

    def get_initial(self):
        return {"received_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.get_object()
        context["community"] = self.get_object().community
        return context

    def form_valid_service(self, form):
        project = self.get_object()
        data = form.cleaned_data
        complaint = complaint_create(
            project=project,
            source=data["source"],
            hotline_ref=data["hotline_ref"],
            household=data["household"],
            contact_phone=data["contact_phone"],
            summary=data["summary"],
            received_at=data["received_at"],
            handler_user=data["handler_user"],
            handler_department=data["handler_department"],
            by=self.request.user,
        )
        messages.success(self.request, _("Complaint recorded."))
        return redirect(complaint)


class ComplaintDetailView(ServiceFormMixin, PageObjectMixin, FormView):
    """One complaint with its history; staff update status, handler and response here."""

    permission_required = "projects.view_complaint"
    queryset = Complaint.objects.select_related(
        "project__community__sub_district",
        "household__unit__building__compound",
        "handler_user",
        "handler_department",
        "created_by",
    )
    template_name = "projects/complaints/complaint_detail.html"
    form_class = ComplaintUpdateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["complaint"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        complaint = self.get_object()
        context["complaint"] = complaint
        context["project"] = complaint.project
        context["community"] = complaint.project.community
        context["events"] = complaint.events.select_related("by")
        context["can_change"] = self.request.user.has_perm("projects.change_complaint", complaint)
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.change_complaint", self.get_object()):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid_service(self, form):
        complaint = self.get_object()
        data = form.cleaned_data
        complaint_update(
            complaint=complaint,
            status=data["status"],
            response=data["response"],
            handler_user=data["handler_user"],
            handler_department=data["handler_department"],
            note=data["note"],
            by=self.request.user,
        )
        messages.success(self.request, _("Complaint updated."))
        return redirect(complaint)
