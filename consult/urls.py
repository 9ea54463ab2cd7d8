from django.urls import path

from .views import meetings, wish_triage, wishes

app_name = "consult"

urlpatterns = [
    path("meeting/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
]

# --- wishes ---
urlpatterns += [
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
    path("wish/<int:pk>/manage/", wish_triage.WishManageView.as_view(), name="wish_manage"),
    path("wish/<int:pk>/edit/", wish_triage.WishEditView.as_view(), name="wish_edit"),
    path("wish/<int:pk>/supports/", wish_triage.SupportEntryView.as_view(), name="wish_supports"),
    path(
        "wish/<int:pk>/supports/<int:support_pk>/withdraw/",
        wish_triage.SupportWithdrawView.as_view(),
        name="wish_support_withdraw",
    ),
]
