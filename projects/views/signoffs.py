"""Pages of the sign-off tracker: the board, the unit grid (htmx ticks), the blocker list,
one household's history, printables, the export, and the resident's online confirmation."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .. import audit
from ..errors import add_form_error
from ..forms.signoffs import (
    AssignForm,
    BlockerFilterForm,
    BulkAssignForm,
    CampaignForm,
    ContactForm,
    OnlineConfirmForm,
    StatusForm,
)
from ..models import Community, Project, SignoffCampaign, SignoffEvent, SignoffStatus, Unit
from ..parsing import parse_id
from ..selectors import signoffs as sel
from ..services import signoffs as svc
from ..signoff_export import campaign_xlsx
from ..spreadsheets import download
from .household import HouseholdRequiredMixin
from .mixins import ObjectPermissionMixin, refusals_as_messages

CAMPAIGN_RELATED = "project__community__sub_district"


class CampaignMixin(PermissionRequiredMixin):
    """Loads the campaign of the URL once; permissions are checked against it."""

    permission_required = "projects.view_signoffs"

    def get_campaign(self) -> SignoffCampaign:
        if not hasattr(self, "_campaign"):
            self._campaign = get_object_or_404(
                SignoffCampaign.objects.select_related(CAMPAIGN_RELATED), pk=self.kwargs["pk"]
            )
        return self._campaign

    def get_permission_object(self):
        return self.get_campaign()

    def now(self):
        return timezone.now()

    def campaign_context(self, **extra) -> dict:
        campaign = self.get_campaign()
        return {"campaign": campaign, "project": campaign.project, "community": campaign.project.community, **extra}


class HouseholdMixin(CampaignMixin):
    """A household of the campaign (404 when it is not affected); the permission is checked
    against the household itself, so building heads reach only their own buildings."""

    permission_required = "projects.record_signoff"

    def get_household(self):
        if not hasattr(self, "_household"):
            household = sel.household_in_campaign(self.get_campaign(), self.kwargs["household_pk"])
            if household is None:
                raise Http404
            self._household = household
        return self._household

    def has_permission(self):
        user = self.request.user
        perms = self.get_permission_required()
        return user.has_perms(perms, self.get_campaign()) and user.has_perms(perms, self.get_household())


# --- campaigns ---------------------------------------------------------------------------------


class CommunityCampaignsView(ObjectPermissionMixin, TemplateView):
    """All sign-off campaigns of a community with their progress (the community nav tab)."""

    permission_required = "projects.view_signoffs"
    template_name = "projects/signoffs/campaigns.html"

    def get_queryset(self):
        return Community.objects.select_related("sub_district")

    def get_context_data(self, **kwargs):
        community = self.get_object()
        context = super().get_context_data(**kwargs)
        context["community"] = community
        context["campaigns"] = sel.community_campaigns(community)
        if self.request.user.has_perm("projects.manage_signoffs", community):
            context["projects_without"] = Project.objects.filter(
                community=community, signoff_campaign__isnull=True
            ).order_by("-created_at")
        return context


class CampaignCreateView(ObjectPermissionMixin, TemplateView):
    permission_required = "projects.manage_signoffs"
    template_name = "projects/signoffs/campaign_form.html"

    def get_queryset(self):
        return Project.objects.select_related("community")

    def dispatch(self, request, *args, **kwargs):
        existing = SignoffCampaign.objects.filter(project_id=kwargs["pk"]).first()
        if existing is not None:
            return redirect(existing)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        project = self.get_object()
        initial = {
            "title": _("%(project)s: household sign-offs") % {"project": project.title},
            "consent_text": _(
                "Our household agrees that the works of the project “%(project)s” may be carried out in our home "
                "and the shared parts of our building, and will let the workers in at the agreed times."
            )
            % {"project": project.title},
        }
        return CampaignForm(self.request.POST or None, initial=initial)

    def get_context_data(self, **kwargs):
        project = self.get_object()
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(project=project, community=project.community, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                campaign = svc.signoff_campaign_open(
                    project=self.get_object(), data=form.campaign_data(), by=request.user
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                messages.success(request, _("The sign-off campaign is open."))
                return redirect(campaign)
        return self.render_to_response(self.get_context_data(form=form))


class CampaignEditView(CampaignMixin, TemplateView):
    permission_required = "projects.manage_signoffs"
    template_name = "projects/signoffs/campaign_form.html"

    def get_form(self):
        return CampaignForm(self.request.POST or None, instance=self.get_campaign())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**self.campaign_context(**kwargs))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                change = svc.signoff_campaign_update(
                    campaign=self.get_campaign(), data=form.campaign_data(), by=request.user
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                if change is None:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("The campaign was saved."))
                return redirect(self.get_campaign())
        return self.render_to_response(self.get_context_data(form=form))


class CampaignStateView(CampaignMixin, View):
    """Close a campaign, or reopen it (POST ``open=1``)."""

    permission_required = "projects.manage_signoffs"

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        open_ = request.POST.get("open") == "1"
        svc.signoff_campaign_set_open(campaign=campaign, open_=open_, by=request.user)
        messages.success(request, _("The campaign is open again.") if open_ else _("The campaign is closed."))
        return redirect(campaign)


# --- the board -----------------------------------------------------------------------------------


class BoardView(CampaignMixin, TemplateView):
    """Progress by building and unit, and the gate. Everybody who may see the community sees
    it; names appear only on the pages behind it (grid, blockers), for staff and heads."""

    template_name = "projects/signoffs/board.html"

    def get_context_data(self, **kwargs):
        campaign = self.get_campaign()
        user = self.request.user
        progress = sel.campaign_progress(
            campaign,
            now=self.now(),
            building_ids=sel.head_building_ids(user, campaign),
            name_rooms=user.has_perm("projects.manage_signoffs", campaign),
        )
        context = super().get_context_data(**self.campaign_context(progress=progress, **kwargs))
        context["gate_links"] = user.has_perm("projects.view_signoff_households", campaign)
        context["rule_text"] = sel.describe_rule(campaign)
        context["rule_uses_area"] = progress.uses_area
        if user.has_perm("projects.manage_signoffs", campaign):
            context["changes"] = sel.campaign_changes(campaign)[:10]
        return context


def _counts_context(campaign, unit, now, user) -> dict:
    """The unit's counts and the gate, both from the campaign's one rollup query. Only the
    staff and building heads who may open the households reach these pages."""
    progress = sel.campaign_progress(
        campaign, now=now, missing_limit=5, name_rooms=user.has_perm("projects.manage_signoffs", campaign)
    )
    unit_counts = next((u for u in progress.units if u.unit_id == unit.pk), None)
    return {"unit_counts": unit_counts, "progress": progress, "gate_links": True}


class UnitGridView(CampaignMixin, TemplateView):
    """One unit's households as big touch cards: tap a status, the card and counts update."""

    permission_required = "projects.view_signoff_households"
    template_name = "projects/signoffs/unit.html"

    def get_unit(self):
        if not hasattr(self, "_unit"):
            self._unit = get_object_or_404(
                Unit.objects.select_related("building__compound__community"), pk=self.kwargs["unit_pk"]
            )
        return self._unit

    def has_permission(self):
        perms = self.get_permission_required()
        user = self.request.user
        return user.has_perms(perms, self.get_campaign()) and user.has_perms(perms, self.get_unit())

    def get_context_data(self, **kwargs):
        campaign, unit, now = self.get_campaign(), self.get_unit(), self.now()
        rows = sel.unit_households(campaign, unit, now=now)
        if not rows:
            raise Http404
        # A 32-household riser is 8,000 px of cards: walking the stairs, staff want only the
        # doors still to knock on.
        not_agreed = [row for row in rows if row.status != SignoffStatus.AGREED]
        only_not_agreed = self.request.GET.get("show") == "not_agreed"
        context = super().get_context_data(
            **self.campaign_context(
                unit=unit,
                rows=not_agreed if only_not_agreed else rows,
                only_not_agreed=only_not_agreed,
                all_count=len(rows),
                not_agreed_count=len(not_agreed),
                **kwargs,
            )
        )
        context.update(_counts_context(campaign, unit, now, self.request.user))
        context["statuses"] = TICK_STATUSES
        return context


TICK_STATUSES = [SignoffStatus.TALKED, SignoffStatus.AGREED, SignoffStatus.CONCERNS, SignoffStatus.REFUSED]


def render_card(request, campaign, household, *, form=None, error=None, now=None, with_counts=True):
    """The household's card on the grid, plus the unit counts and the gate out of band."""
    now = now or timezone.now()
    row = sel.attach_records(campaign, [household], now=now)[0]
    context = {
        "campaign": campaign,
        "row": row,
        "unit": household.unit,
        "statuses": TICK_STATUSES,
        "inline_form": form,
        "card_error": error,
        "oob": with_counts,
        "can_view_phone": request.user.has_perm("projects.view_phone", household),
    }
    if with_counts:
        context.update(_counts_context(campaign, household.unit, now, request.user))
    return render(request, "projects/signoffs/_card_response.html", context)


class TickView(HouseholdMixin, View):
    """POST from a grid button: record the status in one tap. GET gives the card back (the
    "cancel" of the grid's short form)."""

    def get(self, request, *args, **kwargs):
        campaign, household = self.get_campaign(), self.get_household()
        if request.htmx:
            return render_card(request, campaign, household, with_counts=False)
        return redirect(_unit_url(campaign, household) + f"#hh-{household.pk}")

    def post(self, request, *args, **kwargs):
        campaign, household = self.get_campaign(), self.get_household()
        status = request.POST.get("status", "")
        if status not in TICK_STATUSES:
            return HttpResponse(status=400)
        try:
            svc.signoff_tick(campaign=campaign, household=household, status=status, by=request.user)
        except svc.DetailsNeeded:
            if request.htmx:
                form = StatusForm(household=household, only_status=status, prefix=f"h{household.pk}")
                return render_card(request, campaign, household, form=form, with_counts=False)
            return redirect(_household_url(campaign, household) + f"?status={status}#record")
        except ValidationError as error:
            if request.htmx:
                return render_card(request, campaign, household, error=" ".join(error.messages), with_counts=False)
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            return render_card(request, campaign, household)
        return redirect(_unit_url(campaign, household) + f"#hh-{household.pk}")


def _household_url(campaign, household) -> str:
    return reverse("projects:signoff_household", args=[campaign.pk, household.pk])


def _unit_url(campaign, household) -> str:
    return reverse("projects:signoff_unit", args=[campaign.pk, household.unit_id])


# --- one household -------------------------------------------------------------------------------


class HouseholdView(HouseholdMixin, TemplateView):
    """The full history of one household, and the forms to record a status, log a contact and
    assign the follow-up. The grid's short form posts here too (``from=grid``), and then
    gets the household's card back instead of a redirect."""

    permission_required = "projects.view_signoff_households"
    template_name = "projects/signoffs/household.html"
    ACTIONS = {
        "status": "projects.record_signoff",
        "contact": "projects.record_signoff",
        "assign": "projects.manage_signoffs",
    }

    def get_context_data(self, **kwargs):
        campaign, household, user = self.get_campaign(), self.get_household(), self.request.user
        people = sel.follow_up_people(campaign)
        row = sel.attach_records(campaign, [household], now=self.now())[0]
        status = self.request.GET.get("status")
        kwargs.setdefault(
            "status_form",
            StatusForm(household=household, initial={"status": status} if status in SignoffStatus.values else {}),
        )
        kwargs.setdefault("contact_form", ContactForm(people=people, user=user))
        kwargs.setdefault(
            "assign_form",
            AssignForm(people=people, initial={"assignee": row.record.assignee_id if row.record else None}),
        )
        context = super().get_context_data(**self.campaign_context(household=household, row=row, **kwargs))
        context["history"] = sel.household_history(campaign, household)
        context["can_record"] = user.has_perm("projects.record_signoff", household) and campaign.is_open
        context["can_assign"] = user.has_perm("projects.manage_signoffs", campaign) and campaign.is_open
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            return HttpResponse(status=400)
        if not request.user.has_perm(self.ACTIONS[action], self.get_household()):
            raise PermissionDenied
        return getattr(self, f"post_{action}")(request)

    def _invalid(self, **forms):
        return self.render_to_response(self.get_context_data(**forms), status=400)

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect(_household_url(self.get_campaign(), self.get_household()))

    def post_status(self, request):
        campaign, household = self.get_campaign(), self.get_household()
        from_grid = request.POST.get("from") == "grid"
        prefix = f"h{household.pk}" if from_grid else None
        only = request.POST.get(f"{prefix}-status") if from_grid else None
        form = StatusForm(
            request.POST,
            request.FILES,
            household=household,
            only_status=only if only in SignoffStatus.values else None,
            prefix=prefix,
        )
        if form.is_valid():
            try:
                svc.signoff_record_status(
                    campaign=campaign, household=household, by=request.user, **form.service_kwargs()
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                if from_grid and request.htmx:
                    return render_card(request, campaign, household)
                label = SignoffStatus(form.cleaned_data["status"]).label
                if from_grid:
                    messages.success(request, _("Recorded: %(status)s.") % {"status": label})
                    return redirect(_unit_url(campaign, household) + f"#hh-{household.pk}")
                return self._done(_("Recorded: %(status)s.") % {"status": label})
        if from_grid and request.htmx:
            return render_card(request, campaign, household, form=form, with_counts=False)
        return self._invalid(status_form=form)

    def post_contact(self, request):
        campaign, household = self.get_campaign(), self.get_household()
        form = ContactForm(request.POST, people=sel.follow_up_people(campaign), user=request.user)
        if form.is_valid():
            try:
                svc.signoff_log_contact(campaign=campaign, household=household, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_form_error(form, error)
            else:
                return self._done(_("The contact was logged."))
        return self._invalid(contact_form=form)

    def post_assign(self, request):
        campaign, household = self.get_campaign(), self.get_household()
        form = AssignForm(request.POST, people=sel.follow_up_people(campaign))
        if form.is_valid():
            try:
                svc.signoff_assign(
                    campaign=campaign,
                    households=[household],
                    assignee=form.cleaned_data["assignee"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                return self._done(_("The follow-up was assigned."))
        return self._invalid(assign_form=form)


class PhotoView(PermissionRequiredMixin, View):
    """The photo of a signed form, streamed only to those who may see the household."""

    permission_required = "projects.view_signoff_households"

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                SignoffEvent.objects.select_related("household__unit__building__compound__community").exclude(
                    form_photo=""
                ),
                pk=self.kwargs["pk"],
            )
        return self._event

    def get_permission_object(self):
        return self.get_event().household

    def get(self, request, *args, **kwargs):
        photo = self.get_event().form_photo
        try:
            handle = photo.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        content_type = mimetypes.guess_type(photo.name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
        return response


# --- lists and printables ------------------------------------------------------------------------


class BlockersMixin(CampaignMixin):
    permission_required = "projects.view_signoff_households"

    def filter_form(self):
        campaign = self.get_campaign()
        form = BlockerFilterForm(
            self.request.GET or None,
            buildings=sel.buildings_in_campaign(self.request.user, campaign),
            people=sel.follow_up_people(campaign),
        )
        flt = sel.BlockerFilter()
        if form.is_valid():
            c = form.cleaned_data
            flt = sel.BlockerFilter(
                building=c["building"],
                assignee=c["assignee"],
                status=c["status"],
                stale_only=c["stale"],
                q=c["q"],
                unit=c["unit"],
            )
        return form, flt


class BlockersView(BlockersMixin, TemplateView):
    """Who has not agreed, why, and who follows up; filter by building and follow-up."""

    template_name = "projects/signoffs/blockers.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        campaign, now, user = self.get_campaign(), self.now(), self.request.user
        form, flt = self.filter_form()
        page = Paginator(sel.blockers(user, campaign, flt, now=now), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        rows = sel.attach_records(campaign, page.object_list, now=now)
        context = super().get_context_data(**self.campaign_context(form=form, page_obj=page, rows=rows, **kwargs))
        if user.has_perm("projects.manage_signoffs", campaign) and campaign.is_open:
            context["assign_form"] = AssignForm(people=sel.follow_up_people(campaign))
        return context


class BulkAssignView(CampaignMixin, View):
    """Give the follow-up of the ticked households on the blocker list to one person."""

    permission_required = "projects.manage_signoffs"

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        ids = [pk for pk in map(parse_id, request.POST.getlist("households")) if pk is not None]
        households = list(
            sel.campaign_households(campaign).filter(pk__in=ids).select_related("unit__building__compound__community")
        )
        form = BulkAssignForm(
            request.POST, people=sel.follow_up_people(campaign), household_ids=[h.pk for h in households]
        )
        back = reverse("projects:signoff_blockers", args=[campaign.pk])
        if request.POST.get("next", "").startswith(back):
            back = request.POST["next"]
        if not households:
            messages.error(request, _("Tick at least one household."))
            return redirect(back)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(back)
        with refusals_as_messages(request):
            changed = svc.signoff_assign(
                campaign=campaign,
                households=households,
                assignee=form.cleaned_data["assignee"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("Follow-up assigned for %(count)d households.") % {"count": changed})
        return redirect(back)


class VisitListView(BlockersMixin, TemplateView):
    """The printable door-to-door list of households still to be won, in walking order."""

    template_name = "projects/signoffs/visit_list.html"

    def get_context_data(self, **kwargs):
        campaign, now = self.get_campaign(), self.now()
        form, flt = self.filter_form()
        rows = sel.attach_records(campaign, sel.blockers(self.request.user, campaign, flt, now=now), now=now)
        return super().get_context_data(
            **self.campaign_context(form=form, rows=rows, today=timezone.localdate(now), **kwargs)
        )


class SheetsView(CampaignMixin, TemplateView):
    """Printable sign-off sheets: one page per unit, blank signature and date columns.

    The sheet goes from door to door, so neighbours see it: it lists rooms and areas only,
    no names or phones (PIPL). Each line carries a form number to type in when recording."""

    permission_required = "projects.view_signoff_households"
    template_name = "projects/signoffs/sheets.html"

    def get_context_data(self, **kwargs):
        campaign = self.get_campaign()
        unit_id = self.request.GET.get("unit", "")
        building_id = self.request.GET.get("building", "")
        households = sel.sheet_households(
            self.request.user,
            campaign,
            unit_id=parse_id(unit_id),
            building_id=parse_id(building_id),
        )
        units = []
        for household in households:
            if not units or units[-1]["unit"].pk != household.unit_id:
                units.append({"unit": household.unit, "lines": []})
            line = len(units[-1]["lines"]) + 1
            units[-1]["lines"].append(
                {"n": line, "household": household, "form_number": sel.form_number(campaign, household.unit, line)}
            )
        return super().get_context_data(**self.campaign_context(units=units, **kwargs))


class ExportView(CampaignMixin, View):
    permission_required = "projects.export_signoffs"

    def get(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        content = campaign_xlsx(campaign, now=timezone.now())
        audit.record_export(request, community=campaign.project.community, what="sign-offs", obj=campaign)
        stamp = timezone.localtime().strftime("%Y%m%d")
        name = _("%(project)s sign-offs %(date)s") % {"project": campaign.project.title, "date": stamp}
        return download(content, filename=f"{name}.xlsx", fallback=f"signoffs-{campaign.pk}-{stamp}.xlsx")


# --- residents -----------------------------------------------------------------------------------


class OnlineConfirmView(HouseholdRequiredMixin, TemplateView):
    """A household, signed in with its household code, answers the campaign itself."""

    template_name = "projects/signoffs/confirm.html"
    permission_required = "projects.confirm_signoff"

    def get_permission_object(self) -> SignoffCampaign:
        self.campaign = get_object_or_404(SignoffCampaign.objects.select_related("project"), pk=self.kwargs["pk"])
        return self.campaign

    def household_missing(self):
        return render(self.request, "projects/signoffs/confirm_need_code.html", status=403)

    def get_context_data(self, **kwargs):
        record = self.campaign.records.filter(household=self.household).first()
        kwargs.setdefault("form", OnlineConfirmForm(initial={"signer_name": self.household.owner_names}))
        return super().get_context_data(
            campaign=self.campaign,
            household=self.household,
            status=record.status if record else SignoffStatus.NOT_CONTACTED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = OnlineConfirmForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            try:
                svc.signoff_confirm_online(
                    campaign=self.campaign,
                    household=self.household,
                    agree=c["answer"] == "agree",
                    signer_name=c["signer_name"],
                    signer_relation=c["signer_relation"],
                    concern_category=c["concern_category"],
                    concern_text=c["concern_text"],
                )
            except ValidationError as error:
                add_form_error(form, error)
            else:
                if c["answer"] == "agree":
                    messages.success(request, _("Thank you. Your household's agreement is recorded."))
                else:
                    messages.success(request, _("Thank you. Staff will contact you about your concerns."))
                return redirect("projects:signoff_confirm", pk=self.campaign.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)
