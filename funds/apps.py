from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds and projects")

    def ready(self):
        from households.demo.signals import demo_resetting, demo_seeded
        from inspections.ranking import EXTRA_MEASURES

        from . import checks, demo  # noqa: F401 (checks registers the FD- rules)
        from .ranking import measure_funds

        if measure_funds not in EXTRA_MEASURES:
            EXTRA_MEASURES.append(measure_funds)
        demo_resetting.connect(demo.on_demo_resetting, dispatch_uid="funds-demo-reset")
        demo_seeded.connect(demo.on_demo_seeded, dispatch_uid="funds-demo-seed")
