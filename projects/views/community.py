"""The community admin's settings page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ..forms.community import CommunitySettingsForm
from ..models import Community
from ..services.community import community_settings_update
from .mixins import ServiceFormMixin
from .project_base import PageObjectMixin


class CommunitySettingsView(ServiceFormMixin, PageObjectMixin, FormView):
    permission_required = "projects.change_community_settings"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/community_settings.html"
    form_class = CommunitySettingsForm
    service_error_field = "notice_min_days"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.get_object()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"community": self.get_object()}

    def form_valid_service(self, form):
        community = self.get_object()
        community_settings_update(
            community=community, data=form.cleaned_data, by=self.request.user, request=self.request
        )
        messages.success(self.request, _("Settings saved."))
        return redirect("projects:community_settings", community.pk)
