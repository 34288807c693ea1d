"""Import of a county's own category taxonomy (DOMAIN.md §6.3): level-1 and level-2 code/name.

Existing codes are renamed, new ones added; nothing is deleted, since items keep pointing at
their categories. All rows or none.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from povertycase.core import codes
from povertycase.core.uploads import check_xlsx_upload
from povertycase.errors import DomainError
from povertycase.excel import WorkbookError, read_sheet

from .models import Category

HEADERS = {"一级代码": "l1_code", "一级名称": "l1_name", "二级代码": "l2_code", "二级名称": "l2_name"}


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return codes.normalize(value)


def read_categories(data: bytes) -> tuple[list[dict], list[dict]]:
    try:
        sheet = read_sheet(data)
    except WorkbookError as exc:
        raise DomainError(_("The file is not a readable .xlsx workbook.")) from exc
    keys, rows, errors = None, [], []
    for number, cells in sheet.rows:
        texts = [_text(c) for c in cells]
        if keys is None:
            if {"一级代码", "一级名称"} <= set(texts):
                keys = {i: HEADERS[t] for i, t in enumerate(texts) if t in HEADERS}
            continue
        row = {key: texts[i] if i < len(texts) else "" for i, key in keys.items()}
        if not any(row.values()):
            continue
        if not row.get("l1_code") or not row.get("l1_name"):
            errors.append({"row": number, "column": "一级代码", "message": _("Required.")})
        if bool(row.get("l2_code")) != bool(row.get("l2_name")):
            errors.append(
                {"row": number, "column": "二级代码", "message": _("Give both the code and the name.")}
            )
        rows.append(row)
    if keys is None:
        raise DomainError(_("No header row with 一级代码 and 一级名称 was found."))
    return rows, errors


@transaction.atomic
def categories_import(*, data: bytes, dry_run: bool = False) -> dict:
    check_xlsx_upload(data)
    rows, errors = read_categories(data)
    if errors or dry_run:
        return {"categories": len(rows), "errors": errors}
    count = 0
    for sort, row in enumerate(rows, start=1):
        parent, _created = Category.objects.update_or_create(
            code=row["l1_code"], defaults={"name": row["l1_name"], "parent": None}
        )
        count += _created
        if row.get("l2_code"):
            _child, created = Category.objects.update_or_create(
                code=row["l2_code"], defaults={"name": row["l2_name"], "parent": parent, "sort": sort}
            )
            count += created
    return {"categories": len(rows), "errors": [], "created": count}
