from django.contrib import admin

from ..models import ActionItem, ActionItemUpdate, Attendance, Meeting, MeetingRSVP, MeetingTransition, MeetingVote


class TransitionInline(admin.TabularInline):
    model = MeetingTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["topic", "community", "compound", "kind", "starts_at", "status"]
    list_filter = ["status", "kind", "community"]
    search_fields = ["topic", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["host", "note_taker", "project", "building"]
    filter_horizontal = ["invited_departments"]
    inlines = [TransitionInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "household", "department", "name", "headcount"]
    list_filter = ["kind"]
    raw_id_fields = ["meeting", "household", "recorded_by"]


@admin.register(MeetingRSVP)
class MeetingRSVPAdmin(admin.ModelAdmin):
    list_display = ["meeting", "household", "people", "channel", "created_at", "withdrawn_at"]
    raw_id_fields = ["meeting", "household", "entered_by"]


@admin.register(MeetingVote)
class MeetingVoteAdmin(admin.ModelAdmin):
    list_display = ["question", "meeting", "votes_for", "votes_against", "abstentions"]
    raw_id_fields = ["meeting", "recorded_by"]


class ActionItemUpdateInline(admin.TabularInline):
    model = ActionItemUpdate
    extra = 0
    readonly_fields = ["from_status", "to_status", "changes", "note", "by", "at"]
    can_delete = False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "owner_user", "owner_department", "deadline", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["meeting", "owner_user", "created_by"]
    inlines = [ActionItemUpdateInline]
