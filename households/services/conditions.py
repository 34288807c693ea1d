"""A household's production and living conditions (生产生活条件) and relocation (易地扶贫搬迁):
which values are acceptable, the save that keeps the trail and refuses new logic-check errors,
and the trail as readable changes."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households import rules
from households.checks import service as checks_service
from households.codefields import CONDITIONS_CODE_FIELDS
from households.history import RecordEntry, record_trail
from households.models import Household, LivingConditions, Village
from households.queries import households_visible_to
from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

AREA_FIELDS = (
    "housing_area",
    "forest_area",
    "pasture_area",
    "water_surface_area",
    "returned_forest_area",
    "orchard_area",
)
RELOCATION_FIELDS = (
    "relocation_mode",
    "relocation_village",
    "relocation_group",
    "relocation_place",
    "relocated_on",
)
CONDITIONS_FIELDS = (
    *AREA_FIELDS,
    "road_type",
    "road_distance_km",
    "sanitary_toilet",
    "main_fuel",
    "is_relocated",
    *RELOCATION_FIELDS,
)
# HH-010's mandatory survey fields: the form requires them.
REQUIRED_FIELDS = (
    "housing_area",
    "forest_area",
    "pasture_area",
    "road_type",
    "road_distance_km",
    "sanitary_toilet",
)
MAX_AREA = Decimal(10_000)
MAX_DISTANCE_KM = Decimal(100)
CONDITIONS_RULES = ("HH-010", "HH-011", "HH-012")


class ConditionsInvalid(DomainError):
    """Problems keyed by field (None: the record as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("The living conditions were not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field_name, message) -> None:
        self.errors[field_name].append(message)


def label(field_name: str) -> str:
    return str(LivingConditions._meta.get_field(field_name).verbose_name)


def can_edit_conditions(user, household: Household, *, in_scope: bool = False) -> bool:
    """Register editors, for the households they may see."""
    if not rules.can_edit_register(user):
        return False
    return in_scope or households_visible_to(user).filter(pk=household.pk).exists()


def conditions_of(household: Household) -> LivingConditions | None:
    """The household's record, or None when the survey was never recorded (one query)."""
    rows = LivingConditions.objects.filter(household=household)
    return rows.select_related("relocation_village__township").first()


def required_message(name: str) -> str:
    return _("Please fill in %(field)s.") % {"field": label(name)}


def conditions_problems(data: dict, *, today: datetime.date) -> ConditionsInvalid:
    """Missing mandatory values, areas and distance out of bounds, relocation details that do not fit."""
    problems = ConditionsInvalid()
    for name in REQUIRED_FIELDS:
        if data.get(name) in (None, ""):
            problems.add(name, required_message(name))
    for name in AREA_FIELDS:
        _bounded(problems, name, data.get(name), MAX_AREA)
    _bounded(problems, "road_distance_km", data.get("road_distance_km"), MAX_DISTANCE_KM)
    _relocation_problems(problems, data, today=today)
    return problems


def _bounded(problems: ConditionsInvalid, name: str, value, limit: Decimal) -> None:
    if value is None:
        return
    if value < 0:
        problems.add(name, _("%(field)s cannot be negative.") % {"field": label(name)})
    elif value > limit:
        problems.add(
            name, _("%(field)s cannot be more than %(limit)s.") % {"field": label(name), "limit": limit}
        )


def _relocation_problems(problems: ConditionsInvalid, data: dict, *, today: datetime.date) -> None:
    if data.get("is_relocated") is True:
        for name in ("relocation_mode", "relocation_village"):
            if not data.get(name):
                problems.add(
                    name, _("Please fill in %(field)s for a relocated household.") % {"field": label(name)}
                )
        moved_in = data.get("relocated_on")
        if moved_in and moved_in > today:
            problems.add("relocated_on", _("The moving-in date cannot be in the future."))
        return
    for name in RELOCATION_FIELDS:
        if data.get(name) not in (None, ""):
            problems.add(
                name,
                _("%(field)s is only filled in when the household is relocated (是否易地扶贫搬迁户 = 是).")
                % {"field": label(name)},
            )


def conditions_version(household: Household) -> str:
    """The version of the household's record (created or not), as its form carries it."""
    return concurrency.version_of([LivingConditions.history.filter(household_id=household.pk)])


def household_conditions_save(
    *,
    household: Household,
    user,
    data: dict,
    reason: str = "",
    today: datetime.date | None = None,
    expected_version: str | None = None,
) -> LivingConditions:
    """Create or update the household's record; checked first, saved whole or not at all.

    Raises ConditionsInvalid (values), DomainError (not allowed) or checks_service.ChecksRefused
    (the save would add a logic-check error; rolled back)."""
    if not can_edit_conditions(user, household):
        raise DomainError(_("You may not edit the living conditions of this household."))
    problems = conditions_problems(data, today=today or timezone.localdate())
    if problems.errors:
        raise problems
    before = checks_service.error_keys(household)
    with transaction.atomic():
        record = LivingConditions.objects.select_for_update().filter(household=household).first()
        concurrency.ensure_current(
            [LivingConditions.history.filter(household_id=household.pk)], expected_version
        )
        created = record is None
        record = record or LivingConditions(household=household)
        for name in CONDITIONS_FIELDS:
            setattr(record, name, _stored(name, data.get(name)))
        record._history_user = user
        default_reason = _("living conditions recorded") if created else _("living conditions updated")
        record._change_reason = (reason or "").strip()[:100] or default_reason
        record.save()
        checks_service.refuse_new_errors(household, before)
    return record


def _stored(name: str, value):
    """The model's empty value for a blank input ('' for text and codes, None otherwise)."""
    if isinstance(value, str):
        return value.strip()
    if value is None and LivingConditions._meta.get_field(name).get_internal_type() == "CharField":
        return ""
    return value


# ------------------------------------------------------------------ showing values and the trail


def show(name: str, value, villages: dict | None = None) -> str:
    """A stored value as a person reads it: code labels, 是/否, units left to the label."""
    if value is None or value == "":
        return "—"
    if name in CONDITIONS_CODE_FIELDS:
        return codes.label(CONDITIONS_CODE_FIELDS[name], value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Village):
        return f"{value.township.name} · {value.name}"
    if name == "relocation_village" and villages is not None:
        return villages.get(value, str(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def shown_values(record: LivingConditions, names) -> list[tuple[str, str]]:
    return [(label(name), show(name, getattr(record, name))) for name in names]


def conditions_history(record: LivingConditions | None) -> list[RecordEntry]:
    """Newest first: who changed which value from what to what (two queries)."""
    if record is None:
        return []
    ids = record.history.exclude(relocation_village=None).values("relocation_village_id")
    villages = dict(Village.objects.filter(pk__in=ids).values_list("pk", "name"))
    return record_trail(record, CONDITIONS_FIELDS, show=lambda name, value: show(name, value, villages))
