"""Settings for the load benchmark (``bench/load.py``) only: the production settings plus two
reference pages. Nothing in ``config`` imports this module, so the reference pages exist
only in a server started with ``DJANGO_SETTINGS_MODULE=bench.settings``."""

import warnings

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Static files straight from the source folders (no collectstatic into the checkout); page
# rendering is the same apart from the hashed file names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# WhiteNoise warns that STATIC_ROOT was never collected; here the finders serve the files.
warnings.filterwarnings("ignore", message="No directory at")
