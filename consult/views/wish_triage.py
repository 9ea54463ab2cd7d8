"""Staff pages of the wish list: the triage queue, fast entry of paper wishes, the staff view
of a wish with its life-cycle form, corrections, paper support and the spreadsheet export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.detail import SingleObjectMixin

from projects import audit
from projects.access import staff_access
from projects.errors import add_form_error
from projects.models import Community, Role, SubDistrict
from projects.parsing import parse_id
from projects.spreadsheets import download
from projects.views.mixins import ObjectPermissionMixin, refusals_as_messages

from ..forms.wishes import QueueFilterForm, SupportEntryForm, TriageForm, WishEditForm, WishEntryForm
from ..models import Support, Wish
from ..receipts import format_receipt_code
from ..sections import wish_panels
from ..selectors import wishes as selectors
from ..services.wishes import support_add, support_withdraw, wish_change_status, wish_submit, wish_update
from ..wish_export import wishes_xlsx
from ..wish_lifecycle import TABLE
from .wishes import new_form_token, spend_form_token, wish_for_token

QUEUE_PAGE_SIZE = 50
WISH_RELATED = ("community", "compound", "building", "household__unit__building")


def head_buildings(user, community_id: int):
    """The building ids a building head may work on, or None for everybody else."""
    if getattr(user, "is_superuser", False):
        return None
    access = staff_access(user)
    if access.roles.get(community_id) == Role.BUILDING_HEAD:
        return access.buildings.get(community_id, set())
    return None


def queue_filters(form: QueueFilterForm) -> selectors.QueueFilters:
    values = form.values()
    return selectors.QueueFilters(
        q=(values.get("q") or "").strip(),
        compound=values.get("compound"),
        building=values.get("building"),
        category=values.get("category") or "",
        status=values.get("status") or "",
        channel=values.get("channel") or "",
        meeting=values.get("meeting"),
        project=values.get("project"),
        sort=values.get("sort") or "new",
    )


class CommunityPermissionMixin(ObjectPermissionMixin):
    queryset = Community.objects.select_related("sub_district")

    def get_queryset(self):
        return self.queryset.all()


class WishQueueView(CommunityPermissionMixin, DetailView):
    """Every wish of the community, newest first, with quick status filters."""

    permission_required = "consult.view_wish_queue"
    template_name = "consult/wishes/queue.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QueueFilterForm(self.request.GET, community=self.object)
        filters = queue_filters(form)
        wishes = selectors.wish_queue(self.request.user, self.object, filters)
        context.update(
            form=form,
            filters=filters,
            page_obj=Paginator(wishes, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page")),
            status_counts=selectors.queue_status_counts(self.request.user, self.object),
            export_query=self.request.GET.urlencode(),
        )
        return context


class WishEntryView(CommunityPermissionMixin, View):
    """Typing in a stack of paper questionnaires: "save and enter next" keeps the channel,
    compound and meeting, clears the rest and puts the cursor back in the first field."""

    permission_required = "consult.enter_wish"
    template_name = "consult/wishes/entry.html"

    def form(self, data=None, files=None):
        community = self.get_object()
        initial = {name: self.request.GET.get(name) for name in WishEntryForm.KEPT if self.request.GET.get(name)}
        return WishEntryForm(
            data,
            files,
            community=community,
            building_ids=head_buildings(self.request.user, community.pk),
            initial=initial,
        )

    def render(self, form, token):
        community = self.get_object()
        last = None
        last_pk = parse_id(self.request.GET.get("last"))
        if last_pk is not None:
            last = (
                Wish.objects.filter(pk=last_pk, community=community, entered_by=self.request.user)
                .select_related("household__unit__building", "compound", "building")
                .first()
            )
        today = timezone.localdate()
        entered_today = Wish.objects.filter(
            community=community, entered_by=self.request.user, submitted_at__date=today
        ).count()
        return render(
            self.request,
            self.template_name,
            {
                "community": community,
                "form": form,
                "token": token,
                "last": last,
                "last_receipt": format_receipt_code(last.receipt_code) if last else "",
                "entered_today": entered_today,
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form(), new_form_token())

    def post(self, request, *args, **kwargs):
        token = request.POST.get("token", "")
        form = self.form(request.POST, request.FILES)
        done = wish_for_token(request, token)
        if done:
            messages.info(request, _("That form was already saved as wish No. %(n)d.") % {"n": done})
            return redirect("consult:wish_manage", done)
        if not form.is_valid():
            return self.render(form, token)
        data = form.cleaned_data
        try:
            wish = wish_submit(
                compound=data["compound"],
                title=data["title"],
                category=data["category"],
                channel=data["channel"],
                description=data["description"],
                building=data["building"],
                location=data["location"],
                household=data["household"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                meeting=data["meeting"],
                paper_reference=data["paper_reference"],
                photos=data["photos"],
                entered_by=request.user,
            )
        except ValidationError as error:
            add_form_error(form, error)
            return self.render(form, token)
        spend_form_token(request, token, wish)
        saved = _("Saved as wish No. %(n)d.") % {"n": wish.pk}
        if wish.receipt_code:
            saved += " " + _("Receipt code for the resident: %(code)s") % {
                "code": format_receipt_code(wish.receipt_code)
            }
        messages.success(request, saved)
        if "save_next" in request.POST:
            query = urlencode({**form.kept_values(), "last": wish.pk})
            return redirect(f"{reverse('consult:wish_enter', args=[self.get_object().pk])}?{query}")
        return redirect("consult:wish_manage", wish.pk)


class WishPermissionMixin(ObjectPermissionMixin):
    queryset = Wish.objects.select_related(*WISH_RELATED)

    def get_queryset(self):
        return self.queryset.all()


class WishManageView(WishPermissionMixin, View):
    """The staff page of one wish: contact, photos, supports, full history, and the form
    that moves it on (accept, plan, merge, decline, in progress, done)."""

    permission_required = "consult.view_wish_queue"
    template_name = "consult/wishes/manage.html"

    def render(self, triage_form=None, status=200):
        wish = selectors.wish_page(self.get_object().pk)
        user = self.request.user
        if triage_form is None and user.has_perm("consult.triage_wish", wish):
            triage_form = TriageForm(wish=wish)
        context = {
            "wish": wish,
            "community": wish.community,
            "history": selectors.wish_history(wish, public=False),
            "photos": list(wish.photos.all()),
            "merged_here": list(selectors.merged_into_this(wish)),
            "by_channel": selectors.supports_by_channel(wish),
            "triage_form": triage_form,
            "similar": selectors.similar_wishes(wish) if triage_form is not None else [],
            "allowed_statuses": TABLE.allowed(wish.status),
            "receipt_code": format_receipt_code(wish.receipt_code or ""),
            "panels": wish_panels.render_list(wish, self.request),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        wish = self.get_object()
        if not request.user.has_perm("consult.triage_wish", wish):
            return self.handle_no_permission()
        form = TriageForm(request.POST, wish=wish)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            wish_change_status(
                wish=wish,
                to_status=data["to_status"],
                by=request.user,
                response=data["response"],
                note=data["note"],
                project=data["project"],
                merge_into=data["merge_target"],
            )
        except ValidationError as error:
            add_form_error(form, error)
            return self.render(form)
        messages.success(
            request, _("Wish No. %(n)d is now “%(status)s”.") % {"n": wish.pk, "status": wish.get_status_display()}
        )
        return redirect("consult:wish_manage", wish.pk)


class WishEditView(WishPermissionMixin, View):
    permission_required = "consult.change_wish"
    template_name = "consult/wishes/edit.html"

    def form(self, data=None, files=None):
        # The form works on its own copy; the service re-reads the row under a lock.
        instance = Wish.objects.select_related("compound").get(pk=self.get_object().pk)
        return WishEditForm(data, files, instance=instance)

    def render(self, form):
        wish = self.get_object()
        return render(self.request, self.template_name, {"wish": wish, "community": wish.community, "form": form})

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        data = {name: form.cleaned_data[name] for name in WishEditForm.Meta.fields}
        try:
            change = wish_update(
                wish=self.get_object(),
                by=request.user,
                data=data,
                remove_photos=form.cleaned_data["remove_photos"],
                add_photos=form.cleaned_data["add_photos"],
            )
        except ValidationError as error:
            add_form_error(form, error)
            return self.render(form)
        if change is None:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, _("Corrections saved."))
        return redirect("consult:wish_manage", self.get_object().pk)


class SupportEntryView(WishPermissionMixin, View):
    """Support gathered on paper or at a meeting, typed in household by household."""

    permission_required = "consult.record_support"
    template_name = "consult/wishes/supports.html"

    def form(self, data=None):
        wish = self.get_object()
        initial = {"channel": self.request.GET.get("channel")} if self.request.GET.get("channel") else {}
        return SupportEntryForm(
            data, wish=wish, building_ids=head_buildings(self.request.user, wish.community_id), initial=initial
        )

    def render(self, form):
        wish = selectors.wish_page(self.get_object().pk)
        supports = Paginator(selectors.wish_supports(wish), 50).get_page(self.request.GET.get("page"))
        return render(
            self.request,
            self.template_name,
            {"wish": wish, "community": wish.community, "form": form, "page_obj": supports},
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form)
        wish = self.get_object()
        household = form.cleaned_data["household"]
        try:
            support = support_add(
                wish=wish,
                household=household,
                channel=form.cleaned_data["channel"],
                entered_by=request.user,
                paper_reference=form.cleaned_data["paper_reference"],
            )
        except ValidationError as error:
            add_form_error(form, error, default_field="household_address")
            return self.render(form)
        messages.success(
            request,
            _("Support of %(household)s recorded for wish No. %(n)d.")
            % {
                "household": f"{household.unit.building.name}{household.unit.name}{household.room}",
                "n": support.wish_id,
            },
        )
        query = urlencode({"channel": form.cleaned_data["channel"]})
        return redirect(f"{reverse('consult:wish_supports', args=[wish.pk])}?{query}")


class SupportWithdrawView(WishPermissionMixin, View):
    """Staff take back a support for a resident who asked in person (the row is kept)."""

    permission_required = "consult.record_support"

    def post(self, request, pk, support_pk):
        wish = self.get_object()
        support = get_object_or_404(
            Support.objects.select_related("household"), pk=support_pk, wish=wish, withdrawn_at__isnull=True
        )
        with refusals_as_messages(request):
            support_withdraw(wish=wish, household=support.household, by=request.user)
            messages.success(request, _("Support withdrawn."))
        return redirect("consult:wish_supports", wish.pk)


class WishExportView(CommunityPermissionMixin, View):
    """The queue as an .xlsx for the office, with the queue's filters. Phone numbers appear
    in full only for users allowed to see them."""

    permission_required = "consult.export_wishes"

    def get(self, request, *args, **kwargs):
        community = self.get_object()
        form = QueueFilterForm(request.GET, community=community)
        rows = selectors.export_rows(request.user, community, queue_filters(form))
        can_view_phone = request.user.has_perm("projects.view_phone", community)
        content = wishes_xlsx(rows, can_view_phone=can_view_phone)
        audit.record_export(
            request, community=community, what="wishes", filters=request.GET.urlencode(), phones=can_view_phone
        )
        day = f"{timezone.localdate():%Y%m%d}"
        name = _("%(community)s wish list %(date)s") % {"community": community.name, "date": day}
        return download(content, filename=f"{name}.xlsx", fallback=f"wishes-{community.pk}-{day}.xlsx")


class SubDistrictWishExportView(ObjectPermissionMixin, SingleObjectMixin, View):
    """Every wish of every community of the sub-district, for the 街道 office. Its staff
    see no phone numbers in the community queues, so they are masked here too; only a
    system administrator gets them in full."""

    permission_required = "consult.export_sub_district_wishes"
    queryset = SubDistrict.objects.all()

    def get(self, request, *args, **kwargs):
        sub_district = self.get_object()
        can_view_phone = request.user.is_superuser
        content = wishes_xlsx(
            selectors.sub_district_export_rows(sub_district), can_view_phone=can_view_phone, with_community=True
        )
        audit.record_export(
            request, community=None, what="sub-district wishes", obj=sub_district, phones=can_view_phone
        )
        day = f"{timezone.localdate():%Y%m%d}"
        name = _("%(sub_district)s wish list %(date)s") % {"sub_district": sub_district.name, "date": day}
        return download(content, filename=f"{name}.xlsx", fallback=f"wishes-sub-district-{sub_district.pk}-{day}.xlsx")
