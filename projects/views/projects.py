from django.views.generic import DetailView

from ..models import Project
from ..sections import project_panels
from ..selectors.scope import affected_households
from .mixins import ObjectPermissionMixin


class ProjectDetailView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_project"
    queryset = Project.objects.select_related("community")
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.object.community
        context["affected_count"] = affected_households(self.object).count()
        context["transitions"] = self.object.transitions.select_related("changed_by")
        context["panels"] = project_panels.render_list(self.object, self.request)
        return context
