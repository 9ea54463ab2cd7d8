"""Ballot pages: staff run a ballot (create, open, enter paper ballots, void, count,
publish, answer objections); residents vote with their household code; the public sees
that a ballot is open and, once published, its result — never who voted how."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from projects.identity import household_actor
from projects.models import Community, Project
from projects.parsing import parse_id
from projects.rules import household_has_perm
from projects.views.household import HouseholdRequiredMixin
from projects.views.mixins import ObjectPermissionMixin, ServiceFormMixin, refusals_as_messages

from ..forms.ballots import (
    BallotForm,
    BallotSearchForm,
    ExtendForm,
    ObjectionForm,
    PublishForm,
    ReasonForm,
    ReplyForm,
    ResidentObjectionForm,
    StaffEntryForm,
    VoteForm,
)
from ..models import PHASE_LABELS, Ballot, BallotObjection, BallotStatus, CastBallot, EligibleHousehold
from ..sections import ballot_panels
from ..selectors import ballots as selectors
from ..selectors import proxies as proxy_selectors
from ..services import ballots as services

BALLOT_RELATED = (
    "community",
    "project",
    "compound",
    "building__compound",
    "unit__building__compound",
    "meeting",
    "created_by",
)

PAPER_BATCH_LIMIT = 300


def ballot_queryset():
    return Ballot.objects.select_related(*BALLOT_RELATED)


class BallotObjectMixin(ObjectPermissionMixin):
    def get_queryset(self):
        return ballot_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.get_object()
        now = timezone.now()
        context.update(ballot=ballot, community=ballot.community, now=now, phase=ballot.phase(now))
        context["phase_label"] = PHASE_LABELS[context["phase"]]
        return context


# --- staff: list, create, edit ---


class BallotListView(ObjectPermissionMixin, DetailView):
    permission_required = "consult.view_ballot"
    queryset = Community.objects.select_related("sub_district")
    template_name = "consult/ballots/list.html"
    context_object_name = "community"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = BallotSearchForm(self.request.GET or None)
        query, status = ("", "")
        if form.is_valid():
            query, status = form.cleaned_data["q"], form.cleaned_data["status"]
        ballots = selectors.ballots_of_community(self.object, query=query, status=status)
        page = Paginator(ballots, self.paginate_by).get_page(self.request.GET.get("page"))
        now = timezone.now()
        for ballot in page:
            ballot.phase_now = ballot.phase(now)
            ballot.phase_label = PHASE_LABELS[ballot.phase_now]
        context.update(form=form, page_obj=page, query=query)
        return context


class BallotCreateView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "consult.add_ballot"
    template_name = "consult/ballots/form.html"
    form_class = BallotForm

    def get_queryset(self):
        return Community.objects.all()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["community"] = self.get_object()
        return kwargs

    def get_initial(self):
        initial = {}
        for name in ("project", "compound", "building", "unit", "meeting"):
            value = parse_id(self.request.GET.get(name))
            if value is not None:
                initial[name] = value
                if name != "meeting":
                    initial["scope_kind"] = name
        if "project" in initial:  # from the construction gate: propose the rule the project requires
            required = (
                Project.objects.filter(pk=initial["project"], community=self.get_object())
                .values_list("requires_passed_ballot", flat=True)
                .first()
            )
            if required:
                initial["rule"] = required
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["community"] = self.get_object()
        return context

    def form_valid_service(self, form):
        ballot = services.ballot_create(
            community=self.get_object(),
            **draft_fields(form.cleaned_data),
            by=self.request.user,
        )
        messages.success(self.request, _("Draft saved. Check it, then open it for voting."))
        return redirect(ballot)


def draft_fields(data) -> dict:
    """What ``BallotForm`` hands to ``ballot_create`` and ``ballot_update`` alike: a draft is
    written whole, whether new or edited."""
    return {name: data[name] for name in DRAFT_FIELDS}


DRAFT_FIELDS = (
    "title",
    "description",
    "option_set",
    "options",
    "rule",
    "custom_thresholds",
    "decision_kind",
    "scope_kind",
    "target",
    "meeting",
    "opens_at",
    "closes_at",
    "notice_days",
)


class BallotEditView(ServiceFormMixin, BallotObjectMixin, FormView):
    """A draft is edited in full; an open ballot can only have voting extended."""

    permission_required = "consult.manage_ballot"
    template_name = "consult/ballots/form.html"

    def get_form_class(self):
        return ExtendForm if self.get_object().status == BallotStatus.OPEN else BallotForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.get_form_class() is BallotForm:
            kwargs.update(community=self.get_object().community, ballot=self.get_object())
        return kwargs

    def get(self, request, *args, **kwargs):
        ballot = self.get_object()
        if ballot.status not in (BallotStatus.DRAFT, BallotStatus.OPEN):
            messages.info(request, _("A counted or cancelled ballot cannot be changed."))
            return redirect(ballot)
        return super().get(request, *args, **kwargs)

    def form_valid_service(self, form):
        ballot = self.get_object()
        data = form.cleaned_data
        if isinstance(form, ExtendForm):
            services.ballot_extend(
                ballot=ballot, closes_at=data["closes_at"], reason=data["reason"], by=self.request.user
            )
            messages.success(self.request, _("Voting was extended."))
        else:
            services.ballot_update(
                ballot=ballot,
                **draft_fields(data),
                by=self.request.user,
            )
            messages.success(self.request, _("Draft saved."))
        return redirect(ballot)


# --- staff: the ballot page and its actions ---


class BallotDetailView(BallotObjectMixin, DetailView):
    permission_required = "consult.view_ballot"
    template_name = "consult/ballots/detail.html"
    context_object_name = "ballot"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.object
        options = list(ballot.options.all())
        context["options"] = options
        if ballot.status in (BallotStatus.OPEN, BallotStatus.CLOSED):
            context["turnout"] = selectors.turnout_by_unit(ballot)
            context["totals"] = _totals(context["turnout"])
            context["units_of"] = _units_shown(context["turnout"], self.request.GET.get("building"))
            if self.request.user.has_perm("consult.view_cast_ballots", ballot):
                context["proxy_casts"] = list(proxy_selectors.proxy_casts(ballot))
        if ballot.status == BallotStatus.CLOSED:
            context["result"] = selectors.stored_result(ballot, options)
            context["publish_form"] = PublishForm(initial={"notice_days": ballot.notice_days})
        if ballot.status == BallotStatus.OPEN or context.get("result") and not context["result"].channels:
            # The count by channel as it stands (a result counted before channels were stored has none).
            channels = context["channels"] = selectors.channel_counts(ballot)
            context["late_entries"] = sum(c.entered_after_closing for c in channels)
        if ballot.published_at:
            context["objections"] = ballot.objections.select_related(
                "household__unit__building", "entered_by", "replied_by"
            )
            context["reply_form"] = ReplyForm()
        context["events"] = ballot.events.select_related("by")
        context["panels"] = ballot_panels.render_list(ballot, self.request)
        return context


UNIT_ROWS_INLINE = 60  # a ballot of a few buildings shows every unit; a district ballot, one building's


def _units_shown(turnout: list[dict], building: str | None) -> set | None:
    """Which buildings' unit rows the turnout table shows: all (``None``) when they are few,
    else only the building asked for. A 10,000-household ballot printed 950 unit rows
    (145 KB, 7,600 template tags); the building rows are the summary staff read first."""
    if sum(len(b["units"]) for b in turnout) <= UNIT_ROWS_INLINE:
        return None
    building_id = parse_id(building)
    return {building_id} if building_id is not None else set()


def _totals(turnout: list[dict]) -> dict:
    totals = {"eligible_heads": 0, "voted_heads": 0}
    for building in turnout:
        totals["eligible_heads"] += building["eligible_heads"]
        totals["voted_heads"] += building["voted_heads"]
    return totals


class BallotActionView(BallotObjectMixin, View):
    """POST-only actions on a ballot: open, count."""

    permission_required = "consult.manage_ballot"
    action = ""

    def post(self, request, *args, **kwargs):
        ballot = self.get_object()
        with refusals_as_messages(request):
            if self.action == "open":
                count = services.ballot_open(ballot=ballot, by=request.user)
                messages.success(
                    request,
                    _("Voting is open. %(n)d households are eligible; their areas are fixed for this ballot.")
                    % {"n": count},
                )
            elif self.action == "close":
                result = services.ballot_close(ballot=ballot, by=request.user)
                messages.success(request, _("Counted: passed.") if result.passed else _("Counted: not passed."))
        return redirect(ballot)


class BallotPublishView(BallotObjectMixin, FormView):
    permission_required = "consult.manage_ballot"
    form_class = PublishForm
    template_name = "consult/ballots/confirm.html"

    def get_initial(self):
        return {"notice_days": self.get_object().notice_days}

    def form_valid(self, form):
        ballot = self.get_object()
        with refusals_as_messages(self.request):
            services.ballot_publish(ballot=ballot, by=self.request.user, notice_days=form.cleaned_data["notice_days"])
            messages.success(self.request, _("The result is on the noticeboard for public notice."))
        return redirect(ballot)


class BallotVerifyDigestView(BallotObjectMixin, View):
    """POST: recompute the published result's SHA-256 over its cast ballots and say whether
    it still matches the one published (一致 / 不一致); the check goes into the audit trail."""

    permission_required = "consult.manage_ballot"

    def post(self, request, *args, **kwargs):
        ballot = self.get_object()
        with refusals_as_messages(request):
            check = services.ballot_verify_digest(ballot=ballot, by=request.user, request=request)
            values = {"recomputed": check.recomputed, "stored": check.stored}
            if check.matches:
                messages.success(
                    request,
                    _(
                        "Matches: the cast ballots are as they were when the result was published. SHA-256: %(recomputed)s"
                    )
                    % values,
                )
            else:
                messages.error(
                    request,
                    _(
                        "Does not match: the cast ballots or the stored digest changed after publication. "
                        "Recomputed: %(recomputed)s; published: %(stored)s"
                    )
                    % values,
                )
        return redirect(ballot)


class BallotCancelView(BallotObjectMixin, FormView):
    permission_required = "consult.manage_ballot"
    template_name = "consult/ballots/confirm.html"

    def get_form(self, form_class=None):
        return ReasonForm(**self.get_form_kwargs(), submit_label=_("Cancel this ballot"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Cancel the ballot")
        context["explanation"] = _(
            "Cancelling calls the ballot off for good; ballots already cast are kept on record but not counted. "
            "To put the question again, create a new ballot."
        )
        return context

    def form_valid(self, form):
        ballot = self.get_object()
        with refusals_as_messages(self.request):
            services.ballot_cancel(ballot=ballot, by=self.request.user, reason=form.cleaned_data["reason"])
            messages.success(self.request, _("The ballot was cancelled."))
        return redirect(ballot)


# --- staff: entering and voiding ballots ---


class BallotEntryView(ServiceFormMixin, BallotObjectMixin, FormView):
    """Enter ballots collected on paper, at a meeting or on a visit, one after another."""

    permission_required = "consult.enter_ballot"
    template_name = "consult/ballots/entry.html"
    form_class = StaffEntryForm
    sticky = ("channel", "unit", "meeting", "paper_date")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ballot"] = self.get_object()
        return kwargs

    def get_initial(self):
        return {name: self.request.GET[name] for name in self.sticky if self.request.GET.get(name)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.get_object()
        context["accepting"] = ballot.is_accepting_entries(context["now"])
        context["recent"] = selectors.cast_ballots_of(ballot).filter(entered_by=self.request.user)[:10]
        return context

    def form_valid_service(self, form):
        ballot = self.get_object()
        data = form.cleaned_data
        cast = services.cast_ballot(
            ballot=ballot,
            household=data["household"],
            option=data["option"],
            channel=data["channel"],
            entered_by=self.request.user,
            paper_serial=data["paper_serial"],
            paper_date=data["paper_date"],
            meeting=data["meeting"],
            note=data["note"],
            staff_entry=True,
            proxy=data["proxy"],
        )
        messages.success(
            self.request,
            _("Saved: %(household)s → %(option)s%(serial)s")
            % {
                "household": cast.household,
                "option": cast.option.display_label,
                "serial": f" ({cast.paper_reference})" if cast.paper_reference else "",
            }
            + (f" · {cast.proxy.label}" if cast.proxy else ""),
        )
        sticky = {name: self.request.POST.get(name) for name in self.sticky if self.request.POST.get(name)}
        return redirect(f"{reverse('consult:ballot_enter', args=[ballot.pk])}?{urlencode(sticky)}")


class CastBallotListView(BallotObjectMixin, DetailView):
    """Who voted how (staff only; never on a public page)."""

    permission_required = "consult.view_cast_ballots"
    template_name = "consult/ballots/cast_list.html"
    context_object_name = "ballot"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:50]
        show_voided = self.request.GET.get("voided") == "1"
        casts = selectors.cast_ballots_of(self.object, query=query, include_voided=show_voided)
        context.update(
            query=query,
            show_voided=show_voided,
            page_obj=Paginator(casts, self.paginate_by).get_page(self.request.GET.get("page")),
            can_void=self.object.status == BallotStatus.OPEN,
        )
        return context


class CastBallotVoidView(ObjectPermissionMixin, FormView):
    permission_required = "consult.enter_ballot"
    template_name = "consult/ballots/confirm.html"

    def get_cast(self) -> CastBallot:
        if not hasattr(self, "_cast"):
            self._cast = get_object_or_404(
                CastBallot.objects.select_related("ballot__community", "household__unit__building", "option"),
                pk=self.kwargs["pk"],
            )
        return self._cast

    def get_permission_object(self):
        return self.get_cast().ballot

    def get_form(self, form_class=None):
        return ReasonForm(**self.get_form_kwargs(), submit_label=_("Void this ballot"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cast = self.get_cast()
        context.update(ballot=cast.ballot, community=cast.ballot.community, cast=cast)
        context["heading"] = _("Void a ballot")
        context["explanation"] = _(
            "%(household)s, %(option)s, %(channel)s. A voided ballot stays on record with your name and reason, "
            "is not counted, and the household may vote again."
        ) % {"household": cast.household, "option": cast.option.display_label, "channel": cast.get_channel_display()}
        return context

    def form_valid(self, form):
        cast = self.get_cast()
        with refusals_as_messages(self.request):
            services.void_cast_ballot(cast=cast, by=self.request.user, reason=form.cleaned_data["reason"])
            messages.success(self.request, _("The ballot was voided. The household may vote again."))
        return redirect("consult:ballot_casts", cast.ballot_id)


# --- printables ---


class BallotPaperView(BallotObjectMixin, DetailView):
    """Printable paper ballots, one per household and page, numbered when the ballot opened.
    Printed per building or unit so a stack goes to one stairwell."""

    permission_required = "consult.manage_ballot"
    template_name = "consult/ballots/paper.html"
    context_object_name = "ballot"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.object
        context["options"] = list(ballot.options.all())
        eligible = EligibleHousehold.objects.filter(ballot=ballot)
        context["units"] = (
            eligible.values("unit_id", "unit__name", "building__name", "building_id")
            .annotate(n=Count("pk"))
            .order_by("building__sort_key", "building__name", "unit__sort_key", "unit__name")
        )
        unit, building = parse_id(self.request.GET.get("unit")), parse_id(self.request.GET.get("building"))
        if unit is not None:
            eligible = eligible.filter(unit_id=unit)
        elif building is not None:
            eligible = eligible.filter(building_id=building)
        elif ballot.status == BallotStatus.OPEN and eligible.count() > PAPER_BATCH_LIMIT:
            context["choose"] = True
            return context
        context["papers"] = eligible.select_related("household__unit__building__compound").order_by("serial")
        return context


class BallotNoticeView(DetailView):
    """The printable result notice (公示). Public once published; staff may preview it
    after counting."""

    template_name = "consult/ballots/notice.html"
    context_object_name = "ballot"

    def get_queryset(self):
        return ballot_queryset().filter(status=BallotStatus.CLOSED)

    def get_object(self, queryset=None):
        ballot = super().get_object(queryset)
        if ballot.published_at is None and not self.request.user.has_perm("consult.view_ballot", ballot):
            raise Http404
        return ballot

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        options = list(self.object.options.all())
        context["result"] = selectors.stored_result(self.object, options)
        context["objection_count"] = self.object.objections.count() if self.object.published_at else 0
        context["now"] = timezone.now()
        return context


# --- public and residents ---


class BallotPublicView(DetailView):
    """What anyone may see: the question, and whether it is open; the result once published.
    No turnout while open (it would tell neighbours who has not voted yet), no names ever."""

    template_name = "consult/ballots/public.html"
    context_object_name = "ballot"

    def get_queryset(self):
        return ballot_queryset().exclude(status=BallotStatus.DRAFT)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.object
        now = timezone.now()
        options = list(ballot.options.all())
        context.update(now=now, phase=ballot.phase(now), options=options)
        context["phase_label"] = PHASE_LABELS[context["phase"]]
        if ballot.published_at:
            context["result"] = selectors.stored_result(ballot, options)
        if self.request.household is not None:
            context["eligible"] = household_has_perm(self.request.household, "consult.vote_ballot", ballot)
        return context


class BallotVoteView(HouseholdRequiredMixin, TemplateView):
    template_name = "consult/ballots/vote.html"

    def get_ballot(self) -> Ballot:
        if not hasattr(self, "_ballot"):
            self._ballot = get_object_or_404(ballot_queryset().exclude(status=BallotStatus.DRAFT), pk=self.kwargs["pk"])
        return self._ballot

    def eligible(self) -> bool:
        return household_has_perm(self.household, "consult.vote_ballot", self.get_ballot())

    def get(self, request, *args, **kwargs):
        return self.render_page(VoteForm(ballot=self.get_ballot()))

    def render_page(self, form, error=""):
        ballot = self.get_ballot()
        if not self.eligible():
            return render(
                self.request,
                "consult/ballots/not_eligible.html",
                {"ballot": ballot, "household": self.household},
                status=403,
            )
        now = timezone.now()
        existing = (
            CastBallot.objects.valid().filter(ballot=ballot, household=self.household).select_related("option").first()
        )
        context = {
            "ballot": ballot,
            "household": self.household,
            "form": form,
            "existing": existing,
            "accepting": ballot.is_accepting_online(now),
            "phase": ballot.phase(now),
            "phase_label": PHASE_LABELS[ballot.phase(now)],
            "error": error,
            "now": now,
        }
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        ballot = self.get_ballot()
        if not self.eligible():
            return self.render_page(VoteForm(ballot=ballot))
        form = VoteForm(request.POST, ballot=ballot)
        if not form.is_valid():
            return self.render_page(form)
        channel, entered_by = household_actor(request)
        try:
            services.cast_ballot(
                ballot=ballot,
                household=self.household,
                option=form.cleaned_data["option"],
                channel=channel,
                entered_by=entered_by,
            )
        except services.BallotError as error:
            return self.render_page(form, error=error.message)
        messages.success(request, _("Thank you. Your household's vote has been recorded."))
        return redirect("consult:ballot_vote", ballot.pk)


class ResidentObjectionView(ServiceFormMixin, HouseholdRequiredMixin, FormView):
    """A household raises an objection during the public notice period."""

    template_name = "consult/ballots/objection_resident.html"
    form_class = ResidentObjectionForm
    permission_required = "consult.object_to_ballot"

    def get_permission_denied_message(self):
        return _("This ballot concerns another compound.")

    def get_permission_object(self) -> Ballot:
        return self.get_ballot()

    def get_ballot(self) -> Ballot:
        if not hasattr(self, "_ballot"):
            queryset = ballot_queryset().filter(published_at__isnull=False)
            self._ballot = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._ballot

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.get_ballot()
        now = timezone.now()
        context.update(ballot=ballot, household=self.household, open_for_objections=ballot.in_notice_period(now))
        return context

    def form_valid_service(self, form):
        ballot = self.get_ballot()
        channel, entered_by = household_actor(self.request)
        services.objection_record(
            ballot=ballot,
            household=self.household,
            text=form.cleaned_data["text"],
            channel=channel,
            entered_by=entered_by,
        )
        messages.success(self.request, _("Your objection was received. The community office will reply."))
        return redirect("consult:ballot_public", ballot.pk)


class StaffObjectionView(ServiceFormMixin, BallotObjectMixin, FormView):
    permission_required = "consult.handle_objection"
    template_name = "consult/ballots/confirm.html"

    def get_form(self, form_class=None):
        return ObjectionForm(**self.get_form_kwargs(), ballot=self.get_object())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Record an objection")
        return context

    def form_valid_service(self, form):
        ballot = self.get_object()
        data = form.cleaned_data
        services.objection_record(
            ballot=ballot,
            household=data["household"],
            name=data["name"],
            text=data["text"],
            channel=data["channel"],
            entered_by=self.request.user,
        )
        messages.success(self.request, _("The objection was recorded."))
        return redirect(ballot)


class ObjectionReplyView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "consult.handle_objection"
    template_name = "consult/ballots/confirm.html"
    form_class = ReplyForm

    def get_objection(self) -> BallotObjection:
        if not hasattr(self, "_objection"):
            self._objection = get_object_or_404(
                BallotObjection.objects.select_related("ballot__community"), pk=self.kwargs["pk"]
            )
        return self._objection

    def get_permission_object(self):
        return self.get_objection().ballot

    def get_initial(self):
        return {"reply": self.get_objection().reply}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objection = self.get_objection()
        context.update(
            ballot=objection.ballot, community=objection.ballot.community, heading=_("Reply to the objection")
        )
        context["explanation"] = objection.text
        return context

    def form_valid_service(self, form):
        objection = self.get_objection()
        services.objection_reply(objection=objection, reply=form.cleaned_data["reply"], by=self.request.user)
        messages.success(self.request, _("The reply was saved."))
        return redirect(objection.ballot)
