"""Logic checks (逻辑校验) over the household register: DOMAIN.md §9 as named rules.

`run_all_checks()` runs every enabled rule over the households in scope and stores the
violations; `checks_for_household()` does the same for one household after it is saved.
"""

import importlib

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
        _loaded = True


def run_all_checks(**kwargs):
    from .runner import run_all_checks as run

    return run(**kwargs)


def checks_for_household(household):
    from .runner import checks_for_household as check

    return check(household)
