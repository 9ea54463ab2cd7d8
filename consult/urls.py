from django.urls import path

from .views import meetings

app_name = "consult"

urlpatterns = [
    path("meeting/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
]

# --- meetings (issue 4) ---
from .views import action_items, meeting_attendance  # noqa: E402

urlpatterns += [
    path("community/<int:pk>/meetings/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("community/<int:pk>/meetings/new/", meetings.MeetingCreateView.as_view(), name="meeting_add"),
    path("community/<int:pk>/action-items/", action_items.ActionItemListView.as_view(), name="action_items"),
    path("meeting/<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("meeting/<int:pk>/status/", meetings.MeetingStatusView.as_view(), name="meeting_status"),
    path("meeting/<int:pk>/minutes/", meetings.MinutesEditView.as_view(), name="meeting_minutes"),
    path("meeting/<int:pk>/minutes/print/", meetings.MinutesPrintView.as_view(), name="meeting_minutes_print"),
    path("meeting/<int:pk>/report-back/", meetings.ReportBackView.as_view(), name="meeting_report_back"),
    path("meeting/<int:pk>/votes/", meetings.VoteAddView.as_view(), name="meeting_vote_add"),
    path("meeting/<int:pk>/votes/<int:vote_pk>/delete/", meetings.VoteDeleteView.as_view(), name="meeting_vote_delete"),
    path("meeting/<int:pk>/sign-in-sheet/", meetings.SignInSheetView.as_view(), name="meeting_sign_in_sheet"),
    path("meeting/<int:pk>/sign-in/", meeting_attendance.SignInView.as_view(), name="meeting_sign_in"),
    path("meeting/<int:pk>/attendance/", meeting_attendance.QuickEntryView.as_view(), name="meeting_quick_entry"),
    path(
        "meeting/<int:pk>/attendance/<int:attendance_pk>/delete/",
        meeting_attendance.AttendanceDeleteView.as_view(),
        name="meeting_attendance_delete",
    ),
    path("meeting/<int:pk>/rsvps/", meeting_attendance.RSVPRecordView.as_view(), name="meeting_rsvp_record"),
    path(
        "meeting/<int:pk>/rsvps/<int:rsvp_pk>/withdraw/",
        meeting_attendance.RSVPWithdrawView.as_view(),
        name="meeting_rsvp_withdraw",
    ),
    path("meeting/<int:pk>/rsvp/", meeting_attendance.ResidentRSVPView.as_view(), name="meeting_rsvp"),
    path("meeting/<int:pk>/action-items/new/", action_items.ActionItemCreateView.as_view(), name="action_item_add"),
    path("action-item/<int:pk>/", action_items.ActionItemDetailView.as_view(), name="action_item"),
    path("action-item/<int:pk>/edit/", action_items.ActionItemEditView.as_view(), name="action_item_edit"),
]
