"""Staff pages of meetings: the calendar per community, create and edit, the meeting page
(status, sign-in, RSVPs, votes, action items, panels from other features), the minutes and
the printable sheets.

Actions that post from the meeting page subclass ``MeetingDetailView``: on bad input they
render the same page with the errors next to the field, on success they redirect back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from projects.errors import add_form_error
from projects.models import Community
from projects.parsing import parse_id, parse_int
from projects.views.mixins import ObjectPermissionMixin, ServiceFormMixin, refusals_as_messages

from ..forms.meetings import (
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    ReportBackForm,
    RSVPRecordForm,
    SignInForm,
    StatusChangeForm,
    VoteForm,
)
from ..meeting_lifecycle import (
    EDITABLE_STATUSES,
    RECORDING_STATUSES,
    RSVP_STATUSES,
    TABLE,
    announcement_warnings,
    transition_problems,
)
from ..models import Meeting, MeetingStatus, MeetingVote
from ..sections import meeting_panels
from ..selectors import meetings as selectors
from ..services.meeting_votes import vote_delete, vote_record
from ..services.meetings import (
    MeetingChangeBlocked,
    meeting_change_status,
    meeting_create,
    meeting_facts,
    meeting_record_minutes,
    meeting_save_report_back,
    meeting_update,
)

MEETING_RELATED = ("community__sub_district", "compound", "building__compound", "project", "host", "note_taker")

ACTION_LABELS = {
    MeetingStatus.ANNOUNCED: gettext_lazy("Announce on the noticeboard"),
    MeetingStatus.HELD: gettext_lazy("Mark as held"),
    MeetingStatus.MINUTED: gettext_lazy("Minutes are complete"),
    MeetingStatus.REPORTED: gettext_lazy("Publish the report back"),
    MeetingStatus.CANCELLED: gettext_lazy("Cancel the meeting"),
}
BACK_LABELS = {
    (MeetingStatus.ANNOUNCED, MeetingStatus.PLANNED): gettext_lazy("Take the notice down"),
    (MeetingStatus.HELD, MeetingStatus.ANNOUNCED): gettext_lazy("Not held yet: back to announced"),
    (MeetingStatus.HELD, MeetingStatus.PLANNED): gettext_lazy("Not held yet: back to planned"),
    (MeetingStatus.MINUTED, MeetingStatus.HELD): gettext_lazy("Reopen the minutes"),
    (MeetingStatus.REPORTED, MeetingStatus.MINUTED): gettext_lazy("Withdraw the report back"),
    (MeetingStatus.CANCELLED, MeetingStatus.PLANNED): gettext_lazy("Reopen the meeting"),
}


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def meeting_queryset():
    return Meeting.objects.select_related(*MEETING_RELATED).prefetch_related("invited_departments")


class CommunityMixin(ObjectPermissionMixin):
    """Pages addressed by a community: the object checked is the community."""

    def get_community(self) -> Community:
        return self.get_object()

    def get_queryset(self):
        return Community.objects.select_related("sub_district")


class MeetingListView(CommunityMixin, DetailView):
    """The calendar: meetings grouped by month, upcoming first, filterable and paginated."""

    permission_required = "consult.list_meetings"
    template_name = "consult/meetings/meeting_list.html"
    context_object_name = "community"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MeetingFilterForm(self.request.GET or None, community=self.object)
        values = form.values()
        meetings = selectors.meeting_list(self.request.user, self.object, now=timezone.now(), **values)
        context["filter_form"] = form
        context["when"] = values["when"]
        context["page_obj"] = Paginator(meetings, self.paginate_by).get_page(self.request.GET.get("page"))
        context["today"] = timezone.localdate()
        return context


class MeetingCreateView(ServiceFormMixin, CommunityMixin, FormView):
    permission_required = "consult.add_meeting"
    template_name = "consult/meetings/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_community()
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        initial["host"] = self.request.user.pk
        for name in ("compound", "project"):
            value = parse_id(self.request.GET.get(name))
            if value is not None:
                initial[name] = value
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.get_community()
        return context

    def form_valid_service(self, form):
        data = dict(form.cleaned_data)
        meeting = meeting_create(
            community=self.get_community(),
            data=data,
            invited_departments=data.pop("invited_departments"),
            by=self.request.user,
            now=timezone.now(),
        )
        messages.success(self.request, _("Meeting saved. Announce it on the noticeboard 2–3 days ahead."))
        return redirect(meeting)


class MeetingMixin(ObjectPermissionMixin):
    def get_queryset(self):
        return meeting_queryset()


class MeetingEditView(ServiceFormMixin, MeetingMixin, FormView):
    permission_required = "consult.change_meeting"
    template_name = "consult/meetings/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_object().community
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.get_object()
        context["community"] = self.get_object().community
        return context

    def form_valid_service(self, form):
        data = dict(form.cleaned_data)
        meeting = meeting_update(
            meeting=self.get_object(),
            data=data,
            invited_departments=data.pop("invited_departments"),
            by=self.request.user,
            now=timezone.now(),
            request=self.request,
        )
        messages.success(self.request, _("Meeting saved."))
        if (
            meeting.status == MeetingStatus.ANNOUNCED
            and form.has_changed()
            and {"starts_at", "place"} & set(form.changed_data)
        ):
            messages.warning(
                self.request, _("The noticeboard shows the new time and place now; tell those who said they will come.")
            )
        return redirect(meeting)


class MeetingDetailView(MeetingMixin, DetailView):
    """The staff meeting page. Other features add panels through ``meeting_panels``."""

    permission_required = "consult.view_meeting"
    template_name = "consult/meetings/meeting_detail.html"
    context_object_name = "meeting"

    def status_actions(self, meeting, now):
        facts = meeting_facts(meeting)
        actions = []
        for target in TABLE.allowed(meeting.status):
            if target == MeetingStatus.REPORTED:
                continue  # published from the report-back form
            backward = TABLE.is_backward(meeting.status, target)
            problems = [] if backward else transition_problems(facts, target, note="-", now=now)
            actions.append(
                {
                    "to": target,
                    "label": BACK_LABELS[(meeting.status, target)] if backward else ACTION_LABELS[target],
                    "backward": backward,
                    "needs_note": backward or target == MeetingStatus.CANCELLED,
                    "problems": problems,
                    "warnings": announcement_warnings(starts_at=meeting.starts_at, now=now)
                    if target == MeetingStatus.ANNOUNCED
                    else [],
                }
            )
        return actions, facts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        now = timezone.now()
        can_change = user.has_perm("consult.change_meeting", meeting)
        can_see_people = user.has_perm("consult.view_meeting_people", meeting)
        context.update(
            community=meeting.community,
            can_change=can_change,
            can_see_people=can_see_people,
            today=timezone.localdate(now),
            counts=selectors.attendance_counts(meeting),
            votes=list(meeting.votes.all()),
            action_items=list(selectors.meeting_action_items(user, meeting)),
            transitions=meeting.transitions.select_related("changed_by"),
            panels=meeting_panels.render_list(meeting, self.request),
            recording=meeting.status in RECORDING_STATUSES,
            rsvp_open=meeting.status in RSVP_STATUSES and meeting.starts_at > now,
            editable=meeting.status in EDITABLE_STATUSES,
        )
        if can_see_people:
            context["attendances"] = selectors.attendance_list(meeting)
            context["rsvps"] = selectors.rsvp_list(meeting)
        if can_change:
            actions, facts = self.status_actions(meeting, now)
            context["status_actions"] = actions
            context["open_item_count"] = facts.open_items
            context["report_problems"] = (
                transition_problems(facts, MeetingStatus.REPORTED, note="", now=now)
                if meeting.status == MeetingStatus.MINUTED
                else []
            )
            context.setdefault("sign_in_form", SignInForm(index=None))
            context.setdefault("rsvp_form", RSVPRecordForm(index=None))
            context.setdefault("vote_form", VoteForm())
            context.setdefault("report_form", ReportBackForm(initial={"report_back": meeting.report_back}))
        return context


class MeetingActionView(MeetingDetailView):
    """Base of the POST actions on the meeting page."""

    permission_required = "consult.change_meeting"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.act(request, self.object)

    def again(self, **forms):
        """Show the meeting page again with a bound form and its errors."""
        return self.render_to_response(self.get_context_data(**forms), status=400)

    def back(self, anchor: str = ""):
        return redirect(self.object.get_absolute_url() + (f"#{anchor}" if anchor else ""))


class MeetingStatusView(MeetingActionView):
    def act(self, request, meeting):
        form = StatusChangeForm(request.POST)
        if not form.is_valid():
            return self.back()
        now = timezone.now()
        to_status, note = form.cleaned_data["to_status"], form.cleaned_data["note"]
        try:
            meeting_change_status(meeting=meeting, to_status=to_status, by=request.user, note=note, now=now)
        except MeetingChangeBlocked as error:
            for message in _messages_of(error):
                messages.error(request, message)
            return self.back("status")
        messages.success(
            request,
            _("Status changed to “%(status)s”.") % {"status": MeetingStatus(to_status).label},
        )
        if to_status == MeetingStatus.ANNOUNCED:
            for warning in announcement_warnings(starts_at=meeting.starts_at, now=now):
                messages.warning(request, warning)
        return self.back("status")


class MinutesEditView(ServiceFormMixin, MeetingMixin, FormView):
    permission_required = "consult.change_meeting"
    template_name = "consult/meetings/minutes_form.html"
    form_class = MinutesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.get_object()
        context["community"] = self.get_object().community
        context["recording"] = self.get_object().status in RECORDING_STATUSES
        return context

    def form_valid_service(self, form):
        meeting_record_minutes(meeting=self.get_object(), data=form.cleaned_data, by=self.request.user)
        messages.success(self.request, _("Minutes saved."))
        return redirect(self.get_object().get_absolute_url() + "#minutes")


class ReportBackView(MeetingActionView):
    def act(self, request, meeting):
        form = ReportBackForm(request.POST)
        if not form.is_valid():
            return self.again(report_form=form)
        publish = "publish" in request.POST
        try:
            meeting_save_report_back(
                meeting=meeting,
                text=form.cleaned_data["report_back"],
                by=request.user,
                publish=publish,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_form_error(form, error, default_field="report_back")
            return self.again(report_form=form)
        if publish:
            messages.success(request, _("The report back is on the noticeboard."))
        else:
            messages.success(request, _("Report back saved as a draft."))
        return self.back("report")


class VoteAddView(MeetingActionView):
    def act(self, request, meeting):
        form = VoteForm(request.POST)
        if not form.is_valid():
            return self.again(vote_form=form)
        try:
            vote_record(meeting=meeting, by=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for errors in error.error_dict.values():
                    form.add_error("question", errors)
            else:
                form.add_error(None, error)
            return self.again(vote_form=form)
        messages.success(request, _("Vote recorded."))
        return self.back("votes")


class VoteDeleteView(MeetingActionView):
    def act(self, request, meeting):
        vote = get_object_or_404(MeetingVote, pk=self.kwargs["vote_pk"], meeting=meeting)
        with refusals_as_messages(request):
            vote_delete(vote=vote)
            messages.success(request, _("Vote removed."))
        return self.back("votes")


class MinutesPrintView(MeetingDetailView):
    """The minutes on paper: the staff version by default, ``?public=1`` for the notice
    board version (no names, no sign-in list)."""

    template_name = "consult/meetings/minutes_print.html"

    def get_context_data(self, **kwargs):
        context = DetailView.get_context_data(self, **kwargs)
        meeting, user = self.object, self.request.user
        public = self.request.GET.get("public") == "1" or not user.has_perm("consult.view_meeting_people", meeting)
        context.update(
            community=meeting.community,
            public=public,
            counts=selectors.attendance_counts(meeting),
            votes=list(meeting.votes.all()),
            action_items=list(selectors.meeting_action_items(user, meeting)),
            printed_at=timezone.now(),
        )
        if not public:
            context["attendances"] = selectors.attendance_list(meeting)
        return context


class SignInSheetView(MeetingDetailView):
    """A printable sign-in sheet: households that said they will come pre-printed by room,
    the invited departments, then blank lines for everyone else."""

    permission_required = "consult.change_meeting"
    template_name = "consult/meetings/sign_in_sheet.html"
    DEFAULT_BLANK_LINES = 30

    def get_context_data(self, **kwargs):
        context = DetailView.get_context_data(self, **kwargs)
        blank = parse_int(self.request.GET.get("lines"), low=0, high=200)
        blank = self.DEFAULT_BLANK_LINES if blank is None else blank
        households = list(selectors.sign_in_sheet_households(self.object))
        context.update(
            community=self.object.community,
            households=households,
            blank_lines=range(len(households) + 1, len(households) + blank + 1),
            blank_count=blank,
        )
        return context
