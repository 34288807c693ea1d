"""Import of a ledger workbook: check every row first, then save all rows or none.

Unknown sources, categories, units, people and targets are errors, never silent creations.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from households.models import Department, Household, Township, Village
from povertycase.core import codes
from povertycase.core.uploads import check_xlsx_upload
from povertycase.errors import DomainError
from povertycase.excel import WorkbookError, read_sheet

from . import rules
from .excel import KIND_LABELS, LEVEL_LABELS, STATUS_LABELS
from .models import Category, Item, Level, Transition

# header in the workbook -> key; the export's headers read back as they are written.
HEADER_KEYS = {
    "编号": "number",
    "台账编号": "number",
    "外部编号": "external_number",
    "问题来源": "source",
    "来源依据": "source_reference",
    "问题类别": "category",
    "问题类别（一级）": "category_l1",
    "问题类别（二级）": "category",
    "问题描述": "description",
    "涉及层级": "level",
    "涉及对象": "target",
    "责任单位": "unit",
    "责任人": "person",
    "牵头领导": "supervising_leader",
    "配合单位": "cooperating_units",
    "整改措施": "measures",
    "整改类型": "kind",
    "整改时限": "deadline",
    "状态": "status",
}
HEADER_KEYS = {codes.normalize(k): v for k, v in HEADER_KEYS.items()}
REQUIRED = {
    "number": "编号",
    "source": "问题来源",
    "category": "问题类别",
    "description": "问题描述",
    "unit": "责任单位",
}
KIND_BY_LABEL = {v: k for k, v in KIND_LABELS.items()}
LEVEL_BY_LABEL = {v: k for k, v in LEVEL_LABELS.items()} | {
    "县": "county",
    "乡镇级": "township",
    "村级": "village",
}
STATUS_BY_LABEL = {v: k for k, v in STATUS_LABELS.items()}


@dataclass
class ImportResult:
    items: int = 0
    errors: list[dict] = field(default_factory=list)
    imported: bool = False


class _Lookups:
    """Every reference table read once, so checking 367 rows costs a handful of queries."""

    def __init__(self):
        self.categories = {c.code: c for c in Category.objects.select_related("parent")}
        self.category_names: dict[str, list[Category]] = {}
        for c in self.categories.values():
            self.category_names.setdefault(c.name, []).append(c)
        self.townships = {t.name: t for t in Township.objects.all()}
        self.departments = {d.name: d for d in Department.objects.all()}
        self.villages: dict[str, list[Village]] = {}
        for v in Village.objects.select_related("township"):
            self.villages.setdefault(v.name, []).append(v)
            self.villages.setdefault(f"{v.township.name}{v.name}", []).append(v)
        self.people: dict[str, list] = {}
        for u in get_user_model().objects.filter(is_active=True):
            for key in {u.username, f"{u.last_name}{u.first_name}"} - {""}:
                self.people.setdefault(key, []).append(u)
        self.existing = set(Item.objects.values_list("number", flat=True))


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return codes.normalize(value) if value not in (None, "") else ""


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _find_header(rows) -> tuple[int, dict[int, str]]:
    for number, cells in rows:
        keys = {i: HEADER_KEYS[_text(c)] for i, c in enumerate(cells) if _text(c) in HEADER_KEYS}
        if "number" in keys.values() and "description" in keys.values():
            return number, keys
        if number > 10:
            break
    raise DomainError(_("No header row with 编号 and 问题描述 was found in the first 10 rows."))


def read_ledger(data: bytes) -> tuple[list[tuple[int, dict]], list[dict]]:
    """(row number, Item field values) for every good row, and the errors of the bad ones."""
    try:
        sheet = read_sheet(data, preferred_name="整改台账")
    except WorkbookError as exc:
        raise DomainError(_("The file is not a readable .xlsx workbook.")) from exc
    _header_row, keys = _find_header(sheet.rows)
    lookups = _Lookups()
    good, errors, seen = [], [], set()
    for number, cells in sheet.rows:
        raw = {
            key: _text(cells[i]) if key != "deadline" else cells[i]
            for i, key in keys.items()
            if i < len(cells)
        }
        if not any(_text(v) for v in raw.values()):
            continue
        row_errors: list[tuple[str, str]] = []
        values = _parse_row(raw, lookups, row_errors, seen)
        errors += [{"row": number, "column": column, "message": message} for column, message in row_errors]
        if not row_errors:
            good.append((number, values))
    return good, errors


def _one(matches, column, what, errors):
    if not matches:
        errors.append((column, _("Unknown %(what)s.") % {"what": what}))
        return None
    if len(matches) > 1:
        errors.append((column, _("%(what)s is ambiguous.") % {"what": what}))
        return None
    return matches[0]


def _parse_row(raw: dict, lk: _Lookups, errors: list, seen: set) -> dict:
    for key, header in REQUIRED.items():
        if not _text(raw.get(key)):
            errors.append((header, _("Required.")))
    values = {
        "number": raw.get("number", ""),
        "external_number": raw.get("external_number", ""),
        "source_reference": raw.get("source_reference", ""),
        "description": raw.get("description", ""),
        "supervising_leader": raw.get("supervising_leader", ""),
        "cooperating_units": raw.get("cooperating_units", ""),
        "measures": raw.get("measures", ""),
    }
    number = values["number"]
    if number and (number in lk.existing or number in seen):
        errors.append(("编号", _("Number %s is already in the ledger or repeated in the file.") % number))
    seen.add(number)
    if raw.get("source"):
        values["source"] = codes.lookup("rect_source", raw["source"])
        if not values["source"]:
            errors.append(("问题来源", _("Unknown source “%s”.") % raw["source"]))
    if raw.get("category"):
        values["category"] = _category(raw, lk, errors)
    if raw.get("unit"):
        unit = raw["unit"]
        values["responsible_township"] = lk.townships.get(unit)
        values["responsible_department"] = (
            lk.departments.get(unit) if not values["responsible_township"] else None
        )
        if not (values["responsible_township"] or values["responsible_department"]):
            errors.append(
                ("责任单位", _("Unknown unit “%s”: not a township or department of the county.") % unit)
            )
    if raw.get("person"):
        values["responsible_person"] = _one(lk.people.get(raw["person"], []), "责任人", raw["person"], errors)
    values["kind"] = KIND_BY_LABEL.get(raw.get("kind") or "限期整改")
    if not values["kind"]:
        errors.append(("整改类型", _("Use 立行立改, 限期整改 or 长期坚持.")))
    _deadline(raw.get("deadline"), values, errors)
    values["status"] = STATUS_BY_LABEL.get(raw.get("status") or "待整改")
    if not values["status"]:
        errors.append(("状态", _("Unknown status “%s”.") % raw["status"]))
    _target(raw, lk, values, errors)
    return values


def _category(raw, lk, errors):
    text = raw["category"]
    if text in lk.categories:
        return lk.categories[text]
    code, _sep, name = text.partition(" ")
    if name and code in lk.categories:
        return lk.categories[code]
    matches = lk.category_names.get(text, [])
    if raw.get("category_l1"):
        matches = [c for c in matches if c.parent and c.parent.name == raw["category_l1"]] or matches
    return _one(matches, "问题类别", text, errors)


def _deadline(value, values, errors):
    text = _text(value) if not isinstance(value, datetime.date) else "x"
    if text in ("", "长期坚持"):
        values["deadline"] = None
        if text == "长期坚持":
            values["kind"] = "long_term"
        if values.get("kind") and values["kind"] != "long_term":
            errors.append(("整改时限", _("A deadline is required unless the item is long-term.")))
        return
    try:
        values["deadline"] = _date(value)
    except ValueError:
        errors.append(("整改时限", _("“%s” is not a date (use YYYY-MM-DD).") % text))


def _target(raw, lk, values, errors):
    level = LEVEL_BY_LABEL.get(raw.get("level") or "县级")
    if not level:
        errors.append(("涉及层级", _("Use 县级, 乡镇, 村, 户 or 部门.")))
        return
    values["level"] = level
    target = raw.get("target", "")
    if level == Level.COUNTY:
        return
    if not target:
        errors.append(("涉及对象", _("Required for this level.")))
        return
    if level == Level.TOWNSHIP:
        values["target_township"] = _one(
            [t for t in [lk.townships.get(target)] if t], "涉及对象", target, errors
        )
    elif level == Level.DEPARTMENT:
        values["target_department"] = _one(
            [d for d in [lk.departments.get(target)] if d], "涉及对象", target, errors
        )
    elif level == Level.VILLAGE:
        village = _one(lk.villages.get(target, []), "涉及对象", target, errors)
        if village:
            values.update(target_village=village, target_township=village.township)
    else:
        household = Household.objects.select_related("village__township").filter(number=target).first()
        if household is None:
            errors.append(("涉及对象", _("Unknown household number “%s”.") % target))
        else:
            values.update(
                target_household=household,
                target_village=household.village,
                target_township=household.village.township,
            )


def ledger_import(*, user, data: bytes, dry_run: bool) -> ImportResult:
    """Check every row; unless dry_run and only when no row has an error, save them all."""
    if user is not None and not rules.can_manage(user):
        raise DomainError(_("Only the county command office may import the ledger."))
    check_xlsx_upload(data)
    rows, errors = read_ledger(data)
    result = ImportResult(items=len(rows), errors=errors)
    if errors or dry_run or not rows:
        return result
    _save(rows, user)
    result.imported = True
    return result


@transaction.atomic
def _save(rows, user) -> None:
    for number, values in rows:
        item = Item(**values)
        item._history_user = user
        item._change_reason = "import"
        try:
            item.full_clean(exclude=["created_at", "category", "responsible_person"])
        except ValidationError as exc:
            raise DomainError(_("Row %(row)s: %(errors)s") % {"row": number, "errors": exc.messages}) from exc
        item.save()
        Transition.objects.create(
            item=item, actor=user, action="import", from_status="", to_status=item.status
        )
