from django.shortcuts import get_object_or_404
from rules.contrib.views import PermissionRequiredMixin


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
