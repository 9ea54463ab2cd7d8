"""Action items: the per-community list (overdue first), adding one to a meeting, and the
item page where its owner (a staff member or a department) updates the status."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from projects.errors import add_form_error
from projects.models import Department
from projects.views.mixins import ObjectPermissionMixin, ServiceFormMixin

from ..forms.meetings import ActionItemFilterForm, ActionItemForm, ActionItemStatusForm
from ..meeting_lifecycle import RECORDING_STATUSES, is_overdue
from ..models import ActionItem
from ..selectors import action_items as selectors
from ..selectors.meetings import department_of
from ..services.action_items import action_item_create, action_item_edit, action_item_set_status
from .meetings import CommunityMixin, MeetingMixin


class ActionItemListView(CommunityMixin, DetailView):
    """Open and overdue items of a community. A department viewer sees only its own."""

    permission_required = "consult.view_action_items"
    template_name = "consult/meetings/action_item_list.html"
    context_object_name = "community"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        community, user = self.object, self.request.user
        today = timezone.localdate()
        own_department = department_of(user, community)
        departments = Department.objects.filter(sub_district_id=community.sub_district_id).order_by("name")
        form = ActionItemFilterForm(
            self.request.GET or None, departments=departments, can_filter_owner=own_department is None
        )
        values = form.values()
        items = selectors.action_item_list(user, community, today=today, **values)
        context.update(
            filter_form=form,
            show=values["show"],
            summary=selectors.action_item_summary(user, community, today=today),
            page_obj=Paginator(items, self.paginate_by).get_page(self.request.GET.get("page")),
            today=today,
            own_department=own_department,
        )
        return context


class ActionItemCreateView(ServiceFormMixin, MeetingMixin, FormView):
    permission_required = "consult.change_meeting"
    template_name = "consult/meetings/action_item_form.html"
    form_class = ActionItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_object().community
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        initial["deadline"] = timezone.localdate() + datetime.timedelta(days=14)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_object()
        context.update(meeting=meeting, community=meeting.community, recording=meeting.status in RECORDING_STATUSES)
        return context

    def form_valid_service(self, form):
        action_item_create(
            meeting=self.get_object(),
            title=form.cleaned_data["title"],
            details=form.cleaned_data["details"],
            deadline=form.cleaned_data["deadline"],
            owner_user=form.owner_user,
            owner_department=form.owner_department,
            by=self.request.user,
            now=timezone.now(),
        )
        messages.success(self.request, _("Action item added."))
        if "another" in self.request.POST:
            return redirect("consult:action_item_add", pk=self.get_object().pk)
        return redirect(self.get_object().get_absolute_url() + "#items")


class ActionItemMixin(ObjectPermissionMixin):
    def get_queryset(self):
        return ActionItem.objects.select_related(
            "meeting__community__sub_district", "meeting__compound", "owner_user", "owner_department", "created_by"
        )


class ActionItemDetailView(ActionItemMixin, DetailView):
    """The item, its history, and the status form for whoever may update it."""

    permission_required = "consult.view_action_item"
    template_name = "consult/meetings/action_item_detail.html"
    context_object_name = "item"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        today = timezone.localdate()
        can_change = user.has_perm("consult.change_action_item", item)
        context.update(
            meeting=item.meeting,
            community=item.meeting.community,
            overdue=is_overdue(status=item.status, deadline=item.deadline, today=today),
            updates=item.updates.select_related("by"),
            can_update=user.has_perm("consult.update_action_item", item),
            can_change=can_change,
            can_view_meeting=user.has_perm("consult.view_meeting", item.meeting),
        )
        context.setdefault("status_form", ActionItemStatusForm(can_drop=can_change, initial={"to_status": item.status}))
        return context

    def post(self, request, *args, **kwargs):
        self.object = item = self.get_object()
        if not request.user.has_perm("consult.update_action_item", item):
            return self.handle_no_permission()
        can_change = request.user.has_perm("consult.change_action_item", item)
        form = ActionItemStatusForm(request.POST, can_drop=can_change)
        if form.is_valid():
            try:
                action_item_set_status(
                    item=item,
                    to_status=form.cleaned_data["to_status"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_form_error(form, error, default_field="to_status")
            else:
                messages.success(request, _("Status updated."))
                return redirect(item)
        return self.render_to_response(self.get_context_data(status_form=form), status=400)


class ActionItemEditView(ServiceFormMixin, ActionItemMixin, FormView):
    permission_required = "consult.change_action_item"
    template_name = "consult/meetings/action_item_form.html"
    form_class = ActionItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_object().meeting.community
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.get_object()
        context.update(item=item, meeting=item.meeting, community=item.meeting.community, recording=True)
        return context

    def form_valid_service(self, form):
        item = self.get_object()
        update = action_item_edit(
            item=item,
            title=form.cleaned_data["title"],
            details=form.cleaned_data["details"],
            deadline=form.cleaned_data["deadline"],
            owner_user=form.owner_user,
            owner_department=form.owner_department,
            by=self.request.user,
            now=timezone.now(),
        )
        messages.success(self.request, _("Action item saved.") if update else _("Nothing was changed."))
        return redirect(item)
