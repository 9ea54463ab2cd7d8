from django.urls import path

from .views import common, noticeboard, projects, registry

app_name = "projects"

urlpatterns = [
    path("", common.HomeView.as_view(), name="home"),
    path("text-size/", common.text_size, name="text_size"),
    path("household/leave/", common.household_signout, name="household_signout"),
    path("c/<int:pk>/", noticeboard.NoticeboardView.as_view(), name="noticeboard"),
    # registry (staff)
    path("community/<int:pk>/", registry.CommunityView.as_view(), name="community"),
    path("community/<int:pk>/households/", registry.HouseholdSearchView.as_view(), name="household_search"),
    path("compound/<int:pk>/", registry.CompoundView.as_view(), name="compound"),
    path("building/<int:pk>/", registry.BuildingView.as_view(), name="building"),
    path("unit/<int:pk>/", registry.UnitView.as_view(), name="unit"),
    path("household/<int:pk>/", registry.HouseholdView.as_view(), name="household"),
    path("household/<int:pk>/edit/", registry.HouseholdEditView.as_view(), name="household_edit"),
    # projects
    path("project/<int:pk>/", projects.ProjectDetailView.as_view(), name="project"),
]

# sign-offs
from .views import signoffs  # noqa: E402

urlpatterns += [
    path("community/<int:pk>/signoffs/", signoffs.CommunityCampaignsView.as_view(), name="signoff_campaigns"),
    path("project/<int:pk>/signoffs/new/", signoffs.CampaignCreateView.as_view(), name="signoff_campaign_create"),
    path("signoffs/<int:pk>/", signoffs.BoardView.as_view(), name="signoff_board"),
    path("signoffs/<int:pk>/edit/", signoffs.CampaignEditView.as_view(), name="signoff_campaign_edit"),
    path("signoffs/<int:pk>/state/", signoffs.CampaignStateView.as_view(), name="signoff_campaign_state"),
    path("signoffs/<int:pk>/unit/<int:unit_pk>/", signoffs.UnitGridView.as_view(), name="signoff_unit"),
    path("signoffs/<int:pk>/h/<int:household_pk>/", signoffs.HouseholdView.as_view(), name="signoff_household"),
    path("signoffs/<int:pk>/h/<int:household_pk>/tick/", signoffs.TickView.as_view(), name="signoff_tick"),
    path("signoffs/<int:pk>/blockers/", signoffs.BlockersView.as_view(), name="signoff_blockers"),
    path("signoffs/<int:pk>/blockers/assign/", signoffs.BulkAssignView.as_view(), name="signoff_bulk_assign"),
    path("signoffs/<int:pk>/print/sheets/", signoffs.SheetsView.as_view(), name="signoff_sheets"),
    path("signoffs/<int:pk>/print/visits/", signoffs.VisitListView.as_view(), name="signoff_visits"),
    path("signoffs/<int:pk>/export.xlsx", signoffs.ExportView.as_view(), name="signoff_export"),
    path("signoffs/photo/<int:pk>/", signoffs.PhotoView.as_view(), name="signoff_photo"),
    path("signoffs/<int:pk>/confirm/", signoffs.OnlineConfirmView.as_view(), name="signoff_confirm"),
]
