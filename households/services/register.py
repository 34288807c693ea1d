"""Writes of the register: a household and its members, saved together or not at all."""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from households import rules
from households.checks.base import not_student_codes
from households.codefields import ACTIVE_STATUS, HEAD_RELATION, RESIDENT_ID_TYPE, household_type_for
from households.models import Household, Member, Village
from households.models.register import join_codes, split_codes
from households.queries import households_visible_to, villages_visible_to
from povertycase import idnumbers
from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

HOUSEHOLD_FIELDS = (
    "number",
    "village",
    "group_name",
    "household_type",
    "attribute",
    "id_standard",
    "identified_month",
    "exit_status",
    "exit_month",
    "main_cause",
    "other_causes",
    "farmland_area",
    "is_dangerous_house",
    "housing_grade",
    "water_safe",
    "water_difficult",
    "has_electricity",
    "phone",
    "helper_name",
    "helper_phone",
)
MEMBER_FIELDS = (
    "name",
    "person_number",
    "id_type",
    "id_number",
    "disability_cert",
    "relation",
    "sex",
    "birth_date",
    "ethnicity",
    "political",
    "education",
    "student_status",
    "out_of_school_reason",
    "health",
    "labour",
    "work_status",
    "work_months",
    "medical_insurance",
    "serious_illness_insurance",
    "pension_insurance",
    "dibao",
    "tekun",
    "medical_aid",
    "phone",
    "plans_work_away",
    "work_need",
    "status",
)
MOBILE_OR_LANDLINE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
STRIPPED_MEMBER_FIELDS = ("phone", "work_need")


class RegisterInvalid(DomainError):
    """Problems found before anything was saved, keyed so a form can show them in place.

    `members[i][field]` belongs to the i-th entry of the `members` argument (field None: the
    row as a whole); `household[field]` to the household (field None: the whole household).
    """

    def __init__(self):
        super().__init__(_("The household was not saved: please correct the marked fields."))
        self.members = defaultdict(lambda: defaultdict(list))
        self.household = defaultdict(list)

    def __bool__(self):
        groups = [*self.members.values(), self.household]
        return any(messages for group in groups for messages in group.values())


@transaction.atomic
def household_create(*, user, data: dict, members: list[dict]) -> Household:
    _ensure_editor(user)
    reason = data.get("change_reason") or _("Household registered")
    return _save(household=Household(), user=user, data=data, members=members, reason=reason)


@transaction.atomic
def household_update(
    *, household: Household, user, data: dict, members: list[dict], expected_version: str | None = None
) -> Household:
    """`expected_version` (from `household_version` when the form was loaded): refused if stale."""
    _ensure_editor(user)
    if not households_visible_to(user).filter(pk=household.pk).exists():
        raise DomainError(_("Household not found."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    concurrency.ensure_current(_versioned(household.pk), expected_version)
    reason = data.get("change_reason") or _("Household updated")
    return _save(household=household, user=user, data=data, members=members, reason=reason)


def household_version(household: Household) -> str:
    """The version of a household and its members, as its edit form carries it."""
    return concurrency.version_of(_versioned(household.pk))


def _versioned(household_id: int) -> list:
    return [Household.history.filter(id=household_id), Member.history.filter(household_id=household_id)]


def _ensure_editor(user) -> None:
    if not rules.can_edit_register(user):
        raise DomainError(_("You may not change the household register."))


def _save(*, household: Household, user, data: dict, members: list[dict], reason: str) -> Household:
    problems = RegisterInvalid()
    before = _snapshot(household) if household.pk else None
    _apply_household(household, data, user=user, problems=problems)
    household.household_type = household_type_for(household.exit_status, household.household_type)
    household.unrecorded = _still_unrecorded(household, data, members)
    kept, deleted = _plan_members(household, members, problems)
    for index, member in kept:
        _check_member(member, index, problems)
    _check_unique_within(kept, problems)
    _check_registered_elsewhere(household, kept, user, problems)
    head = _check_one_head(kept, problems)
    if head is not None:
        household.head_name = head.name
    household.member_count = sum(1 for _i, m in kept if m.status == ACTIVE_STATUS)
    _full_clean_household(household, problems)
    if problems:
        raise problems

    if before is None or _snapshot(household) != before:
        _stamp(household, user, reason)
        household.save()
    try:
        with transaction.atomic():
            _save_members(household, kept, deleted, user, reason)
    except IntegrityError:
        raise DomainError(_("This ID number is already registered in another household.")) from None
    return household


FORM_ALIASES = {"helper_name": "helper", "farmland_area": "land"}


def _still_unrecorded(household, data: dict, members: list[dict]) -> str:
    """A field the form has now shown is recorded, blank or not: the cadre saw it and left it so."""
    shown = set(data) | {name for entry in members for name in entry}
    shown |= {FORM_ALIASES[name] for name in shown if name in FORM_ALIASES}
    return join_codes(f for f in split_codes(household.unrecorded) if f not in shown)


def _apply_household(household: Household, data: dict, *, user, problems: RegisterInvalid) -> None:
    for name in HOUSEHOLD_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "other_causes" and not isinstance(value, str):
            value = join_codes(value or [])
        if name == "village":
            value = _visible_village(user, value, problems)
            if value is None:
                continue
        setattr(household, name, _stored(Household, name, value))


def _stored(model, name: str, value):
    """Empty form input as the column stores it: '' for text, NULL where the column allows it."""
    model_field = model._meta.get_field(name)
    if value is None and isinstance(model_field, CharField) and not model_field.null:
        return ""
    return value


def _visible_village(user, value, problems: RegisterInvalid) -> Village | None:
    village_id = value.pk if isinstance(value, Village) else value
    village = villages_visible_to(user).filter(pk=village_id).first()
    if village is None:
        problems.household["village"].append(_("You cannot register households in this village."))
    return village


def _plan_members(household, entries, problems) -> tuple[list[tuple[int | None, Member]], list[Member]]:
    existing = {m.pk: m for m in household.members.all()} if household.pk else {}
    for member in existing.values():
        member._before = _snapshot(member)
    mentioned, kept, deleted = set(), [], []
    next_seq = max((m.seq for m in existing.values()), default=0) + 1
    for index, entry in enumerate(entries):
        pk = entry.get("id")
        if pk:
            member = existing.get(pk)
            if member is None:
                problems.members[index][None].append(_("This member does not belong to the household."))
                continue
            mentioned.add(pk)
        elif entry.get("DELETE"):
            continue
        else:
            member = Member(household=household, seq=next_seq)
            next_seq += 1
        if entry.get("DELETE"):
            deleted.append(member)
            continue
        for name in MEMBER_FIELDS:
            if name in entry:
                setattr(member, name, _member_value(name, entry[name]))
        kept.append((index, member))
    kept += [(None, m) for pk, m in existing.items() if pk not in mentioned]
    return kept, deleted


def _member_value(name, value):
    if name == "id_number":
        return (value or "").strip().upper() or None
    if name in STRIPPED_MEMBER_FIELDS:
        return (value or "").strip()
    return _stored(Member, name, value)


def _check_member(member: Member, index, problems: RegisterInvalid) -> None:
    errors = problems.members[index] if index is not None else defaultdict(list)
    if member.id_number:
        try:
            facts = idnumbers.parse(member.id_number)
        except idnumbers.IdNumberError as exc:
            errors["id_number"].append(str(exc))
        else:
            member.id_number = facts.number
            _compare_with_id(member, facts, errors)
    elif member.id_type == RESIDENT_ID_TYPE:
        errors["id_number"].append(_("A resident ID card needs its ID number."))
    _check_member_phone(member, errors)
    _check_out_of_school_reason(member, errors)
    try:
        # With an ID number, sex and birth date come from it (or its error is the message).
        derived = ["sex", "birth_date"] if member.id_number else []
        member.full_clean(
            exclude=["household", "id_number", *derived], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors[name if name != "__all__" else None].extend(messages)
    if index is None and errors:  # an untouched member that is now invalid: say who it is
        problems.household[None].extend(f"{member.name}: {m}" for ms in errors.values() for m in ms)
    if index is not None and not errors:
        problems.members.pop(index, None)


def _check_member_phone(member: Member, errors) -> None:
    if member.phone and not MOBILE_OR_LANDLINE.fullmatch(member.phone):
        errors["phone"].append(
            _(
                "Enter an 11-digit mobile number starting 13–19, "
                "or a landline with its area code (0376-1234567)."
            )
        )


def _check_out_of_school_reason(member: Member, errors) -> None:
    """A reason for not attending school belongs to a member who is not in school."""
    in_school = member.student_status and member.student_status not in not_student_codes()
    if member.out_of_school_reason and in_school:
        errors["out_of_school_reason"].append(
            _(
                "%(stage)s is a student stage: a reason for not attending school "
                "is only for a member who is not in school."
            )
            % {"stage": codes.label("student_status", member.student_status)}
        )


def _compare_with_id(member: Member, facts: idnumbers.IdFacts, errors) -> None:
    if member.sex and member.sex != facts.sex:
        errors["sex"].append(
            _("Sex entered as %(entered)s, but the ID number says %(derived)s.")
            % {"entered": codes.label("sex", member.sex), "derived": codes.label("sex", facts.sex)}
        )
    else:
        member.sex = facts.sex
    if member.birth_date and member.birth_date != facts.birth_date:
        errors["birth_date"].append(
            _("Birth date entered as %(entered)s, but the ID number says %(derived)s.")
            % {"entered": date_format(member.birth_date), "derived": date_format(facts.birth_date)}
        )
    else:
        member.birth_date = facts.birth_date


def _check_unique_within(kept, problems: RegisterInvalid) -> None:
    seen = {}
    for index, member in kept:
        number = member.id_number
        if not number:
            continue
        if number in seen:
            target = problems.members[index] if index is not None else problems.household
            target["id_number" if index is not None else None].append(
                _("The same ID number is entered twice in this household (also for %(name)s).")
                % {"name": seen[number]}
            )
        seen.setdefault(number, member.name)


def _check_registered_elsewhere(household, kept, user, problems: RegisterInvalid) -> None:
    by_number = {m.id_number: index for index, m in kept if m.id_number and index is not None}
    if not by_number:
        return
    others = Member.objects.filter(id_number__in=by_number).select_related("household")
    if household.pk:
        others = others.exclude(household_id=household.pk)
    others = list(others)
    visible = set(
        households_visible_to(user)
        .filter(pk__in=[o.household_id for o in others])
        .values_list("pk", flat=True)
    )
    for other in others:
        if other.household_id in visible:
            message = _(
                "This person is already registered in household %(number)s (head of household: %(head)s)."
            ) % {"number": other.household.number, "head": other.household.head_name or "—"}
        else:
            message = _("This person is already registered in another household.")
        problems.members[by_number[other.id_number]]["id_number"].append(message)


def _check_one_head(kept, problems: RegisterInvalid) -> Member | None:
    heads = [(i, m) for i, m in kept if m.relation == HEAD_RELATION and m.status == ACTIVE_STATUS]
    if len(heads) == 1:
        return heads[0][1]
    if not heads:
        problems.household[None].append(
            _("Exactly one member must be the head of household (户主); none is.")
        )
    else:
        names = "、".join(m.name for _i, m in heads)
        message = _("Exactly one member must be the head of household (户主), not %(names)s.") % {
            "names": names
        }
        for index, _m in heads:
            if index is not None:
                problems.members[index]["relation"].append(message)
        problems.household[None].append(message)
    return None


def _full_clean_household(household: Household, problems: RegisterInvalid) -> None:
    try:
        household.full_clean(exclude=["village"] if household.village_id is None else None)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.household[None if name == "__all__" else name].extend(messages)


def _save_members(household, kept, deleted, user, reason) -> None:
    for member in deleted:
        _stamp(member, user, reason)
        member.delete()
    for _index, member in kept:
        member.household = household
        before = getattr(member, "_before", None)
        if member.pk and before == _snapshot(member):
            continue
        _stamp(member, user, reason)
        member.save()


def _stamp(instance, user, reason) -> None:
    instance._history_user = user
    instance._change_reason = reason


def _snapshot(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
