"""Import of projects and payments from a workbook: sheet 项目 (projects) and sheet 拨付 (payments).

Every row goes through the same services as the pages, inside one transaction: a refusal is
the row's error (row, column, message in Chinese). The transaction is rolled back on a dry run
or when any row failed, so the file is saved whole or not at all.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from households.models import Department, Township, Village
from povertycase.core import codes
from povertycase.errors import DomainError
from povertycase.excel import WorkbookError, read_sheet

from . import rules, services
from .models import Allocation, Project

PROJECT_SHEET, PAYMENT_SHEET = "项目", "拨付"
PROJECT_COLUMNS = {
    "项目编号": "number",
    "项目名称": "name",
    "年度": "year",
    "项目类型": "project_type",
    "实施单位": "unit",
    "建设村": "villages",
    "计划完工": "planned_completion",
    "资金文号": "allocation",
    "预算金额": "budget",
    "批复日期": "approved_on",
    "批复文号": "approval_document",
}
PROJECT_REQUIRED = ("项目编号", "项目名称", "年度", "项目类型", "实施单位", "资金文号", "预算金额")
PAYMENT_COLUMNS = {"项目编号": "number", "拨付日期": "paid_on", "金额": "amount", "收款单位": "payee"}
PAYMENT_REQUIRED = tuple(PAYMENT_COLUMNS)
# a service's field -> the column its refusal belongs to
FIELD_COLUMNS = {
    "amount": "预算金额",
    "allocation": "资金文号",
    "project_type": "项目类型",
    "villages": "建设村",
    "implementing_township": "实施单位",
    "document": "批复文号",
    "on": "批复日期",
}
PAYMENT_FIELD_COLUMNS = {"amount": "金额", "paid_on": "拨付日期", "payee": "收款单位"}


class _Invalid(Exception):
    pass


@dataclass
class ImportResult:
    projects: int = 0
    payments: int = 0
    errors: list[dict] = field(default_factory=list)
    imported: bool = False


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return codes.normalize(value) if value not in (None, "") else ""


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError as exc:
        raise _Invalid(_("“%s” is not a date (use YYYY-MM-DD).") % _text(value)) from exc


def _money(value) -> Decimal:
    try:
        amount = Decimal(_text(value).replace(",", ""))
    except InvalidOperation as exc:
        raise _Invalid(_("“%s” is not an amount.") % _text(value)) from exc
    if amount <= 0:
        raise _Invalid(_("The amount must be more than zero."))
    return amount


def _rows(data: bytes, name: str, columns: dict, required: tuple, errors: list):
    try:
        sheet = read_sheet(data, preferred_name=name)
    except WorkbookError as exc:
        raise DomainError(_("The file is not a readable .xlsx workbook.")) from exc
    if sheet.name != name:
        return []
    header, keys = None, {}
    for number, cells in sheet.rows:
        keys = {i: _text(c) for i, c in enumerate(cells) if _text(c) in columns}
        if keys:
            header = number
            break
    if header is None:
        errors.append(
            {"row": "", "column": "", "message": _("Sheet %(sheet)s has no header row.") % {"sheet": name}}
        )
        return []
    missing = [c for c in required if c not in keys.values()]
    for column in missing:
        errors.append({"row": header, "column": column, "message": _("Column missing.")})
    if missing:
        return []
    out = []
    for number, cells in sheet.rows:
        raw = {col: cells[i] if i < len(cells) else "" for i, col in keys.items()}
        if any(_text(v) for v in raw.values()):
            out.append((number, raw))
    return out


class _Lookups:
    def __init__(self):
        self.townships = {t.name: t for t in Township.objects.all()}
        self.departments = {d.name: d for d in Department.objects.all()}
        self.villages = {}
        for v in Village.objects.select_related("township"):
            self.villages.setdefault(v.name, []).append(v)
            self.villages.setdefault(f"{v.township.name}{v.name}", []).append(v)
        self.allocations = {a.document_number: a for a in Allocation.objects.all()}


def _project_row(user, number, raw, lk: _Lookups, errors: list) -> bool:
    def fail(column, message):
        errors.append({"sheet": PROJECT_SHEET, "row": number, "column": column, "message": message})
        return False

    for column in PROJECT_REQUIRED:
        if not _text(raw.get(column)):
            return fail(column, _("Required."))
    unit = _text(raw["实施单位"])
    township, department = lk.townships.get(unit), lk.departments.get(unit)
    if not (township or department):
        return fail("实施单位", _("Unknown unit “%s”.") % unit)
    type_code = codes.lookup("fund_project_type", raw["项目类型"])
    if not type_code:
        return fail("项目类型", _("Unknown project type “%s”.") % _text(raw["项目类型"]))
    villages = []
    for name in filter(None, _text(raw.get("建设村")).replace(",", "、").replace("，", "、").split("、")):
        matches = lk.villages.get(name, [])
        if len(matches) != 1:
            return fail("建设村", _("Unknown or ambiguous village “%s”.") % name)
        villages.append(matches[0])
    allocation = lk.allocations.get(_text(raw["资金文号"]))
    if allocation is None:
        return fail("资金文号", _("Unknown allocation document “%s”.") % _text(raw["资金文号"]))
    try:
        year = int(_text(raw["年度"]))
        planned = _date(raw["计划完工"]) if _text(raw.get("计划完工")) else None
        budget = _money(raw["预算金额"])
        approved_on = _date(raw["批复日期"]) if _text(raw.get("批复日期")) else None
    except (ValueError, _Invalid) as exc:
        return fail("", str(exc))
    if Project.objects.filter(number=_text(raw["项目编号"])).exists():
        return fail(
            "项目编号",
            _("Project %s is already in the ledger or repeated in the file.") % _text(raw["项目编号"]),
        )
    try:
        project = services.project_create(
            user=user,
            data={
                "number": _text(raw["项目编号"]),
                "name": _text(raw["项目名称"]),
                "year": year,
                "project_type": type_code,
                "implementing_township": township,
                "implementing_department": department,
                "planned_completion": planned,
            },
            villages=villages,
        )
        services.budget_line_set(user=user, project=project, allocation=allocation, amount=budget)
        if approved_on:
            services.project_transition(
                user=user,
                project=project,
                action="approve",
                on=approved_on,
                document=_text(raw.get("批复文号")),
            )
    except DomainError as exc:
        return fail(FIELD_COLUMNS.get(exc.field, ""), exc.message)
    return True


def _payment_row(user, number, raw, errors: list) -> bool:
    def fail(column, message):
        errors.append({"sheet": PAYMENT_SHEET, "row": number, "column": column, "message": message})
        return False

    for column in PAYMENT_REQUIRED:
        if not _text(raw.get(column)):
            return fail(column, _("Required."))
    project = Project.objects.filter(number=_text(raw["项目编号"])).first()
    if project is None:
        return fail("项目编号", _("Unknown project “%s”.") % _text(raw["项目编号"]))
    line = project.budget_lines.order_by("pk").first()
    if line is None:
        return fail("项目编号", _("Assign the project's budget from an allocation before approval."))
    try:
        paid_on, amount = _date(raw["拨付日期"]), _money(raw["金额"])
    except _Invalid as exc:
        return fail("", str(exc))
    try:
        services.payment_create(
            user=user, budget_line=line, paid_on=paid_on, amount=amount, payee=_text(raw["收款单位"])
        )
    except DomainError as exc:
        return fail(PAYMENT_FIELD_COLUMNS.get(exc.field, ""), exc.message)
    return True


def funds_import(*, user, data: bytes, dry_run: bool) -> ImportResult:
    """Check every row through the services; keep them only when none failed and not a dry run."""
    if not rules.can_manage_allocations(user):
        raise DomainError(
            _("Only the command office or the finance bureau may import projects and payments.")
        )
    result = ImportResult()
    project_rows = _rows(data, PROJECT_SHEET, PROJECT_COLUMNS, PROJECT_REQUIRED, result.errors)
    payment_rows = _rows(data, PAYMENT_SHEET, PAYMENT_COLUMNS, PAYMENT_REQUIRED, result.errors)
    if not (project_rows or payment_rows) and not result.errors:
        raise DomainError(_("The workbook has neither a 项目 nor a 拨付 sheet with rows."))
    with transaction.atomic():
        lookups = _Lookups()
        for number, raw in project_rows:
            with transaction.atomic():
                result.projects += _project_row(user, number, raw, lookups, result.errors)
        for number, raw in payment_rows:
            with transaction.atomic():
                result.payments += _payment_row(user, number, raw, result.errors)
        if dry_run or result.errors:
            transaction.set_rollback(True)
        else:
            result.imported = True
    for error in result.errors:
        error.setdefault("sheet", "")
    return result
