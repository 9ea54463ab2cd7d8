from django.urls import path

from .views import ballots, meetings

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
    path("ballot/<int:pk>/enter/", ballots.BallotEntryView.as_view(), name="ballot_enter"),
    path("ballot/<int:pk>/ballots/", ballots.CastBallotListView.as_view(), name="ballot_casts"),
    path("cast/<int:pk>/void/", ballots.CastBallotVoidView.as_view(), name="cast_void"),
    path("ballot/<int:pk>/papers/", ballots.BallotPaperView.as_view(), name="ballot_papers"),
    path("ballot/<int:pk>/objections/new/", ballots.StaffObjectionView.as_view(), name="ballot_objection_add"),
    path("objection/<int:pk>/reply/", ballots.ObjectionReplyView.as_view(), name="objection_reply"),
    # ballots (public and residents)
    path("ballot/<int:pk>/notice/", ballots.BallotNoticeView.as_view(), name="ballot_notice"),
    path("ballot/<int:pk>/public/", ballots.BallotPublicView.as_view(), name="ballot_public"),
    path("ballot/<int:pk>/vote/", ballots.BallotVoteView.as_view(), name="ballot_vote"),
    path("ballot/<int:pk>/object/", ballots.ResidentObjectionView.as_view(), name="ballot_object"),
]
