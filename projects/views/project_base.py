from .mixins import ObjectPermissionMixin


class PageObjectMixin(ObjectPermissionMixin):
    """``ObjectPermissionMixin`` for form and template views, which have no ``get_queryset``
    of their own: the page's object comes from the class's ``queryset``."""

    queryset = None

    def get_queryset(self):
        return self.queryset.all()
