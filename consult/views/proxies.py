"""Staff pages of written authorisations (委托书): record one from the household page, revoke
it with a reason, and open its photo. The list itself is a panel of the household page
(``consult.hooks.proxies``). Names and phones stay on staff pages."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from projects.models import Household
from projects.views.mixins import ObjectPermissionMixin, ServiceFormMixin

from ..forms.ballots import ReasonForm
from ..forms.proxies import ProxyForm
from ..models import ProxyAuthorisation
from ..services import proxies as services

HOUSEHOLD_RELATED = "unit__building__compound__community"


class ProxyAddView(ServiceFormMixin, ObjectPermissionMixin, FormView):
    permission_required = "consult.add_proxy"
    template_name = "consult/proxies/form.html"
    form_class = ProxyForm

    def get_queryset(self):
        return Household.objects.select_related(HOUSEHOLD_RELATED)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["household"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = self.get_object()
        return context

    def form_valid_service(self, form):
        household = self.get_object()
        data = form.cleaned_data
        authorisation = services.proxy_authorise(
            household=household,
            grantor=data.get("grantor"),
            grantor_name=data.get("grantor_name", ""),
            proxy_name=data["proxy_name"],
            proxy_phone=data["proxy_phone"],
            number=data["number"],
            signed_on=data["signed_on"],
            ballot=data["ballot"],
            photo=data["photo"],
            note=data["note"],
            by=self.request.user,
        )
        messages.success(self.request, _("Recorded: %(label)s.") % {"label": authorisation.label})
        return redirect(household)


class AuthorisationMixin(ObjectPermissionMixin):
    """Checks the permission on the authorisation's household."""

    def get_queryset(self):
        return ProxyAuthorisation.objects.select_related(f"household__{HOUSEHOLD_RELATED}")

    def get_permission_object(self):
        return self.get_object().household


class ProxyRevokeView(ServiceFormMixin, AuthorisationMixin, FormView):
    permission_required = "consult.revoke_proxy"
    template_name = "consult/proxies/revoke.html"

    def get_form(self, form_class=None):
        return ReasonForm(**self.get_form_kwargs(), submit_label=_("Revoke the authorisation"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(authorisation=self.get_object(), household=self.get_object().household)
        return context

    def form_valid_service(self, form):
        authorisation = self.get_object()
        services.proxy_revoke(authorisation=authorisation, by=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The authorisation was revoked. Ballots already cast under it stay valid."))
        return redirect(authorisation.household)


class ProxyPhotoView(AuthorisationMixin, View):
    """The photo of an authorisation, streamed only to those who may see the household."""

    permission_required = "consult.view_proxies"

    def get_queryset(self):
        return super().get_queryset().exclude(photo="")

    def get(self, request, *args, **kwargs):
        photo = self.get_object().photo
        try:
            handle = photo.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=mimetypes.guess_type(photo.name)[0] or "application/octet-stream")
        response["Cache-Control"] = "private, no-store"
        return response
