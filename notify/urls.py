from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("community/<int:pk>/outbox/", views.OutboxView.as_view(), name="outbox"),
    path("community/<int:pk>/jobs/", views.JobListView.as_view(), name="jobs"),
    path("community/<int:pk>/sms-consent/", views.ConsentView.as_view(), name="consent"),
    path("message/<int:pk>/", views.MessageView.as_view(), name="message"),
    path("message/<int:pk>/notice/", views.NoticeView.as_view(), name="notice"),
    path("delivery/<int:pk>/opt-out/", views.OptOutView.as_view(), name="opt_out"),
    path("job/<int:pk>/", views.JobView.as_view(), name="job"),
    path("job/<int:pk>/file/", views.JobFileView.as_view(), name="job_file"),
    path("job/<int:pk>/resume/", views.JobResumeView.as_view(), name="job_resume"),
    path("compound/<int:pk>/code-letters/", views.CompoundLettersView.as_view(), name="compound_letters"),
    path("ballot/<int:pk>/remind/", views.BallotRemindView.as_view(), name="ballot_remind"),
    path("wish/<int:pk>/tell-submitter/", views.WishAnsweredView.as_view(), name="wish_answered"),
    path("meeting/<int:pk>/announce/", views.MeetingNoticeView.as_view(), name="meeting_notice"),
    path("signoffs/<int:pk>/remind/", views.SignoffReminderView.as_view(), name="signoff_reminder"),
    path("project/<int:pk>/construction-notice/", views.ConstructionNoticeView.as_view(), name="construction_notice"),
    path("project/<int:pk>/survey-notice/", views.SurveyNoticeView.as_view(), name="survey_notice"),
]
