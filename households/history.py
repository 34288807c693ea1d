"""A household's change trail (痕迹管理) as readable diffs: the household, its members, their
work records and posts, its living conditions, measures and income.

Everything is read in a fixed number of queries (one per kind of record) and diffed in Python,
whatever the number of members or changes.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from povertycase.core import codes

from .codefields import (
    CONDITIONS_CODE_FIELDS,
    HOUSEHOLD_CODE_FIELDS,
    HOUSEHOLD_MULTI_CODE_FIELDS,
    MEASURE_CODE_FIELDS,
    MEMBER_CODE_FIELDS,
    MONTH_FIELDS,
    POST_CODE_FIELDS,
    WORK_CODE_FIELDS,
)
from .models import (
    AssistanceMeasure,
    Department,
    Household,
    IncomeRecord,
    LivingConditions,
    Member,
    PublicPost,
    Village,
    WorkRecord,
)
from .models.register import split_codes

CODE_FIELDS = {
    **HOUSEHOLD_CODE_FIELDS,
    **MEMBER_CODE_FIELDS,
    **CONDITIONS_CODE_FIELDS,
    **WORK_CODE_FIELDS,
    **POST_CODE_FIELDS,
    **MEASURE_CODE_FIELDS,
}
USER_FIELDS = ("helper", "contact_leader", "created_by")
VILLAGE_FIELDS = ("village", "relocation_village")
SKIPPED = {"id", "household", "seq", "created_at", "updated_at", "import_batch", "created_by"}
MASKED = {"id_number", "disability_cert"}
CREATED, CHANGED, DELETED = "+", "~", "-"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    subject: str  # "" for the household itself, else the member's name
    action: str  # CREATED, CHANGED or DELETED
    reason: str
    changes: list[Change] = field(default_factory=list)
    order: int = 0
    record: str = ""  # what kind of record, shown as a person reads it; "" = household or member


def household_history(household: Household, *, show_full_ids: bool) -> list[Entry]:
    """Newest first: who changed what, from which value to which, on every record of the household."""
    own = _records(household.history)
    members = list(
        Member.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    member_names = {r.id: r.name for r in members}
    by_household = {"household_id": household.pk}
    by_member = {"member_id__in": list(member_names)}
    extra = [
        (LivingConditions, by_household, lambda r: ""),
        (AssistanceMeasure, by_household, lambda r: member_names.get(r.member_id, "")),
        (IncomeRecord, by_household, lambda r: str(r.year)),
        (WorkRecord, by_member, lambda r: member_names.get(r.member_id, "")),
        (PublicPost, by_member, lambda r: member_names.get(r.member_id, "")),
    ]
    extra_records = [(_records(m.history.filter(**where)), m, subject) for m, where, subject in extra]
    all_records = own + [r for records, _m, _s in extra_records for r in records]
    names = _Names(all_records, show_full_ids=show_full_ids)
    names.members = member_names
    entries = _entries(own, Household, names, subject=lambda r: "")
    entries += _entries(members, Member, names, subject=lambda r: r.name)
    for records, model, subject in extra_records:
        entries += _entries(records, model, names, subject=subject, record=str(model._meta.verbose_name))
    entries.sort(key=lambda e: (e.when, e.order), reverse=True)
    return entries


def _records(history) -> list:
    return list(history.select_related("history_user").order_by("id", "history_date", "history_id"))


def _entries(records, model, names, *, subject, record: str = "") -> list[Entry]:
    fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
    record_label = record
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        entry = Entry(
            when=record.history_date,
            who=_who(record.history_user),
            subject=subject(record),
            action=record.history_type,
            reason=record.history_change_reason or "",
            order=record.history_id,
            record=record_label,
        )
        if record.history_type == CHANGED and before is not None:
            entry.changes = [
                Change(
                    str(f.verbose_name),
                    names.show(f, getattr(before, f.attname)),
                    names.show(f, getattr(record, f.attname)),
                )
                for f in fields
                if getattr(before, f.attname) != getattr(record, f.attname)
            ]
            if not entry.changes:
                continue
        entries.append(entry)
    return entries


@dataclass
class RecordEntry:
    """One saved version of a single record (a village's indicators, a household's survey)."""

    when: datetime.datetime
    who: str
    created: bool
    reason: str
    changes: list[Change] = field(default_factory=list)


def record_trail(record, names, *, show) -> list[RecordEntry]:
    """Newest first: who changed which of `names` of one record from what to what (one query).

    `show(name, stored value)` words a value; blanks a record was created with are left out.
    """
    if record is None:
        return []
    fields = [record._meta.get_field(name) for name in names]
    rows = record.history.select_related("history_user").order_by("history_date", "history_id")
    entries, previous = [], None
    for row in rows:
        entry = RecordEntry(
            when=row.history_date,
            who=_who(row.history_user),
            created=previous is None,
            reason=row.history_change_reason or "",
        )
        for f in fields:
            old = getattr(previous, f.attname) if previous is not None else None
            new = getattr(row, f.attname)
            if old != new and not (entry.created and new in (None, "")):
                entry.changes.append(Change(str(f.verbose_name), show(f.name, old), show(f.name, new)))
        if entry.changes or entry.created:
            entries.append(entry)
        previous = row
    return entries[::-1]


def _who(user) -> str:
    if user is None:
        return _("system")
    return display_name(user)


def display_name(user) -> str:
    """Chinese order, family name first: 李文斌."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


class _Names:
    """Shows stored values as a person reads them: labels, 是/否, months, names, masked IDs."""

    def __init__(self, records, *, show_full_ids: bool):
        self.show_full_ids = show_full_ids
        self.members: dict[int, str] = {}
        village_ids = _ids(records, VILLAGE_FIELDS)
        user_ids = _ids(records, USER_FIELDS)
        department_ids = _ids(records, ("department",))
        self.villages = (
            dict(Village.objects.filter(pk__in=village_ids).values_list("pk", "name")) if village_ids else {}
        )
        users = get_user_model().objects.filter(pk__in=user_ids) if user_ids else []
        self.users = {u.pk: _who(u) for u in users}
        self.departments = (
            dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "name"))
            if department_ids
            else {}
        )

    def show(self, model_field, value) -> str:
        name = model_field.name
        if value is None or value == "":
            return "—" if not isinstance(model_field, models.BooleanField) else _("Not filled")
        if name in CODE_FIELDS:
            return codes.label(CODE_FIELDS[name], value)
        if name in HOUSEHOLD_MULTI_CODE_FIELDS:
            return "、".join(codes.label(HOUSEHOLD_MULTI_CODE_FIELDS[name], c) for c in split_codes(value))
        if isinstance(model_field, models.BooleanField):
            return _("Yes") if value else _("No")
        if name in MONTH_FIELDS:
            return value.strftime("%Y-%m")
        if isinstance(model_field, models.DateField):
            return value.isoformat()
        if name in VILLAGE_FIELDS:
            return self.villages.get(value, str(value))
        if name in USER_FIELDS:
            return self.users.get(value, str(value))
        if name == "department":
            return self.departments.get(value, str(value))
        if name == "member":
            return self.members.get(value, str(value))
        if name in MASKED and not self.show_full_ids:
            return mask(value)
        return str(value)


def _ids(records, names) -> set[int]:
    """Primary keys held by the named foreign-key columns of the history rows."""
    return {value for r in records for name in names if (value := getattr(r, f"{name}_id", None))}


def mask(number: str) -> str:
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}" if len(number) > 10 else number


def describe(instance, names: list[str], *, show_full_ids: bool) -> list[tuple[str, str]]:
    """(verbose name, shown value) for the named fields of a saved household or member."""
    shower = _Names([], show_full_ids=show_full_ids)
    rows = []
    for name in names:
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            value = str(getattr(instance, name) or "—")
        else:
            value = shower.show(model_field, getattr(instance, model_field.attname))
        rows.append((str(model_field.verbose_name), value))
    return rows
