"""Load the default code lists and parameters; existing rows a county edited are kept."""

import importlib
import importlib.util
from decimal import Decimal

from django.apps import apps

from .codelist_data import CODE_LISTS, PARAMETERS


def _app_defaults() -> tuple[dict, list]:
    """Core's lists plus those an installed app keeps in its own `codelists` module."""
    lists, parameters = dict(CODE_LISTS), list(PARAMETERS)
    for config in apps.get_app_configs():
        name = f"{config.name}.codelists"
        if config.name.startswith("django") or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        lists.update(getattr(module, "CODE_LISTS", {}))
        parameters.extend(getattr(module, "PARAMETERS", []))
    return lists, parameters


def load_code_lists(CodeList, Parameter) -> None:
    CODE_LISTS, PARAMETERS = _app_defaults()
    existing = set(CodeList.objects.values_list("list", "code"))
    rows = []
    for list_name, items in CODE_LISTS.items():
        for sort, item in enumerate(items, start=1):
            code, label, *rest = item
            if (list_name, code) not in existing:
                rows.append(
                    CodeList(
                        list=list_name, code=code, label_zh=label, sort=sort, extra=rest[0] if rest else {}
                    )
                )
    CodeList.objects.bulk_create(rows)
    for name, year, value, unit, source in PARAMETERS:
        Parameter.objects.get_or_create(
            name=name,
            year=year,
            region_code="",
            defaults={"value": Decimal(value), "unit": unit, "source": source},
        )
