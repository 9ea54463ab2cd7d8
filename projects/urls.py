from django.urls import path

from .views import common, noticeboard

app_name = "projects"

urlpatterns = [
    path("", common.HomeView.as_view(), name="home"),
    path("text-size/", common.text_size, name="text_size"),
    path("household/leave/", common.household_signout, name="household_signout"),
    path("c/<int:pk>/", noticeboard.NoticeboardView.as_view(), name="noticeboard"),
]
