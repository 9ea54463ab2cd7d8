"""Staff pages for progress: quantities with a quick "done so far" update, and the timeline
of dated entries with photos."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from ..forms.progress import ProgressItemForm, RecordProgressForm, TimelineEntryForm
from ..models import ProgressItem, Project, TimelineEntry, TimelinePhoto
from ..services import progress as services
from .mixins import ServiceFormMixin, refusals_as_messages
from .project_base import PageObjectMixin

ITEM_FIELDS = ["name", "unit", "target", "done", "due_date", "sort_key"]
ENTRY_FIELDS = ["date", "title", "body", "is_public"]
TIMELINE_PAGE_SIZE = 20


class ProgressView(PageObjectMixin, TemplateView):
    permission_required = "projects.view_project"
    queryset = Project.objects.select_related("community").prefetch_related("progress_items")
    template_name = "projects/progress/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_object()
        context["project"] = project
        context["community"] = project.community
        context["items"] = [
            (item, RecordProgressForm(item=item, initial={"done": item.done}, prefix=f"item{item.pk}"))
            for item in project.progress_items.all()
        ]
        context["today"] = timezone.localdate()
        entries = project.timeline.select_related("created_by").prefetch_related("photos").order_by("-date", "-pk")
        context["page_obj"] = Paginator(entries, TIMELINE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class ItemMixin(PageObjectMixin):
    permission_required = "projects.record_progress"
    queryset = ProgressItem.objects.select_related("project__community")


class ProgressItemCreateView(ServiceFormMixin, PageObjectMixin, FormView):
    permission_required = "projects.record_progress"
    queryset = Project.objects.select_related("community")
    template_name = "projects/progress/item_form.html"
    form_class = ProgressItemForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.get_object()
        context["community"] = self.get_object().community
        return context

    def form_valid_service(self, form):
        project = self.get_object()
        services.progress_item_create(
            project=project, **{f: form.cleaned_data[f] for f in ITEM_FIELDS}, by=self.request.user
        )
        messages.success(self.request, _("Quantity added."))
        return redirect("projects:progress", project.pk)


class ProgressItemEditView(ServiceFormMixin, ItemMixin, FormView):
    template_name = "projects/progress/item_form.html"
    form_class = ProgressItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ProgressItem.objects.get(pk=self.get_object().pk)  # a copy the form may modify
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.get_object()
        context["project"] = self.get_object().project
        context["community"] = self.get_object().project.community
        return context

    def form_valid_service(self, form):
        item = self.get_object()
        services.progress_item_update(
            item=item, data={f: form.cleaned_data[f] for f in ITEM_FIELDS}, by=self.request.user
        )
        messages.success(self.request, _("Quantity saved."))
        return redirect("projects:progress", item.project_id)


class ProgressRecordView(ItemMixin, View):
    """The quick update from the progress page; errors come back as a message."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        form = RecordProgressForm(request.POST, item=item, prefix=f"item{item.pk}")
        if form.is_valid():
            with refusals_as_messages(request):
                services.progress_item_update(
                    item=item, data={"done": form.cleaned_data["done"]}, note=form.cleaned_data["note"], by=request.user
                )
                messages.success(request, _("Progress of “%(name)s” saved.") % {"name": item.name})
        else:
            for errors in form.errors.values():
                messages.error(request, f"{item.name}: {' '.join(errors)}")
        return redirect("projects:progress", item.project_id)


class ProgressItemDeleteView(ItemMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        services.progress_item_delete(item=item, by=request.user, request=request)
        messages.success(request, _("Quantity “%(name)s” deleted.") % {"name": item.name})
        return redirect("projects:progress", item.project_id)


def _photos(form) -> list[services.NewPhoto]:
    return [
        services.NewPhoto(photo=photo, phase=form.cleaned_data["phase"], caption=form.cleaned_data["caption"])
        for photo in form.cleaned_data["photos"]
    ]


class TimelineCreateView(PageObjectMixin, FormView):
    permission_required = "projects.record_progress"
    queryset = Project.objects.select_related("community")
    template_name = "projects/progress/entry_form.html"
    form_class = TimelineEntryForm

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.get_object()
        context["community"] = self.get_object().community
        return context

    def form_valid(self, form):
        project = self.get_object()
        services.timeline_entry_create(
            project=project,
            **{f: form.cleaned_data[f] for f in ENTRY_FIELDS},
            photos=_photos(form),
            by=self.request.user,
        )
        messages.success(self.request, _("Timeline entry saved."))
        return redirect("projects:progress", project.pk)


class EntryMixin(PageObjectMixin):
    permission_required = "projects.record_progress"
    queryset = TimelineEntry.objects.select_related("project__community").prefetch_related("photos")


class TimelineEditView(EntryMixin, FormView):
    template_name = "projects/progress/entry_form.html"
    form_class = TimelineEntryForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TimelineEntry.objects.get(pk=self.get_object().pk)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.get_object()
        context["entry"] = entry
        context["project"] = entry.project
        context["community"] = entry.project.community
        return context

    def form_valid(self, form):
        entry = self.get_object()
        services.timeline_entry_update(
            entry=entry, data={f: form.cleaned_data[f] for f in ENTRY_FIELDS}, add_photos=_photos(form)
        )
        messages.success(self.request, _("Timeline entry saved."))
        return redirect("projects:progress", entry.project_id)


class TimelineDeleteView(EntryMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        entry = self.get_object()
        services.timeline_entry_delete(entry=entry, by=request.user, request=request)
        messages.success(request, _("Timeline entry deleted."))
        return redirect("projects:progress", entry.project_id)


class PhotoDeleteView(PageObjectMixin, View):
    permission_required = "projects.record_progress"
    queryset = TimelinePhoto.objects.select_related("entry__project__community")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        photo = self.get_object()
        services.timeline_photo_delete(photo=photo)
        messages.success(request, _("Photo deleted."))
        return redirect("projects:timeline_edit", photo.entry_id)
