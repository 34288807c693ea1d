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

from ..models import (
    AssistanceMeasure,
    County,
    Household,
    ImportBatchHousehold,
    IncomeRecord,
    Member,
    Township,
    Village,
)
from ..models.register import join_codes
from .import_plan import ImportPlan

BATCH_SIZE = 500
HOUSEHOLD_FIELDS = [
    "village", "attribute", "main_cause", "other_causes", "identified_month", "exit_month", "exit_status",
    "member_count", "farmland_area", "is_dangerous_house", "housing_grade", "water_safe", "water_difficult",
    "has_electricity", "helper_name", "helper_phone", "phone", "head_name", "import_batch", "number",
]  # fmt: skip
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


def snapshot(household: Household, year: int) -> dict:
    return {
        "year": year,
        "household": _dump(household),
        "members": [_dump(m) for m in household.members.all()],
        "incomes": [_dump(i) for i in household.snapshot_incomes],
        "measures": [_dump(m) for m in household.snapshot_measures],
    }


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


def write_plan(*, plan: ImportPlan, batch, user, year: int, reason: str, progress) -> tuple[int, int]:
    measure_categories = {c.code: c.extra.get("category", "") for c in codes.entries("measure_item")}
    created, updated, touched = [], [], []
    _prefetch_for_snapshot([item.existing for item in plan.items if item.existing], year)
    for item in plan.items:
        parsed = item.parsed
        fields = _household_fields(parsed, plan.villages[item.region], batch)
        if item.existing is None:
            created.append((item, Household(**fields)))
        else:
            household = item.existing
            touched.append(
                ImportBatchHousehold(
                    batch=batch,
                    household=household,
                    number=household.number,
                    action=ImportBatchHousehold.Action.UPDATED,
                    snapshot=snapshot(household, year),
                )
            )
            for name, value in fields.items():
                setattr(household, name, value)
            updated.append((item, household))
    progress(70)
    if updated:
        existing = [h for _i, h in updated]
        for start in range(0, len(existing), BATCH_SIZE):
            part = [h.pk for h in existing[start : start + BATCH_SIZE]]
            delete_with_history(Member.objects.filter(household_id__in=part), user)
            delete_with_history(IncomeRecord.objects.filter(household_id__in=part, year=year), user)
            delete_with_history(AssistanceMeasure.objects.filter(household_id__in=part, year=year), user)
        bulk_update_with_history(
            existing, Household, HOUSEHOLD_FIELDS, batch_size=BATCH_SIZE, default_user=user,
            default_change_reason=reason,
        )  # fmt: skip
    new = bulk_create_with_history(
        [h for _i, h in created],
        Household,
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )
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
    members, incomes, measures = [], [], []
    for item, household in pairs:
        parsed = item.parsed
        for data in parsed.members:
            values = {**MEMBER_DEFAULTS, **{k: v for k, v in data.items() if not k.startswith("_")}}
            values["person_number"] = values.get("person_number") or ""
            members.append(Member(household=household, **values))
        income = IncomeRecord(
            household=household,
            year=year,
            member_count_used=parsed.income["member_count_used"] or len(parsed.members),
            **{k: parsed.income[k] for k in ("wage_income", "business_income", "transfer_income",
                                               "property_income", "business_expense")},
        )  # fmt: skip
        income.compute_totals()
        incomes.append(income)
        for code in parsed.measures:
            measures.append(
                AssistanceMeasure(
                    household=household, item=code, category=measure_categories.get(code, ""), year=year
                )
            )
    for model, objs in ((Member, members), (IncomeRecord, incomes), (AssistanceMeasure, measures)):
        bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
        )
    progress(95)
    ImportBatchHousehold.objects.bulk_create(touched, batch_size=BATCH_SIZE)
    return len(created), len(updated)


def _household_fields(parsed, village, batch) -> dict:
    fields = {k: v for k, v in parsed.fields.items() if k != "other_causes"}
    for key in (
        "attribute",
        "main_cause",
        "exit_status",
        "housing_grade",
        "helper_name",
        "helper_phone",
        "phone",
    ):
        fields[key] = fields.get(key) or ""
    fields["exit_status"] = fields["exit_status"] or "0"
    fields["other_causes"] = join_codes(
        c for c in parsed.fields.get("other_causes", []) if c != fields["main_cause"]
    )
    fields.update(village=village, number=parsed.number, head_name=parsed.head_name, import_batch=batch)
    return fields


# ---------------------------------------------------------------- rollback


def restore(*, touches, user, reason: str) -> None:
    households = {h.pk: h for h in Household.objects.filter(pk__in=[t.household_id for t in touches])}
    for touch in touches:
        household = households.get(touch.household_id)
        if household is None:
            continue
        year = touch.snapshot["year"]
        delete_with_history(household.members.all(), user)
        delete_with_history(household.incomes.filter(year=year), user)
        delete_with_history(household.measures.filter(year=year), user)
        previous = _load(Household, touch.snapshot["household"])
        for f in Household._meta.concrete_fields:
            if not f.primary_key and f.attname not in ("created_at",):
                setattr(household, f.attname, getattr(previous, f.attname))
        household._history_user = user
        household._change_reason = reason
        household.save()
        # auto_now stamped the rollback; keep the restored time so earlier batches stay undoable.
        Household.objects.filter(pk=household.pk).update(updated_at=previous.updated_at)
        for model, key in ((Member, "members"), (IncomeRecord, "incomes"), (AssistanceMeasure, "measures")):
            objs = [_load(model, data) for data in touch.snapshot[key]]
            bulk_create_with_history(objs, model, default_user=user, default_change_reason=reason)


def delete_created(*, touches, user) -> None:
    ids = [t.household_id for t in touches if t.household_id]
    for start in range(0, len(ids), BATCH_SIZE):
        part = ids[start : start + BATCH_SIZE]
        delete_with_history(Member.objects.filter(household_id__in=part), user)
        delete_with_history(IncomeRecord.objects.filter(household_id__in=part), user)
        delete_with_history(AssistanceMeasure.objects.filter(household_id__in=part), user)
        delete_with_history(Household.objects.filter(pk__in=part), user)
