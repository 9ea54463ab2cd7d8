from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultation")

    def ready(self):
        from projects.autodiscover import import_submodules

        import_submodules("consult.hooks")
        from projects.pagecache import watch_apps

        watch_apps(self.label)
