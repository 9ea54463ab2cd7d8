"""Written authorisations in the admin, read-only: they are recorded and revoked on the
household page, whose service keeps the row immutable apart from the one-time revoke."""

from django.contrib import admin

from ..models import ProxyAuthorisation


@admin.register(ProxyAuthorisation)
class ProxyAuthorisationAdmin(admin.ModelAdmin):
    list_display = ["number", "household", "grantor_name", "proxy_name", "signed_on", "scope", "revoked_at"]
    list_select_related = ["household__unit__building"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "household__room"]
    raw_id_fields = ["household", "ballot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
