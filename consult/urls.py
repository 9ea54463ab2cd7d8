from django.urls import path

from .views import action_items, ballots, meeting_attendance, meetings, proxies, wish_triage, wishes

app_name = "consult"

urlpatterns = [
    path("meeting/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
    # ballots (staff)
    path("community/<int:pk>/ballots/", ballots.BallotListView.as_view(), name="ballot_list"),
    path("community/<int:pk>/ballots/new/", ballots.BallotCreateView.as_view(), name="ballot_create"),
    path("ballot/<int:pk>/", ballots.BallotDetailView.as_view(), name="ballot"),
    path("ballot/<int:pk>/edit/", ballots.BallotEditView.as_view(), name="ballot_edit"),
    path("ballot/<int:pk>/open/", ballots.BallotActionView.as_view(action="open"), name="ballot_open"),
    path("ballot/<int:pk>/count/", ballots.BallotActionView.as_view(action="close"), name="ballot_close"),
    path("ballot/<int:pk>/publish/", ballots.BallotPublishView.as_view(), name="ballot_publish"),
    path("ballot/<int:pk>/cancel/", ballots.BallotCancelView.as_view(), name="ballot_cancel"),
    path("ballot/<int:pk>/verify/", ballots.BallotVerifyDigestView.as_view(), name="ballot_verify_digest"),
    path("ballot/<int:pk>/enter/", ballots.BallotEntryView.as_view(), name="ballot_enter"),
    path("ballot/<int:pk>/ballots/", ballots.CastBallotListView.as_view(), name="ballot_casts"),
    path("cast/<int:pk>/void/", ballots.CastBallotVoidView.as_view(), name="cast_void"),
    path("ballot/<int:pk>/papers/", ballots.BallotPaperView.as_view(), name="ballot_papers"),
    path("ballot/<int:pk>/objections/new/", ballots.StaffObjectionView.as_view(), name="ballot_objection_add"),
    path("objection/<int:pk>/reply/", ballots.ObjectionReplyView.as_view(), name="objection_reply"),
    # written authorisations (委托书), from the household page
    path("household/<int:pk>/proxies/new/", proxies.ProxyAddView.as_view(), name="proxy_add"),
    path("proxy/<int:pk>/revoke/", proxies.ProxyRevokeView.as_view(), name="proxy_revoke"),
    path("proxy/<int:pk>/photo/", proxies.ProxyPhotoView.as_view(), name="proxy_photo"),
    # ballots (public and residents)
    path("ballot/<int:pk>/notice/", ballots.BallotNoticeView.as_view(), name="ballot_notice"),
    path("ballot/<int:pk>/public/", ballots.BallotPublicView.as_view(), name="ballot_public"),
    path("ballot/<int:pk>/vote/", ballots.BallotVoteView.as_view(), name="ballot_vote"),
    path("ballot/<int:pk>/object/", ballots.ResidentObjectionView.as_view(), name="ballot_object"),
    # meetings
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
    # wishes
    # public and residents
    path("c/<int:pk>/wishes/", wishes.WishListView.as_view(), name="wish_list"),
    path("c/<int:pk>/wishes/new/", wishes.WishSubmitView.as_view(), name="wish_submit"),
    path("wishes/receipt/", wishes.ReceiptLookupView.as_view(), name="wish_receipt"),
    path("wish/<int:pk>/", wishes.WishDetailView.as_view(), name="wish"),
    path("wish/<int:pk>/thanks/", wishes.WishSubmittedView.as_view(), name="wish_submitted"),
    path("wish/<int:pk>/support/", wishes.SupportView.as_view(), name="wish_support"),
    path("wish/<int:pk>/withdraw/", wishes.SupportView.as_view(withdraw=True), name="wish_withdraw"),
    # staff
    path("community/<int:pk>/wishes/", wish_triage.WishQueueView.as_view(), name="wish_queue"),
    path("community/<int:pk>/wishes/enter/", wish_triage.WishEntryView.as_view(), name="wish_enter"),
    path("community/<int:pk>/wishes/export.xlsx", wish_triage.WishExportView.as_view(), name="wish_export"),
    path(
        "sub-district/<int:pk>/wishes/export.xlsx",
        wish_triage.SubDistrictWishExportView.as_view(),
        name="sub_district_wish_export",
    ),
    path("wish/<int:pk>/manage/", wish_triage.WishManageView.as_view(), name="wish_manage"),
    path("wish/<int:pk>/edit/", wish_triage.WishEditView.as_view(), name="wish_edit"),
    path("wish/<int:pk>/supports/", wish_triage.SupportEntryView.as_view(), name="wish_supports"),
    path(
        "wish/<int:pk>/supports/<int:support_pk>/withdraw/",
        wish_triage.SupportWithdrawView.as_view(),
        name="wish_support_withdraw",
    ),
]
