from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification ledger")

    def ready(self):
        from households.demo.signals import demo_resetting, demo_seeded

        from . import demo

        demo_resetting.connect(demo.on_demo_resetting, dispatch_uid="rectification-demo-reset")
        demo_seeded.connect(demo.on_demo_seeded, dispatch_uid="rectification-demo-seed")
