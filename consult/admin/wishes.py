"""Superuser views of the wish list. Writes go through the staff pages (and so through the
services, which keep the history); here the history and supports are read-only."""

from django.contrib import admin

from ..models import Support, Wish, WishPhoto, WishStatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(ReadOnlyInline):
    model = WishStatusChange
    fk_name = "wish"
    fields = ["changed_at", "from_status", "to_status", "response", "note", "changed_by"]
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = WishPhoto
    fields = ["image", "width", "height", "uploaded_at"]
    readonly_fields = fields


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "compound", "category", "status", "channel", "submitted_at"]
    list_filter = ["status", "category", "channel", "community"]
    list_select_related = ["compound"]
    search_fields = ["title", "description", "=pk", "=receipt_code"]
    raw_id_fields = ["household", "meeting", "project", "merged_into", "entered_by", "building"]
    readonly_fields = ["status", "merged_into", "project", "receipt_code", "entered_by", "submitted_at", "updated_at"]
    inlines = [PhotoInline, HistoryInline]
    date_hierarchy = "submitted_at"


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["wish", "household", "channel", "created_at", "withdrawn_at", "withdrawal_reason"]
    list_filter = ["channel", "withdrawal_reason"]
    raw_id_fields = ["wish", "household", "entered_by", "withdrawn_by", "carried_from"]
    list_select_related = ["wish", "household__unit__building"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
