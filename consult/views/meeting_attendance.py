"""Who will come and who came: RSVPs (by the resident online, or noted by staff), the
sign-in at the door, and the quick entry of a stack of paper sheets after the meeting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from projects.errors import add_form_error
from projects.models import Channel, Department, Household
from projects.parsing import parse_int
from projects.views.common import safe_next
from projects.views.household import HouseholdRequiredMixin
from projects.views.mixins import ServiceFormMixin, refusals_as_messages

from ..forms.meetings import QuickEntryForm, RSVPRecordForm, SignInForm
from ..meeting_lifecycle import RECORDING_STATUSES
from ..models import Attendance, Meeting, MeetingRSVP
from ..selectors import meetings as selectors
from ..services.meeting_attendance import (
    QuickEntry,
    attendance_quick_entry,
    attendance_remove,
    attendance_sign_in_household,
    room_index,
    rsvp_say_coming,
    rsvp_withdraw,
)
from .meetings import MeetingActionView, MeetingMixin

HOUSEHOLD_RELATED = "unit__building__compound__community"


def _household(pk: int) -> Household:
    return Household.objects.select_related(HOUSEHOLD_RELATED).get(pk=pk)


class SignInView(MeetingActionView):
    """Sign one household in by room, at the door: type the room, Enter, next."""

    def act(self, request, meeting):
        form = SignInForm(request.POST, index=room_index(meeting))
        if not form.is_valid():
            return self.again(sign_in_form=form)
        household = _household(form.household_id)
        try:
            attendance_sign_in_household(
                meeting=meeting,
                household=household,
                headcount=form.cleaned_data["headcount"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_form_error(form, error, default_field="room")
            return self.again(sign_in_form=form)
        messages.success(
            request,
            _("Signed in: %(household)s (%(n)d people).")
            % {"household": household, "n": form.cleaned_data["headcount"]},
        )
        # No fragment: a URL fragment would stop the browser from autofocusing the room field.
        return redirect(meeting.get_absolute_url() + "?signin=1")


class AttendanceDeleteView(MeetingActionView):
    def act(self, request, meeting):
        attendance = get_object_or_404(Attendance, pk=self.kwargs["attendance_pk"], meeting=meeting)
        with refusals_as_messages(request):
            attendance_remove(attendance=attendance)
            messages.success(request, _("Removed from the sign-in list."))
        return self.back("attendance")


class RSVPRecordView(MeetingActionView):
    """Staff note that a household will come (a phone call, a visit, the building head)."""

    def act(self, request, meeting):
        form = RSVPRecordForm(request.POST, index=room_index(meeting))
        if not form.is_valid():
            return self.again(rsvp_form=form)
        household = _household(form.household_id)
        try:
            rsvp_say_coming(
                meeting=meeting,
                household=household,
                people=form.cleaned_data["people"],
                channel=form.cleaned_data["channel"],
                by=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            add_form_error(form, error)
            return self.again(rsvp_form=form)
        messages.success(request, _("Noted: %(household)s will come.") % {"household": household})
        return self.back("rsvps")


class RSVPWithdrawView(MeetingActionView):
    def act(self, request, meeting):
        rsvp = get_object_or_404(
            MeetingRSVP.objects.select_related("household__unit__building"), pk=self.kwargs["rsvp_pk"], meeting=meeting
        )
        rsvp_withdraw(meeting=meeting, household=rsvp.household, now=timezone.now())
        messages.success(request, _("%(household)s will not come after all.") % {"household": rsvp.household})
        return self.back("rsvps")


class QuickEntryView(ServiceFormMixin, MeetingMixin, FormView):
    """After the meeting: type the rooms and names from the paper sheets, one per line.
    Nothing is saved until every line is understood; each problem is shown with its line."""

    permission_required = "consult.change_meeting"
    template_name = "consult/meetings/quick_entry.html"
    form_class = QuickEntryForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        meeting = self.get_object()
        kwargs["index"] = room_index(meeting) if self.request.method == "POST" else None
        invited = Meeting.invited_departments.through.objects.filter(
            meeting_id=meeting.pk, department_id=OuterRef("pk")
        )
        kwargs["departments"] = (
            Department.objects.filter(sub_district_id=meeting.community.sub_district_id)
            .annotate(invited=Exists(invited))
            .order_by("-invited", "name")  # the invited ones first: they are the ones who came
        )
        kwargs["initial"] = {"walk_ins": 0}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_object()
        context.update(
            meeting=meeting,
            community=meeting.community,
            recording=meeting.status in RECORDING_STATUSES,
            counts=selectors.attendance_counts(meeting),
            invited_ids=meeting.invited_department_ids(),
        )
        return context

    def form_valid_service(self, form):
        entry = QuickEntry(
            households=form.household_entries,
            residents=form.resident_entries,
            staff=form.staff_entries,
            departments=list(form.cleaned_data["departments"]),
            walk_ins=form.cleaned_data.get("walk_ins") or 0,
        )
        result = attendance_quick_entry(meeting=self.get_object(), entry=entry, by=self.request.user)
        messages.success(
            self.request,
            _("Added %(lines)d lines (%(people)d people).") % {"lines": result.added, "people": result.people},
        )
        if result.skipped:
            messages.info(
                self.request,
                _("Already on the list, skipped: %(names)s") % {"names": "、".join(result.skipped)},
            )
        return redirect(self.get_object().get_absolute_url() + "#attendance")


class ResidentRSVPView(HouseholdRequiredMixin, View):
    """A resident, acting as their household (after entering its code), says they will come
    or that they will not after all. No account: the household is the session's."""

    http_method_names = ["post"]
    permission_required = "consult.rsvp_meeting"

    def get_permission_object(self) -> Meeting:
        if not hasattr(self, "meeting"):
            self.meeting = get_object_or_404(Meeting.objects.select_related("compound"), pk=self.kwargs["pk"])
        return self.meeting

    def target(self) -> str:
        household = self.request.household
        fallback = (
            reverse("projects:noticeboard", args=[household.unit.building.compound_id])
            if household
            else reverse("projects:home")
        )
        return safe_next(self.request, fallback)

    def household_missing(self):
        self.get_permission_object()
        messages.error(self.request, _("Enter your household code first, or tell the community office."))
        return redirect(self.target())

    def household_refused(self):
        messages.error(self.request, _("This meeting is for another compound or building."))
        return redirect(self.target())

    def post(self, request, pk):
        meeting, household, target = self.get_permission_object(), self.household, self.target()
        if request.POST.get("action") == "withdraw":
            rsvp_withdraw(meeting=meeting, household=household, now=timezone.now())
            messages.success(request, _("Noted: you will not come."))
            return redirect(target)
        people = request.POST.get("people", "1")
        with refusals_as_messages(request):
            rsvp_say_coming(
                meeting=meeting,
                household=household,
                people=parse_int(people) or 0,
                channel=Channel.ONLINE,
                now=timezone.now(),
            )
            messages.success(request, _("Thank you. We expect you at %(place)s, %(time)s.") % _when_where(meeting))
        return redirect(target)


def _when_where(meeting: Meeting) -> dict:
    return {
        "place": meeting.place,
        "time": timezone.localtime(meeting.starts_at).strftime("%m-%d %H:%M"),
    }
