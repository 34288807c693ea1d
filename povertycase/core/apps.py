from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "povertycase.core"
    label = "core"
    verbose_name = _("Code lists and parameters")

    def ready(self):
        from . import signals  # noqa: F401
