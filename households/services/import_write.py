"""Bulk writes of an import and of its rollback; callers hold the transaction and the lock.

Everything goes through simple_history's bulk helpers (or a Collector over instances that
carry `_history_user`) so the change history records who imported or rolled back.
"""

import datetime
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.deletion import Collector
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from povertycase.core import codes

from ..codefields import household_type_for
from ..models import (
    AssistanceMeasure,
    County,
    Household,
    ImportBatchHousehold,
    IncomeRecord,
    LivingConditions,
    Member,
    MonitoringCase,
    Township,
    Village,
)
from ..models.monitoring import CaseState
from ..models.register import join_codes, split_codes
from .import_plan import ImportPlan

BATCH_SIZE = 500
HOUSEHOLD_FIELDS = [
    "village", "household_type", "attribute", "main_cause", "other_causes", "identified_month", "exit_month",
    "exit_status",
    "member_count", "farmland_area", "is_dangerous_house", "housing_grade", "water_safe", "water_difficult",
    "has_electricity", "helper_name", "helper_phone", "phone", "head_name", "import_batch", "number",
    "unrecorded",
]  # fmt: skip
# Names the logic checks use for what an absent column leaves unrecorded, besides the column's own key.
UNRECORDED_ALIASES = {
    "helper_name": ("helper",),
    "farmland_area": ("land",),
}
# The names the checks read a written survey's and case's fields by (their rules' `fields`).
SURVEY_CHECK_INPUTS = ["land", "road", "toilet"]
CASE_NEVER_CARRIED = ["post_income_per_capita", "post_guarantees_secure"]
CASE_CONTACT = ["contact_name", "contact_phone"]
MEMBER_DEFAULTS = {"student_status": "", "work_status": "", "ethnicity": "", "education": ""}


# ---------------------------------------------------------------- snapshots


def _dump(obj) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        value = f.value_from_object(obj)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        data[f.attname] = value
    return data


def _load(model, data: dict):
    values = {}
    for f in model._meta.concrete_fields:
        if f.attname in data:
            raw = data[f.attname]
            values[f.attname] = None if raw is None else f.to_python(raw)
    return model(**values)


def snapshot(household: Household, year: int, *, parsed=None) -> dict:
    data = {
        "year": year,
        "household": _dump(household),
        "members": [_dump(m) for m in household.members.all()],
        "incomes": [_dump(i) for i in household.snapshot_incomes],
        "measures": [_dump(m) for m in household.snapshot_measures],
    }
    # Cases and living conditions only when this import writes them, so a rollback puts back
    # what the import changed and leaves alone what others recorded since.
    if parsed is not None and parsed.case:
        data["cases"] = [_dump(c) for c in household.monitoring_cases.all()]
    if parsed is not None and parsed.conditions:
        data["conditions"] = [_dump(c) for c in LivingConditions.objects.filter(household=household)]
    return data


def _prefetch_for_snapshot(households, year: int) -> None:
    prefetch_related_objects(
        households,
        "members",
        Prefetch("incomes", queryset=IncomeRecord.objects.filter(year=year), to_attr="snapshot_incomes"),
        Prefetch(
            "measures", queryset=AssistanceMeasure.objects.filter(year=year), to_attr="snapshot_measures"
        ),
    )


def delete_with_history(instances, user) -> None:
    """Delete `instances` so each deletion's history row names `user`."""
    instances = list(instances)
    if not instances:
        return
    for obj in instances:
        obj._history_user = user
    collector = Collector(using="default")
    collector.collect(instances)
    collector.delete()


# ---------------------------------------------------------------- import


def create_regions(plan: ImportPlan) -> None:
    for county_name, township_name, village_name, number in plan.new_regions:
        county = plan.counties.get(county_name)
        if county is None:
            county = plan.counties[county_name] = County.objects.create(name=county_name, code=number[:6])
        township = plan.townships.get((county_name, township_name))
        if township is None:
            township = Township.objects.create(county=county, name=township_name, code=number[:9])
            plan.townships[(county_name, township_name)] = township
        if (county_name, township_name, village_name) not in plan.villages:
            village = Village.objects.create(township=township, name=village_name, code=number[:12])
            plan.villages[(county_name, township_name, village_name)] = village


def unrecorded_fields(keys_read) -> str:
    """Register fields a file's layout neither reads nor derives, stored as ';key;…;' on its households."""
    from ..checks.household import MANDATORY_CONDITIONS
    from ..excel.columns import BY_KEY

    missing = [key for key in BY_KEY if key not in keys_read and key != "seq"]
    names = [name for key in missing for name in (key, *UNRECORDED_ALIASES.get(key, ()))]
    # A survey written from a file that lacks some of its mandatory fields (the monitoring export has
    # no 入户路类型) was never collected whole: HH-010 and its kin stay silent on it.
    keys_read = set(keys_read)
    survey_keys = {f"cond_{name}" for name in MANDATORY_CONDITIONS}
    if survey_keys & keys_read and not survey_keys <= keys_read:
        names += SURVEY_CHECK_INPUTS
    # A case written from a file: what no layout carries (the post-elimination indicators) and the
    # contact where the file lacks it stay unrecorded, so MN-022 does not report them missing.
    if "case_eliminated" in keys_read:
        names += CASE_NEVER_CARRIED
        if "case_contact_name" not in keys_read:
            names += CASE_CONTACT
    return join_codes(names)


def _still_unrecorded(existing, unrecorded: str) -> str:
    """On an update, a field stays unrecorded only if neither the household nor this file recorded it."""
    if existing is None:
        return unrecorded
    before = set(split_codes(existing.unrecorded))
    return join_codes(key for key in split_codes(unrecorded) if key in before)


def write_plan(
    *, plan: ImportPlan, batch, user, year: int, reason: str, progress, unrecorded: str = ""
) -> tuple[int, int]:
    """Create new households; update existing ones in place (members matched by ID number).

    `unrecorded`: the fields the file's layout did not carry (see `unrecorded_fields`).
    """
    created, updated, touched, changed = [], [], [], []
    _prefetch_for_snapshot([item.existing for item in plan.items if item.existing], year)
    for item in plan.items:
        current_type = item.existing.household_type if item.existing else ""
        village = plan.villages[item.region]
        fields = _household_fields(
            item.parsed, village, batch, creating=not item.existing, current_type=current_type
        )
        fields["unrecorded"] = _still_unrecorded(item.existing, unrecorded)
        if item.existing is None:
            created.append((item, Household(**fields)))
            continue
        household = item.existing
        touched.append(
            ImportBatchHousehold(
                batch=batch,
                household=household,
                number=household.number,
                action=ImportBatchHousehold.Action.UPDATED,
                snapshot=snapshot(household, year, parsed=item.parsed),
            )
        )
        if _household_changed(household, fields):
            for name, value in fields.items():
                setattr(household, name, value)
            changed.append(household)
        updated.append((item, household))
    progress(70)
    options = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}
    if changed:
        bulk_update_with_history(changed, Household, HOUSEHOLD_FIELDS, **options)
    new = bulk_create_with_history([h for _i, h in created], Household, **options)
    for household in new:
        touched.append(
            ImportBatchHousehold(
                batch=batch,
                household=household,
                number=household.number,
                action=ImportBatchHousehold.Action.CREATED,
            )
        )
    progress(80)
    pairs = [(i, h) for (i, _), h in zip(created, new, strict=True)] + updated
    wanted = _wanted_records(pairs, year)
    # A layout without income or measures leaves the recorded ones alone.
    if not any(item.parsed.income for item, _h in pairs):
        wanted.pop(IncomeRecord)
    if not any(item.parsed.has_measures for item, _h in pairs):
        wanted.pop(AssistanceMeasure)
    current = {
        Member: [m for _i, h in updated for m in h.members.all()],
        IncomeRecord: [r for _i, h in updated for r in h.snapshot_incomes],
        AssistanceMeasure: [m for _i, h in updated for m in h.snapshot_measures],
    }
    keys = {
        Member: lambda m: (m.household_id, m.id_number or f"pk:{m.pk}"),
        IncomeRecord: lambda r: (r.household_id, r.year),
        AssistanceMeasure: lambda m: (m.household_id, m.item),
    }
    member_fields = sorted(
        {*MEMBER_DEFAULTS, *(k for d in _all_member_data(pairs) for k in d)} - {"household"}
    )
    fields = {Member: member_fields, IncomeRecord: INCOME_FIELDS, AssistanceMeasure: ["category"]}
    sync_records(current=current, wanted=wanted, keys=keys, fields=fields, options=options, user=user)
    _write_cases([(item.parsed.case, h) for item, h in pairs if item.parsed.case], options, user)
    _write_conditions([(item.parsed.conditions, h) for item, h in pairs if item.parsed.conditions], options)
    progress(95)
    ImportBatchHousehold.objects.bulk_create(touched, batch_size=BATCH_SIZE)
    return len(created), len(updated)


CASE_FIELDS = [
    "state", "category", "risks", "identified_on", "elimination_method", "eliminated_on", "contact_name",
    "contact_phone",
]  # fmt: skip
NATURAL_ELIMINATION = "2"


def _case_values(case: dict) -> dict:
    if case.get("eliminated"):
        natural = case.get("method") == NATURAL_ELIMINATION
        state = CaseState.ELIMINATED_NATURAL if natural else CaseState.RISK_ELIMINATED
    else:
        state = CaseState.RISK_OPEN
    return {
        "state": state,
        "category": case.get("category") or "",
        "risks": join_codes(case.get("risks", [])),
        "identified_on": case.get("identified_month"),
        "elimination_method": case.get("method") or "",
        "eliminated_on": case.get("eliminated_month"),
        "contact_name": case.get("contact_name") or "",
        "contact_phone": case.get("contact_phone") or "",
    }


def _write_cases(pairs, options, user) -> None:
    """The monitoring case of each household: the one identified the same month, else its open
    case, is updated; otherwise one is created (discovery channel and clue left unrecorded)."""
    if not pairs:
        return
    by_household: dict[int, list] = {}
    for case in MonitoringCase.objects.filter(household_id__in=[h.pk for _c, h in pairs]):
        by_household.setdefault(case.household_id, []).append(case)
    to_update, to_create = [], []
    for data, household in pairs:
        values = _case_values(data)
        cases = by_household.get(household.pk, [])
        match = next((c for c in cases if c.identified_on == values["identified_on"]), None)
        match = match or next((c for c in cases if c.is_open), None)
        if match is None:
            clue_date = values["identified_on"] or datetime.date.today()
            to_create.append(
                MonitoringCase(
                    household=household, channel="", clue_date=clue_date, created_by=user, **values
                )
            )
        elif any(getattr(match, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(match, name, value)
            to_update.append(match)
    if to_update:
        bulk_update_with_history(to_update, MonitoringCase, CASE_FIELDS, **options)
    if to_create:
        bulk_create_with_history(to_create, MonitoringCase, **options)


def _write_conditions(pairs, options) -> None:
    if not pairs:
        return
    existing = {
        c.household_id: c for c in LivingConditions.objects.filter(household__in=[h for _d, h in pairs])
    }
    to_update, to_create, names = [], [], set()
    for data, household in pairs:
        record = existing.get(household.pk)
        if record is None:
            to_create.append(LivingConditions(household=household, **data))
            continue
        changed = [k for k, v in data.items() if getattr(record, k) != v]
        for name in changed:
            setattr(record, name, data[name])
        if changed:
            to_update.append(record)
            names.update(changed)
    if to_update:
        bulk_update_with_history(to_update, LivingConditions, sorted(names), **options)
    if to_create:
        bulk_create_with_history(to_create, LivingConditions, **options)


def _household_changed(household, fields: dict) -> bool:
    for name, value in fields.items():
        if name == "import_batch":
            continue
        current = household.village_id if name == "village" else getattr(household, name)
        if current != (value.pk if name == "village" else value):
            return True
    return False


INCOME_FIELDS = [
    "wage_income", "business_income", "transfer_income", "property_income", "business_expense",
    "member_count_used", "net_income", "per_capita_income",
]  # fmt: skip


def _all_member_data(pairs):
    for item, _household in pairs:
        for data in item.parsed.members:
            yield {k: v for k, v in data.items() if not k.startswith("_")}


def _wanted_records(pairs, year: int) -> dict:
    measure_categories = {c.code: c.extra.get("category", "") for c in codes.entries("measure_item")}
    members, incomes, measures = [], [], []
    for item, household in pairs:
        parsed = item.parsed
        for data in parsed.members:
            values = {**MEMBER_DEFAULTS, **{k: v for k, v in data.items() if not k.startswith("_")}}
            values["person_number"] = values.get("person_number") or ""
            members.append(Member(household=household, **values))
        for code in parsed.measures:
            category = measure_categories.get(code, "")
            measures.append(AssistanceMeasure(household=household, item=code, category=category, year=year))
        if not parsed.income:
            continue
        income = IncomeRecord(
            household=household,
            year=year,
            member_count_used=parsed.income["member_count_used"] or len(parsed.members),
            **{k: parsed.income[k] for k in INCOME_FIELDS[:5]},
        )
        income.compute_totals()
        incomes.append(income)
    return {Member: members, IncomeRecord: incomes, AssistanceMeasure: measures}


def sync_records(*, current: dict, wanted: dict, keys: dict, fields: dict, options: dict, user) -> None:
    """Make the rows of each model equal `wanted`: matched rows are updated in place (their
    primary keys and whatever refers to them stay), the rest deleted or created.

    All deletions run first so a unique value (an ID number) can move between rows.
    """
    plans = {}
    for model, objs in wanted.items():
        existing = {}
        for obj in current.get(model, []):
            existing.setdefault(keys[model](obj), obj)
        to_update, to_create, kept, changed_fields = [], [], set(), set()
        for obj in objs:
            match = existing.pop(keys[model](obj), None)
            if match is None:
                to_create.append(obj)
                continue
            kept.add(id(match))
            # Unchanged rows are left alone (no write, no history row), and bulk_update
            # only gets the columns that changed: its CASE expressions grow with both.
            changed = [n for n in fields[model] if getattr(match, n) != getattr(obj, n)]
            for name in changed:
                setattr(match, name, getattr(obj, name))
            if changed:
                to_update.append(match)
                changed_fields.update(changed)
        stale = [o for o in current.get(model, []) if id(o) not in kept]
        plans[model] = (stale, to_update, to_create, sorted(changed_fields))
    for stale, *_rest in plans.values():
        delete_with_history(stale, user)
    for model, (_s, to_update, to_create, changed_fields) in plans.items():
        if to_update:
            bulk_update_with_history(to_update, model, changed_fields, **options)
        if to_create:
            bulk_create_with_history(to_create, model, **options)


TEXT_FIELDS = (
    "attribute",
    "main_cause",
    "exit_status",
    "housing_grade",
    "helper_name",
    "helper_phone",
    "phone",
)


def _household_fields(parsed, village, batch, *, creating: bool = True, current_type: str = "") -> dict:
    """The household's fields from the file; a field the layout lacks is left empty on a new
    household (never a default that means something) and untouched on an existing one."""
    fields = {k: v for k, v in parsed.fields.items() if k != "other_causes"}
    for key in TEXT_FIELDS:
        if key in fields or creating:
            fields[key] = fields.get(key) or ""
    # 户类型 follows 贫困户状态 (the file's own 户类型 where it has one), never a model default.
    given_type = fields.pop("household_type", "") or current_type
    if "exit_status" in fields:
        fields["household_type"] = household_type_for(fields["exit_status"], given_type)
    elif given_type:
        fields["household_type"] = given_type
    fields["other_causes"] = join_codes(
        c for c in parsed.fields.get("other_causes", []) if c != fields["main_cause"]
    )
    fields.update(village=village, number=parsed.number, head_name=parsed.head_name, import_batch=batch)
    return fields


# ---------------------------------------------------------------- rollback


RESTORED_HOUSEHOLD_FIELDS = [
    f.attname for f in Household._meta.concrete_fields if not f.primary_key and f.attname != "created_at"
]


def restore(*, touches, user, reason: str) -> None:
    """Put updated households back as their snapshots were, keeping primary keys."""
    options = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}
    for start in range(0, len(touches), BATCH_SIZE):
        part = [t for t in touches[start : start + BATCH_SIZE] if t.household_id]
        households = {h.pk: h for h in Household.objects.filter(pk__in=[t.household_id for t in part])}
        part = [t for t in part if t.household_id in households]
        if not part:
            continue
        year = part[0].snapshot["year"]
        _prefetch_for_snapshot(list(households.values()), year)
        changed, changed_fields = [], set()
        for touch in part:
            household = households[touch.household_id]
            previous = _load(Household, touch.snapshot["household"])
            names = [n for n in RESTORED_HOUSEHOLD_FIELDS if getattr(household, n) != getattr(previous, n)]
            for name in names:
                setattr(household, name, getattr(previous, name))
            if names:
                changed.append(household)
                changed_fields.update(names)
        if changed:  # updated_at too, so batches imported before this one stay undoable
            bulk_update_with_history(changed, Household, sorted(changed_fields), **options)
        current = {
            Member: [m for h in households.values() for m in h.members.all()],
            IncomeRecord: [r for h in households.values() for r in h.snapshot_incomes],
            AssistanceMeasure: [m for h in households.values() for m in h.snapshot_measures],
        }
        wanted = {
            model: [_load(model, data) for t in part for data in t.snapshot[key]]
            for model, key in (
                (Member, "members"),
                (IncomeRecord, "incomes"),
                (AssistanceMeasure, "measures"),
            )
        }
        fields = {
            model: [f.attname for f in model._meta.concrete_fields if not f.primary_key] for model in wanted
        }
        for model, key in ((MonitoringCase, "cases"), (LivingConditions, "conditions")):
            restored = [t for t in part if key in t.snapshot]
            if restored:
                current[model] = list(
                    model.objects.filter(household_id__in=[t.household_id for t in restored])
                )
                wanted[model] = [_load(model, data) for t in restored for data in t.snapshot[key]]
                fields[model] = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        keys = dict.fromkeys(wanted, lambda obj: obj.pk)
        sync_records(current=current, wanted=wanted, keys=keys, fields=fields, options=options, user=user)


def delete_created(*, touches, user) -> None:
    ids = [t.household_id for t in touches if t.household_id]
    for start in range(0, len(ids), BATCH_SIZE):
        part = ids[start : start + BATCH_SIZE]
        delete_with_history(Member.objects.filter(household_id__in=part), user)
        delete_with_history(IncomeRecord.objects.filter(household_id__in=part), user)
        delete_with_history(AssistanceMeasure.objects.filter(household_id__in=part), user)
        delete_with_history(Household.objects.filter(pk__in=part), user)


def changed_since(plan: ImportPlan, since) -> list[dict]:
    """Row errors for the households the plan updates that someone saved after `since` (the batch's
    check): registered since (a number the check saw as new), or changed since, with who and when.
    A batch checked against an older register must not overwrite what was saved after."""
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from ..excel.results import problem
    from ..history import display_name

    items = {item.existing.pk: item for item in plan.items if item.existing}
    newest = {}
    models = [(Household, "id"), (Member, "household_id"), (IncomeRecord, "household_id")]
    models.append((AssistanceMeasure, "household_id"))
    for model, key in models:
        for start in range(0, len(items), BATCH_SIZE):
            part = list(items)[start : start + BATCH_SIZE]
            rows = model.history.filter(**{f"{key}__in": part, "history_date__gt": since})
            for row in rows.select_related("history_user").order_by("history_date"):
                household_id = getattr(row, key)
                registered = model is Household and row.history_type == "+"
                if household_id not in newest or registered:
                    newest[household_id] = (row, registered)
    errors = []
    for household_id, (row, registered) in newest.items():
        item = items[household_id]
        who = display_name(row.history_user) if row.history_user else _("system")
        when = date_format(timezone.localtime(row.history_date), "Y-m-d H:i")
        text = (
            _("Household %(number)s was registered by %(who)s at %(when)s, after this file was checked.")
            if registered
            else _("Household %(number)s was changed by %(who)s at %(when)s, after this file was checked.")
        )
        message = text % {"number": item.existing.number, "who": who, "when": when}
        message += " " + _(
            "Nothing was imported: upload the file again to check it against the register as it is now."
        )
        errors.append(problem("changed_since_check", message, row=item.parsed.first_row, column="户编号"))
    return errors
