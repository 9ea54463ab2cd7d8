from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from rules.contrib.views import PermissionRequiredMixin

from ..errors import add_form_error


class ObjectPermissionMixin(PermissionRequiredMixin):
    """Check ``permission_required`` against the page's object, loaded once.

    Anonymous users are sent to the login page; signed-in users without the permission get
    403. Subclasses set ``queryset`` (with the ``select_related`` their templates need) or
    override ``get_permission_object``.
    """

    pk_url_kwarg = "pk"

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            qs = queryset if queryset is not None else self.get_queryset()
            self._object = get_object_or_404(qs, pk=self.kwargs[self.pk_url_kwarg])
        return self._object

    def get_permission_object(self):
        return self.get_object()


class ServiceFormMixin:
    """A form view whose valid form goes to a service: the one place a refusal becomes a form error.

    Subclasses implement ``form_valid_service(form)``, which calls the service and returns
    the response for success (a redirect, usually). A ``ValidationError`` it raises, a
    ``ServiceError`` or a model's ``full_clean`` error, is put on the form next to the
    field it names (``service_error_field`` for errors naming none, else above the form),
    and the form is shown again with ``service_error_status``.
    """

    service_error_field: str | None = None
    service_error_status = 200

    def form_valid(self, form):
        try:
            return self.form_valid_service(form)
        except ValidationError as error:
            add_form_error(form, error, default_field=self.service_error_field)
            response = self.form_invalid(form)
            response.status_code = self.service_error_status
            return response

    def form_valid_service(self, form):
        raise NotImplementedError


@dataclass
class Outcome:
    """What ``refusals_as_messages`` saw: ``refused`` is True once it caught a refusal."""

    refused: bool = False


@contextmanager
def refusals_as_messages(request) -> Iterator[Outcome]:
    """Turn a service's refusal into an error message, for views with no form to show it on.

    The buttons that POST and redirect (withdraw, cancel, remove, publish...) have nowhere
    to put a ``ValidationError`` but the messages shown after the redirect; before this,
    each wrapped its service call in its own try/except and some showed only the first
    message. Inside the block, call the service and then add the success message: a
    refusal skips the rest of the block, adds one ``messages.error`` with all its messages
    joined by a space, and sets ``refused`` on the yielded outcome. Form views use
    ``ServiceFormMixin`` instead, which puts the refusal next to the field.
    """
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as error:
        outcome.refused = True
        messages.error(request, " ".join(error.messages))
