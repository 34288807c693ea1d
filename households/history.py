"""A household's change trail (痕迹管理): its own history and its members', as readable diffs.

Everything is read in a fixed number of queries and diffed in Python, whatever the number of
members or changes.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from povertycase.core import codes

from .codefields import HOUSEHOLD_CODE_FIELDS, HOUSEHOLD_MULTI_CODE_FIELDS, MEMBER_CODE_FIELDS, MONTH_FIELDS
from .models import Household, Member, Village
from .models.register import split_codes

SKIPPED = {"id", "household", "seq", "created_at", "updated_at", "import_batch"}
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


def household_history(household: Household, *, show_full_ids: bool) -> list[Entry]:
    """Newest first: who changed what, from which value to which, household and members."""
    own = list(household.history.select_related("history_user").order_by("history_date", "history_id"))
    members = list(
        Member.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    names = _Names(own, show_full_ids=show_full_ids)
    entries = _entries(own, Household, names, subject=lambda r: "")
    entries += _entries(members, Member, names, subject=lambda r: r.name)
    entries.sort(key=lambda e: (e.when, e.order), reverse=True)
    return entries


def _entries(records, model, names, *, subject) -> list[Entry]:
    fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED]
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
        village_ids = {r.village_id for r in records if r.village_id}
        helper_ids = {r.helper_id for r in records if r.helper_id}
        self.villages = (
            dict(Village.objects.filter(pk__in=village_ids).values_list("pk", "name")) if village_ids else {}
        )
        users = get_user_model().objects.filter(pk__in=helper_ids) if helper_ids else []
        self.users = {u.pk: _who(u) for u in users}

    def show(self, model_field, value) -> str:
        name = model_field.name
        if value is None or value == "":
            return "—" if not isinstance(model_field, models.BooleanField) else _("Not filled")
        if name in HOUSEHOLD_CODE_FIELDS or name in MEMBER_CODE_FIELDS:
            return codes.label(HOUSEHOLD_CODE_FIELDS.get(name) or MEMBER_CODE_FIELDS[name], value)
        if name in HOUSEHOLD_MULTI_CODE_FIELDS:
            return "、".join(codes.label(HOUSEHOLD_MULTI_CODE_FIELDS[name], c) for c in split_codes(value))
        if isinstance(model_field, models.BooleanField):
            return _("Yes") if value else _("No")
        if name in MONTH_FIELDS:
            return value.strftime("%Y-%m")
        if isinstance(model_field, models.DateField):
            return value.isoformat()
        if name == "village":
            return self.villages.get(value, str(value))
        if name == "helper":
            return self.users.get(value, str(value))
        if name in MASKED and not self.show_full_ids:
            return mask(value)
        return str(value)


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
