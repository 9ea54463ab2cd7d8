from django.contrib import admin

from ..models import RosterImport


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Read-only: an import is a record of what was uploaded; it is changed only by the
    staff pages (commit, discard)."""

    list_display = ["uploaded_at", "community", "filename", "uploaded_by", "status", "row_count", "error_count"]
    list_filter = ["status", "community"]
    list_select_related = ["community", "uploaded_by"]
    search_fields = ["filename", "community__name", "uploaded_by__username"]
    date_hierarchy = "uploaded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
