"""Load the default code lists and parameters; existing rows a county edited are kept."""

from decimal import Decimal

from .codelist_data import CODE_LISTS, PARAMETERS


def load_code_lists(CodeList, Parameter) -> None:
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
