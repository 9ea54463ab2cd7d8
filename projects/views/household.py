"""The one way a page acts for a resident's household.

Residents sign in with their household's code, not an account; ``HouseholdMiddleware`` puts
the household on ``request.household``. ``HouseholdRequiredMixin`` is django-rules'
``PermissionRequiredMixin`` with the household as the principal: ``permission_required``
names household permissions (``projects.rules.household_rules``), checked against
``get_permission_object()``. Without a household the visitor is sent to enter the code and
brought back; a household without the permission gets 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from rules.contrib.views import PermissionRequiredMixin

from ..rules import household_has_perm


def household_code_entry_url(request) -> str:
    return f"{reverse('projects:household_enter')}?{urlencode({'next': request.get_full_path()})}"


class HouseholdRequiredMixin(PermissionRequiredMixin):
    """Resident pages: a household must be acting, and hold ``permission_required`` (if set).

    Pages that answer differently (a message on a POST, a page of their own) override
    ``household_missing`` or ``household_refused``; ``self.household`` is set first."""

    permission_required = ()

    def get_permission_required(self):
        perms = self.permission_required
        return (perms,) if isinstance(perms, str) else tuple(perms)

    def has_permission(self) -> bool:
        self.household = self.request.household
        if self.household is None:
            return False
        perms = self.get_permission_required()
        if not perms:
            return True
        obj = self.get_permission_object()
        return all(household_has_perm(self.household, perm, obj) for perm in perms)

    def handle_no_permission(self):
        if self.household is None:
            return self.household_missing()
        return self.household_refused()

    def household_refused(self):
        raise PermissionDenied(self.get_permission_denied_message())

    def household_missing(self):
        messages.info(self.request, _("Enter your household code first."))
        return redirect(household_code_entry_url(self.request))
