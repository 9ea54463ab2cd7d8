from django.views.generic import DetailView

from projects.views.mixins import ObjectPermissionMixin

from ..models import Meeting
from ..sections import meeting_panels


class MeetingDetailView(ObjectPermissionMixin, DetailView):
    permission_required = "consult.view_meeting"
    queryset = Meeting.objects.select_related("community", "compound", "building", "project", "host", "note_taker")
    template_name = "consult/meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.object.community
        context["panels"] = meeting_panels.render_list(self.object, self.request)
        return context
