"""Admin for renovation projects (superusers only): for repairs, not daily work; staff use
the project pages, which keep the history the admin would bypass."""

from django.contrib import admin

from ..models import (
    AcceptanceRecord,
    Complaint,
    ComplaintEvent,
    FundingSource,
    ProgressItem,
    Project,
    ProjectFirm,
    SatisfactionChange,
    SatisfactionResponse,
    ScopeEvent,
    ScopeEventReview,
    StageTransition,
    TimelineEntry,
    TimelinePhoto,
)


class FundingInline(admin.TabularInline):
    model = FundingSource
    extra = 0


class FirmInline(admin.TabularInline):
    model = ProjectFirm
    extra = 0


class ProgressInline(admin.TabularInline):
    model = ProgressItem
    extra = 0


class TransitionInline(admin.TabularInline):
    model = StageTransition
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_by", "changed_at", "note"]
    can_delete = False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "stage", "work_type", "project_class", "planned_end"]
    list_filter = ["stage", "work_type", "project_class", "community__sub_district"]
    list_select_related = ["community"]
    search_fields = ["title", "community__name"]
    filter_horizontal = ["compounds", "buildings", "units", "departments"]
    # Stage and required ballot change only through their services, which keep the history.
    readonly_fields = ["stage", "stage_changed_at", "requires_passed_ballot", "created_by", "created_at", "updated_at"]
    inlines = [FundingInline, FirmInline, ProgressInline, TransitionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scope changes are append-only: the admin may look, never add, edit or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScopeEvent)
class ScopeEventAdmin(ReadOnlyAdmin):
    list_display = ["project", "action", "household", "compound", "building", "unit", "reason", "made_by", "made_at"]
    list_select_related = ["project", "household__unit__building", "compound", "building", "unit", "made_by"]


@admin.register(ScopeEventReview)
class ScopeEventReviewAdmin(ReadOnlyAdmin):
    list_display = ["event", "decision", "decided_by", "decided_at"]
    list_select_related = ["event", "decided_by"]


class PhotoInline(admin.TabularInline):
    model = TimelinePhoto
    extra = 0
    readonly_fields = ["image", "width", "height"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "project", "is_public"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    inlines = [PhotoInline]


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "note", "handler_label", "by", "at"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["received_at", "project", "source", "hotline_ref", "status"]
    list_filter = ["status", "source"]
    list_select_related = ["project"]
    search_fields = ["summary", "hotline_ref"]
    raw_id_fields = ["household"]
    inlines = [ComplaintEventInline]


@admin.register(AcceptanceRecord)
class AcceptanceAdmin(admin.ModelAdmin):
    list_display = ["date", "project", "passed", "published"]
    list_select_related = ["project"]


class SatisfactionChangeInline(admin.TabularInline):
    model = SatisfactionChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_score", "new_score", "old_comment", "new_comment", "channel", "reason", "entered_by", "at"]


@admin.register(SatisfactionResponse)
class SatisfactionAdmin(admin.ModelAdmin):
    list_display = ["project", "household", "score", "channel", "entered_by", "updated_at"]
    list_filter = ["score", "channel"]
    list_select_related = ["project", "household__unit__building", "entered_by"]
    raw_id_fields = ["household"]
    inlines = [SatisfactionChangeInline]
