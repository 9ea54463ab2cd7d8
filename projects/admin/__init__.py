"""Django admin (superusers only), one module per feature."""

from projects.autodiscover import import_submodules

import_submodules(__name__)
