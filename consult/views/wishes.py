"""Public and resident pages of the wish list: no login anywhere.

A resident acts as their household (after entering its code, see ``projects.identity``) or,
without one, leaves a name and phone and gets a receipt code. Public pages show aggregates
and masked submitters only."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from projects import pagecache
from projects.errors import add_form_error
from projects.models import Channel, Compound
from projects.ratelimit import Limit, hit_request, is_request_limited
from projects.rules import household_has_perm
from projects.views.common import safe_next
from projects.views.household import HouseholdRequiredMixin
from projects.views.mixins import refusals_as_messages

from ..forms.wishes import PublicWishFilterForm, ReceiptLookupForm, WishSubmitForm
from ..models import Support, Wish
from ..receipts import format_receipt_code
from ..selectors import wishes as selectors
from ..services.wishes import NotYourCompound, support_add, support_withdraw, wish_submit
from ..signals import sms_consent_given
from ..wish_lifecycle import OPEN_FOR_SUPPORT, accepts_support

RECEIPT_LOOKUPS = Limit("wish-receipt", max_hits=10, window_seconds=15 * 60)
ONLINE_SUBMISSIONS = Limit("wish-submit", max_hits=30, window_seconds=60 * 60)
SESSION_RECEIPTS = "wish_receipts"  # wish id → receipt code the visitor has shown to hold
SESSION_TOKENS = "wish_form_tokens"  # one-time form token → wish id it created
PAGE_SIZE = 20


def household_of_compound(request, obj):
    """The acting household, if it may act in the compound of ``obj`` (its own compound)."""
    household = request.household
    return household if household_has_perm(household, "projects.act_in_compound", obj) else None


def remember_receipt(request, wish: Wish) -> None:
    receipts = request.session.get(SESSION_RECEIPTS, {})
    receipts[str(wish.pk)] = wish.receipt_code
    request.session[SESSION_RECEIPTS] = receipts


def held_receipt(request, wish: Wish) -> str:
    code = request.session.get(SESSION_RECEIPTS, {}).get(str(wish.pk), "")
    return code if code and code == wish.receipt_code else ""


def new_form_token() -> str:
    return uuid.uuid4().hex


def wish_for_token(request, token: str) -> int | None:
    """The wish a form token already created: a second tap on "submit" must not file twice."""
    return request.session.get(SESSION_TOKENS, {}).get(token) if token else None


def spend_form_token(request, token: str, wish: Wish) -> None:
    if not token:
        return
    tokens = request.session.get(SESSION_TOKENS, {})
    if len(tokens) > 200:  # a long entry session: forget the oldest
        tokens = dict(list(tokens.items())[-100:])
    tokens[token] = wish.pk
    request.session[SESSION_TOKENS] = tokens


class CompoundMixin:
    def dispatch(self, request, *args, **kwargs):
        self.compound = get_object_or_404(Compound.objects.select_related("community"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class WishListView(CompoundMixin, TemplateView):
    """The compound's public wish list: filter, sort by support or date, no personal data."""

    template_name = "consult/wishes/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PublicWishFilterForm(self.request.GET, compound=self.compound)
        values = form.values()
        filters = {
            "category": values["category"] or "",
            "status": values["status"] or "",
            "building": values["building"],
            "sort": values["sort"] or "support",
        }
        page, totals = self.shown(filters, self.request.GET.get("page") or "")
        household = household_of_compound(self.request, self.compound)
        supported = set()
        if household is not None:
            supported = set(
                Support.objects.filter(
                    household=household, withdrawn_at__isnull=True, wish__in=[w.pk for w in page]
                ).values_list("wish_id", flat=True)
            )
        context.update(
            compound=self.compound,
            form=form,
            page_obj=page,
            household=household,
            supported=supported,
            open_statuses=OPEN_FOR_SUPPORT,
            totals=totals,
        )
        return context

    def shown(self, filters: dict, raw_page: str):
        """The page of wishes and the compound's totals: the same for every visitor, so they
        come from the page cache (``projects.pagecache``) until the next write. With 4,800
        wishes in one compound on PostgreSQL, the totals and the page count were 33 of the
        page's 42 ms of SQL even with the kept support count."""
        building = filters["building"]
        page_key = raw_page[:12] if raw_page.isdecimal() else "1"
        name = "wishlist:{}:{}:{}:{}:{}:{}".format(
            self.compound.pk,
            filters["category"],
            filters["status"],
            building.pk if building else "",
            filters["sort"],
            page_key,
        )

        def compute():
            page = selectors.public_wish_page(self.compound, page=page_key, per_page=PAGE_SIZE, **filters)
            return (*page, selectors.compound_wish_totals(self.compound))

        rows, number, count, totals = pagecache.cached(name, self.compound.community_id, compute)
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = count  # the cached count of the whole list, not of this page
        return Page(rows, number, paginator), totals


class WishSubmitView(CompoundMixin, View):
    """A resident's own wish, from the noticeboard or a QR poster, on a phone."""

    template_name = "consult/wishes/submit.html"

    def form(self, data=None, files=None):
        household = household_of_compound(self.request, self.compound)
        return WishSubmitForm(data, files, compound=self.compound, household=household)

    def render(self, form, token, status=200):
        acting = self.request.household
        context = {
            "compound": self.compound,
            "form": form,
            "token": token,
            "other_compound_household": acting if acting is not None and form.household is None else None,
            "limited": False,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.form(), new_form_token())

    def post(self, request, *args, **kwargs):
        token = request.POST.get("token", "")
        done = wish_for_token(request, token)
        if done:
            return redirect("consult:wish_submitted", done)
        form = self.form(request.POST, request.FILES)
        if is_request_limited(request, ONLINE_SUBMISSIONS):
            form.is_valid()
            form.add_error(None, _("Too many wishes from this connection. Please try again in an hour."))
            return self.render(form, token, status=429)
        if not form.is_valid():
            return self.render(form, token)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                wish = self.submit(form, data)
        except ValidationError as error:
            add_form_error(form, error)
            return self.render(form, token)
        hit_request(request, ONLINE_SUBMISSIONS)
        spend_form_token(request, token, wish)
        if wish.receipt_code:
            remember_receipt(request, wish)
        return redirect("consult:wish_submitted", wish.pk)

    def submit(self, form, data) -> Wish:
        """The wish and, when ticked, the resident's own consent to SMS (channel online, from
        the household when signed in), together or not at all."""
        wish = wish_submit(
            compound=self.compound,
            title=data["title"],
            category=data["category"],
            channel=Channel.ONLINE,
            description=data["description"],
            building=data["building"],
            location=data["location"],
            household=form.household,
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            photos=data["photos"],
        )
        phone = form.sms_consent_phone()
        if phone:
            sms_consent_given.send(
                sender=Wish,
                community=self.compound.community,
                household=form.household,
                phone=phone,
                note=gettext("Ticked when submitting wish #%(pk)s") % {"pk": wish.pk},
            )
        return wish


class WishSubmittedView(View):
    """Thanks, with the receipt code shown once to whoever just submitted (kept in their session)."""

    def get(self, request, pk):
        wish = get_object_or_404(Wish.objects.select_related("compound"), pk=pk)
        tokens = request.session.get(SESSION_TOKENS, {})
        if pk not in tokens.values():
            return redirect(wish)
        code = held_receipt(request, wish)
        return render(
            request,
            "consult/wishes/submitted.html",
            {"wish": wish, "receipt_code": format_receipt_code(code), "compound": wish.compound},
        )


class WishDetailView(TemplateView):
    """A wish in public: what, where, support, and every answer the community gave."""

    template_name = "consult/wishes/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            wish = selectors.wish_page(self.kwargs["pk"])
        except Wish.DoesNotExist as error:
            raise Http404 from error
        household = household_of_compound(self.request, wish)
        context.update(
            wish=wish,
            compound=wish.compound,
            history=selectors.wish_history(wish, public=True),
            photos=list(wish.photos.all()),
            merged_here=list(selectors.merged_into_this(wish)),
            household=household,
            my_support=selectors.household_support(wish, household),
            can_support=accepts_support(wish.status),
            receipt_code=format_receipt_code(held_receipt(self.request, wish)),
        )
        return context


class SupportView(HouseholdRequiredMixin, View):
    """POST: the acting household backs (or, with ``withdraw``, stops backing) a wish."""

    http_method_names = ["post"]
    permission_required = "consult.support_wish"
    withdraw = False

    def get_permission_object(self) -> Wish:
        if not hasattr(self, "wish"):
            self.wish = get_object_or_404(Wish.objects.select_related("compound"), pk=self.kwargs["pk"])
        return self.wish

    def back(self):
        return HttpResponseRedirect(safe_next(self.request, self.get_permission_object().get_absolute_url()))

    def household_missing(self):
        messages.error(
            self.request,
            _("To support a wish, enter your household code first, or ask your building head or the community office."),
        )
        return self.back()

    def household_refused(self):
        messages.error(self.request, " ".join(NotYourCompound().messages))
        return self.back()

    def post(self, request, pk):
        wish, household = self.get_permission_object(), self.household
        with refusals_as_messages(request):
            if self.withdraw:
                support_withdraw(wish=wish, household=household)
                messages.success(request, _("Your support has been withdrawn."))
            else:
                support = support_add(wish=wish, household=household)
                if support.wish_id != wish.pk:
                    messages.success(
                        request,
                        _("This wish was merged into No. %(n)d; your support was counted there.")
                        % {"n": support.wish_id},
                    )
                else:
                    messages.success(request, _("Thank you: your household now supports this wish."))
        return self.back()


class ReceiptLookupView(View):
    """Find a wish by its receipt code. A wrong code, a malformed one and a locked-out client
    get answers that tell nothing about which codes exist."""

    template_name = "consult/wishes/receipt.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ReceiptLookupForm()})

    def post(self, request):
        form = ReceiptLookupForm(request.POST)
        if hit_request(request, RECEIPT_LOOKUPS):
            form.is_valid()
            form.add_error(None, _("Too many attempts. Please wait 15 minutes, or call the community office."))
            return render(request, self.template_name, {"form": form}, status=429)
        wish = None
        if form.is_valid() and form.cleaned_data["code"]:
            wish = Wish.objects.filter(receipt_code=form.cleaned_data["code"]).first()
        if wish is None:
            if form.is_valid():
                form.add_error("code", _("No wish matches this code. Check it and try again."))
            return render(request, self.template_name, {"form": form})
        remember_receipt(request, wish)
        return redirect(reverse("consult:wish", args=[wish.pk]) + "#mine")
