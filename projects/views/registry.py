"""Staff pages for the housing registry: community → compound → building → unit → household."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from ..forms import HouseholdForm, HouseholdSearchForm
from ..models import Building, Community, Compound, Household, Unit
from ..sections import dashboard_panels, household_staff_panels
from ..selectors import registry as selectors
from ..services.registry import household_update, log_sensitive_access
from .mixins import ObjectPermissionMixin, ServiceFormMixin

HOUSEHOLD_RELATED = "unit__building__compound__community"


class CommunityView(ObjectPermissionMixin, DetailView):
    """The community's overview and staff dashboard: every feature's panel (projects by
    stage, overdue action items, open ballots, sign-off progress…), then the registry."""

    permission_required = "projects.view_community"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/registry/community.html"
    context_object_name = "community"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("projects.view_registry", self.object):
            context["compounds"] = selectors.compounds_with_counts(user, self.object)
            context["totals"] = selectors.community_totals(user, self.object)
        context["search_form"] = HouseholdSearchForm()
        context["panels"] = dashboard_panels.render_list(self.object, self.request)
        return context


class CompoundView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_registry"
    queryset = Compound.objects.select_related("community__sub_district")
    template_name = "projects/registry/compound.html"
    context_object_name = "compound"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["buildings"] = selectors.buildings_with_counts(self.request.user, self.object)
        return context


class BuildingView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_registry"
    queryset = Building.objects.select_related("compound__community")
    template_name = "projects/registry/building.html"
    context_object_name = "building"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["units"] = selectors.units_with_counts(self.object)
        return context


class UnitView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_registry"
    queryset = Unit.objects.select_related("building__compound__community")
    template_name = "projects/registry/unit.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["households"] = selectors.households_of_unit(self.object)
        return context


class HouseholdView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_registry"
    queryset = Household.objects.select_related(HOUSEHOLD_RELATED)
    template_name = "projects/registry/household.html"
    context_object_name = "household"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("projects.view_care_flags", self.object):
            log_sensitive_access(
                user=self.request.user, household=self.object, context="household page", request=self.request
            )
        context["changes"] = self.object.changes.select_related("changed_by")[:50]
        context["ownerships"] = selectors.ownerships_of(self.object)
        context["panels"] = household_staff_panels.render_list(self.object, self.request)
        return context


OWNER_FORM_FIELDS = ("owner_kind", "owner_reference")  # owners go to the service as one OwnerSpec


class HouseholdEditView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "projects.change_household"
    template_name = "projects/registry/household_form.html"
    form_class = HouseholdForm

    def get_queryset(self):
        return Household.objects.select_related(HOUSEHOLD_RELATED)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        kwargs["can_edit_care_flags"] = self.request.user.has_perm("projects.view_care_flags", self.get_object())
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = self.get_object()
        return context

    def form_valid_service(self, form):
        household = self.get_object()
        # The form has already written the cleaned values onto a copy; hand them to the
        # service, which re-reads the row under a lock and records the difference.
        data = {name: form.cleaned_data[name] for name in form.fields if name not in OWNER_FORM_FIELDS}
        household.refresh_from_db()
        change = household_update(
            household=household, data=data, by=self.request.user, owners=form.cleaned_data["owners"]
        )
        if change is None:
            messages.info(self.request, _("Nothing was changed."))
        else:
            messages.success(self.request, _("Household saved."))
        return redirect(household)


class HouseholdSearchView(ObjectPermissionMixin, DetailView):
    permission_required = "projects.view_registry"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/registry/search.html"
    context_object_name = "community"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = HouseholdSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        results = selectors.search_households(self.request.user, self.object, query)
        context["form"] = form
        context["query"] = query
        context["page_obj"] = Paginator(results, self.paginate_by).get_page(self.request.GET.get("page"))
        return context
