"""Household codes and failed entries in the admin: read-only. Codes are issued and revoked
on the staff pages (which record who did it); the admin only lets a superuser look."""

from django.contrib import admin

from ..models import HouseholdCode, HouseholdCodeAttempt


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HouseholdCode)
class HouseholdCodeAdmin(ReadOnlyAdmin):
    list_display = ["household", "last4", "issued_at", "issued_by", "revoked_at", "revoked_by", "revoke_reason"]
    list_select_related = ["household__unit__building", "issued_by", "revoked_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["household__room", "last4"]
    exclude = ["code_hash"]
    date_hierarchy = "issued_at"


@admin.register(HouseholdCodeAttempt)
class HouseholdCodeAttemptAdmin(ReadOnlyAdmin):
    list_display = ["attempted_at", "reason", "ip_hash", "user_agent"]
    list_filter = ["reason"]
    search_fields = ["ip_hash"]
    date_hierarchy = "attempted_at"
