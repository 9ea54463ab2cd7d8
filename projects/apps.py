from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Registry and projects")

    def ready(self):
        from .autodiscover import import_submodules

        import_submodules("projects.hooks")
        from . import checks, lockout  # noqa: F401  (system checks and signal receivers)
        from .pagecache import watch_apps

        watch_apps(self.label)
