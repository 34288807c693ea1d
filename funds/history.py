"""A project's change trail (痕迹管理): who, when, old → new, over the project and its records.

One query per kind of record, diffed in Python, whatever the number of changes.
"""

from dataclasses import dataclass, field

from households.history import display_name
from households.models import Department, Household, Township

from .models import Asset, Beneficiary, BudgetLine, Payment, Project

SKIPPED = {
    "township",
    "id",
    "project",
    "resume_status",
    "created_at",
    "year",
    "project_type",
    "allocation",
    "created_by",
    "budget_line",
    "evidence",
    "voucher",
}
REASONS = {
    "create": "新建",
    "budget": "安排预算",
    "payment": "拨付",
    "beneficiary": "登记受益户",
    "approve": "批复",
    "start": "开工",
    "complete": "完工",
    "accept": "验收",
    "reimburse": "报账",
    "resume": "恢复实施",
    "delay reason": "说明滞后原因",
}
KIND_LABELS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    subject: str
    reason: str
    changes: list = field(default_factory=list)


def _shown(model, name, value, names: dict) -> str:
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    return str(value)


def _label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _value(record, model, name):
    field = model._meta.get_field(name)
    return getattr(record, f"{name}_id", None) if field.is_relation else getattr(record, name)


def _entries(records, model, subject, names: dict) -> list[Entry]:
    previous, entries = {}, []
    fields = [f.name for f in model._meta.concrete_fields if f.name not in SKIPPED]
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in fields:
            new = _value(record, model, name)
            old = _value(before, model, name) if before is not None else None
            if before is None and new in (None, "", 0):
                continue
            if before is None or old != new:
                changes.append(
                    (_label(model, name), _shown(model, name, old, names), _shown(model, name, new, names))
                )
        if before is None or changes:
            entries.append(
                Entry(
                    record.history_date,
                    display_name(record.history_user) if record.history_user_id else "",
                    KIND_LABELS.get(record.history_type, ""),
                    subject(record),
                    _reason(record.history_change_reason or ""),
                    changes,
                )
            )
        previous[record.id] = record
    return entries


def _reason(text: str) -> str:
    if text.startswith("completion "):
        return "上报完工进度 " + text.removeprefix("completion ")
    return REASONS.get(text, text)


def _names(project: Project) -> dict:
    """Names of the related rows a trail may mention, in a fixed number of queries."""
    names = {}
    for model, qs in (
        (Department, Department.objects.all()),
        (Township, Township.objects.all()),
        (Household, Household.objects.filter(fund_subsidies__project=project)),
    ):
        names.update(
            {
                (model, pk): label
                for pk, label in qs.values_list("pk", "number" if model is Household else "name")
            }
        )
    return names


def project_trail(project: Project) -> list[Entry]:
    names = _names(project)

    def ordered(qs):
        return qs.select_related("history_user").order_by("history_date", "history_id")

    entries = _entries(
        ordered(Project.history.filter(id=project.pk)),
        Project,
        lambda r: str(Project._meta.verbose_name),
        names,
    )
    entries += _entries(
        ordered(BudgetLine.history.filter(project_id=project.pk)), BudgetLine, lambda r: "预算", names
    )
    entries += _entries(
        ordered(Payment.history.filter(project_id=project.pk)), Payment, lambda r: "拨付", names
    )
    entries += _entries(
        ordered(Beneficiary.history.filter(project_id=project.pk)), Beneficiary, lambda r: "受益户", names
    )
    entries += _entries(ordered(Asset.history.filter(project_id=project.pk)), Asset, lambda r: "资产", names)
    return sorted(entries, key=lambda e: e.when, reverse=True)
