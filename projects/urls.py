from django.urls import path

from .models import Building, Unit
from .views import common, complaints, evaluation, members, noticeboard, oversight, progress, projects, public, registry
from .views import identity as identity_views

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
    # projects (issue 3)
    path("community/<int:pk>/projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("community/<int:pk>/projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("project/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path("project/<int:pk>/stage/", projects.StageChangeView.as_view(), name="project_stage"),
    path("project/<int:pk>/scope/", projects.ScopeView.as_view(), name="project_scope"),
    path("scope-adjustment/<int:pk>/undo/", projects.ScopeUndoView.as_view(), name="scope_undo"),
    path("project/<int:pk>/progress/", progress.ProgressView.as_view(), name="progress"),
    path("project/<int:pk>/progress/new/", progress.ProgressItemCreateView.as_view(), name="progress_item_create"),
    path("progress-item/<int:pk>/edit/", progress.ProgressItemEditView.as_view(), name="progress_item_edit"),
    path("progress-item/<int:pk>/record/", progress.ProgressRecordView.as_view(), name="progress_record"),
    path("progress-item/<int:pk>/delete/", progress.ProgressItemDeleteView.as_view(), name="progress_item_delete"),
    path("project/<int:pk>/timeline/new/", progress.TimelineCreateView.as_view(), name="timeline_create"),
    path("timeline/<int:pk>/edit/", progress.TimelineEditView.as_view(), name="timeline_edit"),
    path("timeline/<int:pk>/delete/", progress.TimelineDeleteView.as_view(), name="timeline_delete"),
    path("timeline-photo/<int:pk>/delete/", progress.PhotoDeleteView.as_view(), name="photo_delete"),
    path("project/<int:pk>/complaints/", complaints.ComplaintListView.as_view(), name="complaints"),
    path("project/<int:pk>/complaints/new/", complaints.ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaint/<int:pk>/", complaints.ComplaintDetailView.as_view(), name="complaint"),
    path("project/<int:pk>/acceptance/new/", evaluation.AcceptanceCreateView.as_view(), name="acceptance_create"),
    path("acceptance/<int:pk>/edit/", evaluation.AcceptanceEditView.as_view(), name="acceptance_edit"),
    path("project/<int:pk>/satisfaction/", evaluation.SatisfactionView.as_view(), name="satisfaction"),
    path("satisfaction/<int:pk>/", evaluation.SatisfactionResponseView.as_view(), name="satisfaction_response"),
    path("project/<int:pk>/rate/", evaluation.ResidentRateView.as_view(), name="rate"),
    path("sub-district/<int:pk>/", oversight.SubDistrictOverviewView.as_view(), name="sub_district"),
    path("c/<int:compound_pk>/p/<int:pk>/", public.PublicProjectView.as_view(), name="public_project"),
    path("compound/<int:pk>/poster/", public.PosterView.as_view(), name="poster"),
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
    # household codes: residents sign in with the code from their letter; staff issue letters
    path("h/", identity_views.CodeEntryView.as_view(), name="household_enter"),
    path("h/home/", identity_views.HouseholdHomeView.as_view(), name="household_home"),
    path("h/<str:code>/", identity_views.code_link, name="household_code_link"),
    path("community/<int:pk>/codes/", identity_views.CodesOverviewView.as_view(), name="household_codes"),
    path(
        "building/<int:pk>/letters/",
        identity_views.IssueLettersView.as_view(model=Building),
        name="building_letters",
    ),
    path("unit/<int:pk>/letters/", identity_views.IssueLettersView.as_view(model=Unit), name="unit_letters"),
    path("household/<int:pk>/code/", identity_views.HouseholdCodeView.as_view(), name="household_code"),
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
