"""Logic checks (逻辑校验) over the household register: DOMAIN.md §9 as named rules.

`run_all_checks()` runs every enabled rule over the households in scope and stores the
violations; `checks_for_household()` does the same for one household after it is saved.
"""

import importlib
import importlib.util

RULE_MODULES = (
    "identity",
    "household",
    "causes",
    "member",
    "school",
    "work",
    "income",
    "exit",
    "monitoring",
    "visits",
    "villages",
)
_loaded = False


def load_rules() -> None:
    global _loaded
    if not _loaded:
        for name in RULE_MODULES:
            importlib.import_module(f"{__name__}.{name}")
        for name in _app_rule_modules():
            importlib.import_module(name)
        _loaded = True


def _app_rule_modules() -> list[str]:
    """Other apps register their household rules in their own `checks` module (petitions: PT)."""
    from django.apps import apps
    from django.conf import settings

    ours = [
        c
        for c in apps.get_app_configs()
        if c.path.startswith(str(settings.BASE_DIR)) and c.name != "households"
    ]
    return [f"{c.name}.checks" for c in ours if importlib.util.find_spec(f"{c.name}.checks") is not None]


def run_all_checks(**kwargs):
    from .runner import run_all_checks as run

    return run(**kwargs)


def checks_for_household(household):
    from .runner import checks_for_household as check

    return check(household)
