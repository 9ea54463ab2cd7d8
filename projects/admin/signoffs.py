"""Sign-offs in the Django admin (superusers): the logs are read-only, as in the app."""

from django.contrib import admin

from ..models import (
    SignoffAssignment,
    SignoffCampaign,
    SignoffCampaignChange,
    SignoffContact,
    SignoffEvent,
    SignoffRecord,
)


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """Append-only logs: nobody edits or deletes an entry (a correction is a new entry)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignoffCampaign)
class SignoffCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "rule", "paper_required", "opened_at", "closed_at"]
    list_filter = ["rule", "paper_required"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    readonly_fields = ["project", "opened_at", "closed_at", "created_by"]


@admin.register(SignoffEvent)
class SignoffEventAdmin(ReadOnlyLogAdmin):
    list_display = ["recorded_at", "household", "previous_status", "status", "channel", "entered_by"]
    list_filter = ["status", "channel"]
    list_select_related = ["household__unit__building", "entered_by"]
    search_fields = ["household__room", "signer_name", "paper_reference"]


@admin.register(SignoffContact)
class SignoffContactAdmin(ReadOnlyLogAdmin):
    list_display = ["contacted_on", "household", "kind", "staff"]
    list_filter = ["kind"]
    list_select_related = ["household__unit__building", "staff"]


@admin.register(SignoffAssignment)
class SignoffAssignmentAdmin(ReadOnlyLogAdmin):
    list_display = ["assigned_at", "household", "assignee", "assigned_by"]
    list_select_related = ["household__unit__building", "assignee", "assigned_by"]


@admin.register(SignoffCampaignChange)
class SignoffCampaignChangeAdmin(ReadOnlyLogAdmin):
    list_display = ["changed_at", "campaign", "action", "changed_by"]
    list_select_related = ["campaign", "changed_by"]


@admin.register(SignoffRecord)
class SignoffRecordAdmin(ReadOnlyLogAdmin):
    """The derived current state; repair it with ``signoff_rebuild_records``, never by hand."""

    list_display = ["household", "campaign", "status", "assignee", "last_contact_on"]
    list_filter = ["status"]
    list_select_related = ["household__unit__building", "campaign", "assignee"]
