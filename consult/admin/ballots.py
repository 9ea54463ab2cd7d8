"""Ballots in the admin, read-only: every change goes through the staff pages and services,
which lock, check and record who did what."""

from django.contrib import admin

from ..models import Ballot, BallotEvent, BallotObjection, BallotOption, CastBallot


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OptionInline(ReadOnlyInline):
    model = BallotOption
    fields = ["position", "label", "kind"]


class EventInline(ReadOnlyInline):
    model = BallotEvent
    fields = ["at", "action", "by", "note"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "rule", "status", "opens_at", "closes_at", "passed"]
    list_filter = ["status", "rule", "community"]
    search_fields = ["title"]
    inlines = [OptionInline, EventInline]
    exclude = ["noticeboard_compounds"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CastBallot)
class CastBallotAdmin(admin.ModelAdmin):
    list_display = ["ballot", "household", "option", "channel", "paper_reference", "cast_at", "entered_by", "voided_at"]
    list_select_related = ["ballot", "household__unit__building", "option", "entered_by"]
    list_filter = ["channel", ("voided_at", admin.EmptyFieldListFilter)]
    search_fields = ["paper_reference", "household__room"]
    raw_id_fields = ["ballot", "eligible", "household", "option", "meeting", "proxy"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BallotObjection)
class BallotObjectionAdmin(admin.ModelAdmin):
    list_display = ["ballot", "household", "name", "channel", "received_at", "replied_at"]
    list_select_related = ["ballot", "household__unit__building"]
    raw_id_fields = ["ballot", "household"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
