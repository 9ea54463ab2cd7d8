"""The community's audit trail for its admins: who did what, when, before and after."""

from django.core.paginator import Paginator
from django.views.generic import DetailView

from ..forms.audit import AuditFilterForm
from ..models import Community
from ..selectors.audit import community_audit_events
from .mixins import ObjectPermissionMixin

PAGE_SIZE = 50


class AuditTrailView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_audit"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/members/audit.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        events = community_audit_events(self.object, **{k: v for k, v in filters.items() if v})
        context["filter_form"] = form if form.is_bound else AuditFilterForm()
        context["page_obj"] = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context
