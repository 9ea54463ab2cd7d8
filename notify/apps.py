from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = _("Messages to residents")

    def ready(self):
        from projects.autodiscover import import_submodules

        import_submodules("notify.hooks")
