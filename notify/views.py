"""Staff pages of the outbox: send a message about what they are looking at, follow the jobs,
read what went to whom (phones masked), record consent and opt-outs, print notices."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from consult.models import Ballot, Meeting, Wish
from projects.addresses import NotAnAddress, households_at, parse_address
from projects.forms.identity import IssueCodesForm
from projects.models import Building, Community, Compound, Household, Project, SignoffCampaign
from projects.site_address import public_base_url
from projects.views.mixins import ObjectPermissionMixin, ServiceFormMixin, refusals_as_messages

from . import selectors, triggers
from .forms import (
    BallotReminderForm,
    ConsentForm,
    ConstructionNoticeForm,
    MeetingNoticeForm,
    OptOutForm,
    SendForm,
    SignoffReminderForm,
)
from .letters import start_letters_job
from .models import Delivery, Job, JobKind, JobStatus, Message, MessageChannel, MessageKind
from .notices import render_notices
from .services.jobs import job_file_path, start_job
from .services.outbox import OutboxError, queue, record_consent

PAGE = 25


class CommunityPageMixin(ObjectPermissionMixin):
    """Pages of one community's outbox; the permission is checked on the community."""

    def get_queryset(self):
        return Community.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.get_object()
        return context


class OutboxView(CommunityPageMixin, TemplateView):
    permission_required = "notify.view_outbox"
    template_name = "notify/outbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in MessageKind.values else ""
        page = Paginator(selectors.messages_of(self.get_object(), kind=kind), PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(page_obj=page, kind=kind, kinds=MessageKind.choices)
        return context


class OwnedObjectMixin(ObjectPermissionMixin):
    """A page of one object of a community (a message, a job, a delivery): the permission
    is checked on its community."""

    model = None
    related = ("community",)

    def get_queryset(self):
        return self.model.objects.select_related(*self.related)

    def get_permission_object(self):
        return self.get_object().community


class MessageView(OwnedObjectMixin, TemplateView):
    permission_required = "notify.view_outbox"
    template_name = "notify/message.html"
    model = Message
    related = ("community", "triggered_by", "job", "compound")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.get_object()
        page = Paginator(selectors.deliveries_of(message), 50).get_page(self.request.GET.get("page"))
        context.update(message=message, community=message.community, page_obj=page, opt_out_form=OptOutForm())
        return context


class JobListView(CommunityPageMixin, TemplateView):
    permission_required = "notify.view_outbox"
    template_name = "notify/jobs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.jobs_of(self.get_object()), PAGE).get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        return context


class JobView(OwnedObjectMixin, TemplateView):
    permission_required = "notify.view_outbox"
    template_name = "notify/job.html"
    model = Job
    related = ("community", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_object()
        context.update(
            job=job,
            community=job.community,
            messages_sent=list(selectors.messages_of(job.community).filter(job=job)),
            running=job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        )
        return context


class JobFileView(OwnedObjectMixin, View):
    permission_required = "notify.view_outbox"
    model = Job

    def has_permission(self):
        # Letters carry household codes: only those who may issue codes may fetch them.
        job = self.get_object()
        return super().has_permission() and (
            job.kind != JobKind.LETTERS or self.request.user.has_perm("projects.manage_household_codes", job.community)
        )

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        path = job_file_path(job) if job.file_name else None
        if path is None or not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="text/html")


class JobResumeView(OwnedObjectMixin, View):
    """Start a job's task again, e.g. after its worker was stopped: rows already sent are
    not sent again (see notify.services.delivery)."""

    permission_required = "notify.send_message"
    model = Job

    def post(self, request, *args, **kwargs):
        job = self.get_object()
        if job.status == JobStatus.DONE:
            flash.info(request, _("This job is finished."))
        elif job.kind == JobKind.LETTERS:
            flash.info(
                request,
                _(
                    "Letters are not made again: the codes already issued are in this job's file. Start new letters "
                    "for the households that have no code yet."
                ),
            )
        else:
            Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error="")
            start_job(job)
            flash.success(request, _("The job is queued again. Messages already sent are not sent again."))
        return redirect("notify:job", job.pk)


class NoticeView(OwnedObjectMixin, TemplateView):
    """The stairwell notice of a message, to print at the desk (A4, large type, QR code)."""

    permission_required = "notify.view_outbox"
    template_name = "notify/notice.html"
    model = Message
    related = ("community", "compound")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.get_object()
        context.update(
            message=message,
            community=message.community,
            pages_html=render_notices(message, public_base_url(self.request), standalone=False),
        )
        return context


class ConsentView(ServiceFormMixin, CommunityPageMixin, FormView):
    permission_required = "notify.record_consent"
    template_name = "notify/consent.html"
    form_class = ConsentForm
    service_error_field = "phone"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = selectors.recent_consents(self.get_object())
        return context

    def form_valid_service(self, form):
        community = self.get_object()
        data = form.cleaned_data
        household = None
        if data["address"]:
            try:
                address = parse_address(data["address"])
            except NotAnAddress:
                raise OutboxError(_("Write the household like 3-2-501."), field="address") from None
            matches = households_at(Household.objects.filter(unit__building__compound__community=community), address)
            matches = list(matches.select_related("unit__building__compound")[:2])
            if len(matches) != 1:
                raise OutboxError(
                    _("No single household of this community matches; add the building and unit."), field="address"
                )
            household = matches[0]
        record_consent(
            community=community,
            phone=data["phone"],
            granted=data["granted"],
            channel=data["channel"],
            by=self.request.user,
            household=household,
            paper_reference=data["paper_reference"],
            note=data["note"],
        )
        flash.success(self.request, _("Recorded."))
        return redirect("notify:consent", community.pk)


class OptOutView(OwnedObjectMixin, View):
    """One click on a delivery row: the number gets no more SMS, recorded with who and how."""

    permission_required = "notify.record_consent"
    model = Delivery
    related = ("message__community", "household")

    def get_permission_object(self):
        return self.get_object().message.community

    def post(self, request, *args, **kwargs):
        row = self.get_object()
        form = OptOutForm(request.POST)
        with refusals_as_messages(request):
            if not form.is_valid() or not row.phone:
                raise OutboxError(_("Nothing to opt out: this message went to no phone."))
            record_consent(
                community=row.message.community,
                phone=row.phone,
                granted=False,
                channel=form.cleaned_data["channel"],
                by=request.user,
                household=row.household,
                note=_("Opted out from message No. %(n)d") % {"n": row.message_id},
            )
            flash.success(request, _("Opted out: this number gets no more SMS."))
        return redirect("notify:message", row.message_id)


# --- sending about what staff are looking at ---------------------------------------------------


class SendView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    """The form under every "Tell residents" button: what it says, how many households it
    reaches, and how it goes (online, print, or both)."""

    permission_required = "notify.send_message"
    template_name = "notify/send.html"
    form_class = SendForm
    model = None
    related = ()
    channels = None  # all

    def get_queryset(self):
        return self.model.objects.select_related(*self.related)

    def community_of(self, obj):
        return obj.community

    def get_permission_object(self):
        return self.community_of(self.get_object())

    def back_url(self, obj) -> str:
        return obj.get_absolute_url()

    def draft(self, obj, data):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["channels"] = self.channels
        return kwargs

    def preview(self):
        """The draft with the form's initial choices, to show before anything is sent."""
        form = self.get_form_class()(**{**self.get_form_kwargs(), "data": None})
        initial = {name: field.initial for name, field in form.fields.items()}
        try:
            return self.draft(self.get_object(), initial), None
        except OutboxError as error:
            return None, " ".join(error.messages)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        draft, refusal = self.preview()
        context.update(
            object=obj,
            community=self.community_of(obj),
            draft=draft,
            refusal=refusal,
            reach=draft.households.count()
            if draft and draft.households is not None
            else len(draft.phones)
            if draft
            else 0,
            back_url=self.back_url(obj),
            earlier=selectors.messages_about(self.community_of(obj), draft.ref) if draft else [],
        )
        return context

    def form_valid_service(self, form):
        obj = self.get_object()
        draft = self.draft(obj, form.cleaned_data)
        done = queue(
            draft,
            channels=set(form.cleaned_data["channels"]),
            by=self.request.user,
            base_url=public_base_url(self.request),
        )
        if done.job:
            flash.success(self.request, _("%(n)d messages queued.") % {"n": done.queued})
        job = done.job or done.notice_job
        return redirect("notify:job", job.pk)


class BallotRemindView(SendView):
    model = Ballot
    related = ("community", "compound", "building__compound", "unit__building__compound", "project")
    form_class = BallotReminderForm

    def draft(self, obj, data):
        return triggers.ballot_reminder(obj, kind=data.get("kind") or MessageKind.BALLOT_OPENED)


class WishAnsweredView(SendView):
    model = Wish
    related = ("community", "compound", "household")
    channels = [MessageChannel.SMS]

    def back_url(self, obj) -> str:
        return reverse("consult:wish_manage", args=[obj.pk])

    def draft(self, obj, data):
        return triggers.wish_answered(obj)


class MeetingNoticeView(SendView):
    model = Meeting
    related = ("community", "compound", "building__compound")
    form_class = MeetingNoticeForm

    def draft(self, obj, data):
        return triggers.meeting_notice(obj, changed=bool(data.get("changed")))


class SignoffReminderView(SendView):
    model = SignoffCampaign
    related = ("project__community",)
    form_class = SignoffReminderForm

    def community_of(self, obj):
        return obj.project.community

    def back_url(self, obj) -> str:
        return reverse("projects:signoff_board", args=[obj.pk])

    def assignees(self):
        from django.contrib.auth import get_user_model

        campaign = self.get_object()
        ids = campaign.records.exclude(assignee=None).values("assignee_id")
        return get_user_model().objects.filter(pk__in=ids).order_by("username")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "assignees": self.assignees()}

    def draft(self, obj, data):
        assignee = data.get("assignee") or self.assignees().first()
        if assignee is None:
            raise OutboxError(_("Nobody follows up households in this campaign yet."), field="assignee")
        return triggers.signoff_reminder(obj, assignee=assignee)


class ProjectSendView(SendView):
    model = Project
    related = ("community",)


class ConstructionNoticeView(ProjectSendView):
    form_class = ConstructionNoticeForm

    def buildings(self):
        project = self.get_object()
        return (
            Building.objects.filter(compound__community=project.community_id)
            .select_related("compound")
            .order_by("compound__name", "sort_key", "name")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "buildings": self.buildings()}

    def preview(self):
        return None, None  # the buildings and times are chosen on the form

    def draft(self, obj, data):
        return triggers.construction_notice(
            obj,
            buildings=list(data["buildings"]),
            what=data["what"],
            starts=data["starts"],
            ends=data["ends"],
            detail=data.get("detail", ""),
        )


class SurveyNoticeView(ProjectSendView):
    def draft(self, obj, data):
        return triggers.survey_opened(obj)


class CompoundLettersView(ObjectPermissionMixin, View):
    """Household code letters for every household of a compound, made in the background:
    the job page follows the progress and offers the file when it is ready."""

    permission_required = "projects.manage_household_codes"
    http_method_names = ["post"]

    def get_queryset(self):
        return Compound.objects.select_related("community")

    def post(self, request, *args, **kwargs):
        compound = self.get_object()
        form = IssueCodesForm(request.POST)
        if not form.is_valid():
            flash.error(request, _("Choose whom to issue letters for."))
            return redirect(
                f"{reverse('projects:household_codes', args=[compound.community_id])}?compound={compound.pk}"
            )
        with transaction.atomic():
            job = start_letters_job(
                compound=compound,
                replace=form.cleaned_data["replace"] == "all",
                by=request.user,
                base_url=public_base_url(request),
            )
        flash.success(request, _("The letters are being made in the background. This page shows when they are ready."))
        return redirect("notify:job", job.pk)
