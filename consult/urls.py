from django.urls import path

from .views import meetings

app_name = "consult"

urlpatterns = [
    path("meeting/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
]
