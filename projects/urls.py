from django.urls import path

from .views import common, members, noticeboard, projects, registry

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
    # staff accounts
    path("community/<int:pk>/members/", members.MemberListView.as_view(), name="members"),
    path("community/<int:pk>/members/add/", members.MemberAddView.as_view(), name="member_add"),
    path("membership/<int:pk>/", members.MemberEditView.as_view(), name="member_edit"),
    path("membership/<int:pk>/remove/", members.MemberRemoveView.as_view(), name="member_remove"),
    # projects
    path("project/<int:pk>/", projects.ProjectDetailView.as_view(), name="project"),
]

# --- roster import / export ---
from .views import roster  # noqa: E402

urlpatterns += [
    path("community/<int:pk>/roster/", roster.RosterImportView.as_view(), name="roster_import"),
    path("community/<int:pk>/roster/template/", roster.RosterTemplateView.as_view(), name="roster_template"),
    path("community/<int:pk>/roster/export/", roster.RosterExportView.as_view(), name="roster_export"),
    path("roster-import/<int:pk>/", roster.RosterPreviewView.as_view(), name="roster_preview"),
    path("roster-import/<int:pk>/commit/", roster.RosterCommitView.as_view(), name="roster_commit"),
    path("roster-import/<int:pk>/discard/", roster.RosterDiscardView.as_view(), name="roster_discard"),
    path("roster-import/<int:pk>/errors/", roster.RosterErrorsView.as_view(), name="roster_errors"),
]
