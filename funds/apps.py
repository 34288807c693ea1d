from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds and projects")

    def ready(self):
        from households.demo.signals import demo_resetting, demo_seeded

        from . import checks, demo  # noqa: F401 (checks registers the FD- rules)

        demo_resetting.connect(demo.on_demo_resetting, dispatch_uid="funds-demo-reset")
        demo_seeded.connect(demo.on_demo_seeded, dispatch_uid="funds-demo-seed")
