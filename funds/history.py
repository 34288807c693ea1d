"""A project's change trail (痕迹管理): who, when, old → new, over the project and its records.

One query per kind of record, diffed in Python, whatever the number of changes.
"""

from dataclasses import dataclass, field

from households.history import display_name

from .models import Asset, Beneficiary, BudgetLine, Payment, Project

SKIPPED = {"id", "project", "resume_status", "created_at", "year", "project_type", "allocation"}
KIND_LABELS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    subject: str
    reason: str
    changes: list = field(default_factory=list)


def _label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _entries(records, model, subject) -> list[Entry]:
    previous = {}
    entries = []
    names = [f.name for f in model._meta.concrete_fields if f.name not in SKIPPED]
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in names:
            new = (
                getattr(record, f"{name}_id", None)
                if model._meta.get_field(name).is_relation
                else getattr(record, name)
            )
            old = None
            if before is not None:
                old = (
                    getattr(before, f"{name}_id", None)
                    if model._meta.get_field(name).is_relation
                    else getattr(before, name)
                )
            if before is None or old != new:
                if before is None and new in (None, "", 0):
                    continue
                changes.append(
                    (_label(model, name), "" if old is None else str(old), "" if new is None else str(new))
                )
        if before is None or changes:
            entries.append(
                Entry(
                    record.history_date,
                    display_name(record.history_user) if record.history_user_id else "",
                    KIND_LABELS.get(record.history_type, ""),
                    subject(record),
                    record.history_change_reason or "",
                    changes,
                )
            )
        previous[record.id] = record
    return entries


def project_trail(project: Project) -> list[Entry]:
    def ordered(qs):
        return qs.select_related("history_user").order_by("history_date", "history_id")

    entries = _entries(
        ordered(Project.history.filter(id=project.pk)), Project, lambda r: str(Project._meta.verbose_name)
    )
    entries += _entries(
        ordered(BudgetLine.history.filter(project_id=project.pk)), BudgetLine, lambda r: "预算"
    )
    entries += _entries(ordered(Payment.history.filter(project_id=project.pk)), Payment, lambda r: "拨付")
    entries += _entries(
        ordered(Beneficiary.history.filter(project_id=project.pk)), Beneficiary, lambda r: "受益户"
    )
    entries += _entries(ordered(Asset.history.filter(project_id=project.pk)), Asset, lambda r: "资产")
    return sorted(entries, key=lambda e: e.when, reverse=True)
