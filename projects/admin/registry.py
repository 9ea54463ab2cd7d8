from django.contrib import admin

from ..models import (
    Building,
    Community,
    Compound,
    Department,
    Household,
    HouseholdChange,
    Membership,
    SubDistrict,
    SubDistrictMembership,
    Unit,
)


@admin.register(SubDistrict, Department)
class NamedAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "sub_district"]
    list_filter = ["sub_district"]
    search_fields = ["name"]


@admin.register(Compound)
class CompoundAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "compound"]
    list_select_related = ["compound"]
    search_fields = ["name", "compound__name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "building"]
    list_select_related = ["building__compound"]
    autocomplete_fields = ["building"]
    search_fields = ["name", "building__name", "building__compound__name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "floor", "area", "kind", "owner_names"]
    list_select_related = ["unit__building__compound"]
    search_fields = ["room", "owner_names"]
    autocomplete_fields = ["unit"]
    list_filter = ["kind"]


@admin.register(HouseholdChange)
class HouseholdChangeAdmin(admin.ModelAdmin):
    list_display = ["household", "source", "changed_by", "changed_at"]
    list_select_related = ["household__unit__building", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "department"]
    list_filter = ["role", "community"]
    filter_horizontal = ["buildings"]
    autocomplete_fields = ["user"]


@admin.register(SubDistrictMembership)
class SubDistrictMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "sub_district"]
