"""Household codes: the resident's entry page and home, and the staff pages that issue,
reissue, revoke and print the letters."""

import segno
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from .. import ratelimit
from ..forms.identity import CodeEntryForm, IssueCodesForm, RevokeCodeForm
from ..identity import act_as_household
from ..models import Building, Community, Household, Unit
from ..sections import compound_codes_panels, household_sections
from ..services.identity import (
    CodeError,
    IssuedCode,
    check_household_code,
    failure_alarm,
    issue_household_code,
    issue_household_codes,
    revoke_household_code,
)
from ..site_address import is_loopback, public_base_url
from .common import safe_next
from .household import HouseholdRequiredMixin
from .mixins import ObjectPermissionMixin

HOUSEHOLD_RELATED = "unit__building__compound__community"
ACTIVE_CODE = Q(households__access_codes__pk__isnull=False, households__access_codes__revoked_at__isnull=True)


def _home_or_next(request) -> str:
    return safe_next(request, reverse("projects:household_home"))


@method_decorator(never_cache, name="dispatch")
class CodeEntryView(FormView):
    """Public, phone-first: type the code from the letter, or scan its QR code.

    The code never travels in a URL the server sees. The letter's QR code opens
    ``/h/#CODE``: browsers do not send the fragment, so the code stays out of access and
    proxy logs, and ``static/js/code-fragment.js`` copies it into the form and submits it.
    A right code then asks "enter the household page of 5号楼1单元101?", and only that
    second POST (CSRF-protected, like the first) signs in. So a page elsewhere cannot sign
    a visitor in as another household (login CSRF), and a planted QR code shows whose page
    it opens before it opens it. Without JavaScript the resident types the code."""

    template_name = "projects/identity/enter.html"
    form_class = CodeEntryForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next") or self.request.POST.get("next") or ""
        context["acting"] = self.request.household
        return context

    def form_valid(self, form):
        try:
            record = check_household_code(
                raw_code=form.cleaned_data["code"],
                client_address=ratelimit.client_address(self.request),
                user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
            )
        except CodeError as error:
            form.add_error("code", error.message)
            response = self.form_invalid(form)
            if error.blocked:
                response.status_code = 429
            return response
        if self.request.POST.get("confirm") != "yes":
            context = self.get_context_data(form=form)
            context["household"] = record.household
            return render(self.request, "projects/identity/confirm.html", context)
        act_as_household(self.request, record.household, code=record)
        return redirect(_home_or_next(self.request))


def code_link(request, code: str):
    """Old letters printed ``/h/<code>/``. Such a link no longer signs in (a GET must not,
    and the code would sit in every log): it sends the visitor to the entry page, without
    the code, to type it in."""
    messages.info(request, _("Please type the code from your letter."))
    return redirect("projects:household_enter")


class HouseholdHomeView(HouseholdRequiredMixin, TemplateView):
    """What the household can do now: every feature adds a section (vote, consent, …)."""

    template_name = "projects/identity/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = self.household
        context["sections"] = household_sections.render_list(self.household, self.request)
        return context


# --- staff: issuing and printing letters ---


def letter_context(issued: list[IssuedCode], community: Community, base: str) -> dict:
    """The letters, each with its QR code as inline SVG (no image files, nothing stored)."""
    letters = []
    for item in issued:
        # The code rides in the fragment, which the phone never sends to the server.
        url = f"{base}{reverse('projects:household_enter')}#{item.code}"
        qr = segno.make(url, error="m", micro=False)
        letters.append(
            {
                "household": item.household,
                "code": item.formatted,
                "last4": item.record.last4,
                "url": url,
                "entry_url": base + reverse("projects:household_enter"),
                "qr_svg": qr.svg_inline(scale=5, border=2),
                "issued_at": item.record.issued_at,
            }
        )
    return {"letters": letters, "community": community, "loopback_address": is_loopback(base)}


def render_letters(request, issued: list[IssuedCode], community: Community, back_url: str):
    """The letters are shown once, in the response to the POST that made the codes; the
    database cannot show them again. ``no-store`` keeps them out of the browser cache."""
    context = letter_context(issued, community, public_base_url(request))
    context["back_url"] = back_url
    response = render(request, "projects/identity/letters.html", context)
    response["Cache-Control"] = "no-store"
    return response


class CodesOverviewView(ObjectPermissionMixin, DetailView):
    """Which households have a code, per compound, then per building and unit of one."""

    permission_required = "projects.manage_household_codes"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/identity/codes.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compounds = self.object.compounds.annotate(
            household_count=Count("buildings__units__households", distinct=True),
            with_code=Count(
                "buildings__units__households",
                filter=Q(
                    buildings__units__households__access_codes__pk__isnull=False,
                    buildings__units__households__access_codes__revoked_at__isnull=True,
                ),
                distinct=True,
            ),
        ).order_by("name")
        context["compounds"] = compounds
        context["code_alarm"] = failure_alarm()
        compound_id = self.request.GET.get("compound", "")
        chosen = next((c for c in compounds if str(c.pk) == compound_id), None)
        context["chosen"] = chosen
        if chosen is not None:
            context["panels"] = compound_codes_panels.render_list(chosen, self.request)
            context["units"] = (
                Unit.objects.filter(building__compound=chosen)
                .select_related("building")
                .annotate(
                    household_count=Count("households", distinct=True),
                    with_code=Count("households", filter=ACTIVE_CODE, distinct=True),
                )
                .order_by("building__sort_key", "building__name", "sort_key", "name")
            )
        return context


class IssueLettersView(ObjectPermissionMixin, FormView):
    """A batch of letters for a building or a unit: GET asks whom for, POST issues the
    codes and shows the printable letters (one per page)."""

    permission_required = "projects.manage_household_codes"
    template_name = "projects/identity/issue.html"
    form_class = IssueCodesForm
    model = None

    def get_queryset(self):
        if self.model is Building:
            return Building.objects.select_related("compound__community")
        return Unit.objects.select_related("building__compound__community")

    def households(self):
        target = self.get_object()
        lookup = {"unit__building": target} if self.model is Building else {"unit": target}
        return (
            Household.objects.filter(**lookup)
            .select_related(HOUSEHOLD_RELATED)
            .order_by("unit__sort_key", "unit__name", "floor", "room")
        )

    def community(self):
        target = self.get_object()
        return target.compound.community if self.model is Building else target.building.compound.community

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.get_object()
        context["target"] = target
        context["community"] = self.community()
        context["counts"] = self.households().aggregate(
            households=Count("pk", distinct=True),
            with_code=Count(
                "pk", filter=Q(access_codes__pk__isnull=False, access_codes__revoked_at__isnull=True), distinct=True
            ),
        )
        return context

    def form_valid(self, form):
        replace = form.cleaned_data["replace"] == "all"
        issued = issue_household_codes(households=self.households(), by=self.request.user, replace=replace)
        community = self.community()
        back = f"{reverse('projects:household_codes', args=[community.pk])}?compound={self._compound_id()}"
        if not issued:
            messages.info(self.request, _("Every household here already has a code. Nothing was issued."))
            return redirect(back)
        return render_letters(self.request, issued, community, back)

    def _compound_id(self):
        target = self.get_object()
        return target.compound_id if self.model is Building else target.building.compound_id


class HouseholdCodeView(ObjectPermissionMixin, DetailView):
    """One household's code history (who issued or revoked each, when, why); issue or
    reissue a single letter; revoke."""

    permission_required = "projects.manage_household_codes"
    queryset = Household.objects.select_related(HOUSEHOLD_RELATED)
    template_name = "projects/identity/household_code.html"
    context_object_name = "household"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["codes"] = self.object.access_codes.select_related("issued_by", "revoked_by")
        context["active"] = next((c for c in context["codes"] if c.is_active), None)
        context["revoke_form"] = kwargs.get("revoke_form") or RevokeCodeForm()
        return context

    def post(self, request, *args, **kwargs):
        household = self.get_object()
        self.object = household
        if "revoke" in request.POST:
            form = RevokeCodeForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(revoke_form=form))
            count = revoke_household_code(household=household, by=request.user, reason=form.cleaned_data["reason"])
            if count:
                messages.success(request, _("The code was revoked. It no longer works, and its sessions have ended."))
            else:
                messages.info(request, _("This household had no active code."))
            return redirect("projects:household_code", household.pk)
        issued = issue_household_code(household=household, by=request.user, now=timezone.now())
        community = household.unit.building.compound.community
        return render_letters(request, [issued], community, reverse("projects:household_code", args=[household.pk]))
