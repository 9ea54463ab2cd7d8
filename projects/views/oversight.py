"""The sub-district office's read-only overview of projects across its communities."""

from django.utils import timezone
from django.views.generic import DetailView

from .. import metrics
from ..models import Stage, SubDistrict
from ..sections import sub_district_panels
from ..selectors.projects import STUCK_AFTER_DAYS, sub_district_overview
from .mixins import ObjectPermissionMixin


class SubDistrictOverviewView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_sub_district"
    queryset = SubDistrict.objects.all()
    template_name = "projects/dashboard/sub_district.html"
    context_object_name = "sub_district"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for community in sub_district_overview(self.object, today=timezone.localdate(), now=timezone.now()):
            rate = metrics.satisfaction_rate(community.satisfied, community.responses)
            community.stage_values = [getattr(community, f"stage_{s.value}") for s in Stage]
            community.satisfaction_percent = metrics.percent_one_decimal(rate)
            rows.append(community)
        totals = {
            key: sum(getattr(c, key) for c in rows)
            for key in ("project_count", "overdue", "stuck", "open_complaints", "responses", "satisfied")
        }
        totals["stage_values"] = [sum(c.stage_values[i] for c in rows) for i in range(len(Stage))]
        totals["satisfaction_percent"] = metrics.percent_one_decimal(
            metrics.satisfaction_rate(totals["satisfied"], totals["responses"])
        )
        context.update(
            rows=rows,
            totals=totals,
            stages=list(Stage),
            stuck_after_days=STUCK_AFTER_DAYS,
            panels=sub_district_panels.render_list(self.object, self.request),
        )
        return context
