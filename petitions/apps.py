from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions and safeguards")

    def ready(self):
        from households.demo.signals import demo_resetting, demo_seeded

        from . import demo

        # Connected after the ledger's (INSTALLED_APPS order): a demo petition opens a ledger item.
        demo_resetting.connect(demo.on_demo_resetting, dispatch_uid="petitions-demo-reset")
        demo_seeded.connect(demo.on_demo_seeded, dispatch_uid="petitions-demo-seed")
