from django.urls import path

from .models import Building, Unit
from .views import common, noticeboard, projects, registry
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
    # projects
    path("project/<int:pk>/", projects.ProjectDetailView.as_view(), name="project"),
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
