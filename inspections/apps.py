from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Inspections and spot checks")

    def ready(self):
        from households.demo.signals import demo_resetting, demo_seeded
        from rectification import demo as ledger_demo

        from . import demo

        # Findings protect their ledger items, so inspections are wiped before the ledger:
        # reconnect the ledger's reset hook after ours (receivers run in connection order).
        demo_resetting.disconnect(dispatch_uid="rectification-demo-reset")
        demo_resetting.connect(demo.on_demo_resetting, dispatch_uid="inspections-demo-reset")
        demo_resetting.connect(ledger_demo.on_demo_resetting, dispatch_uid="rectification-demo-reset")
        demo_seeded.connect(demo.on_demo_seeded, dispatch_uid="inspections-demo-seed")
