"""Village indicators (村级指标, DOMAIN.md §4.4): who may edit them, which values hold together,
and their change trail."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from households import rules
from households.checks.villages import INDICATOR_FIELDS
from households.history import RecordEntry, record_trail
from households.models import Village, VillageIndicators
from households.queries import villages_visible_to
from povertycase.core import concurrency
from povertycase.errors import DomainError

# (part, whole): a part of the village can never be larger than the whole
NOT_MORE_THAN = (
    ("households_without_water", "total_households"),
    ("households_in_danger_housing", "total_households"),
    ("dibao_households", "total_households"),
    ("total_households", "total_population"),
    ("dibao_persons", "total_population"),
    ("tekun_persons", "total_population"),
    ("disabled_persons", "total_population"),
    ("pension_insured", "total_population"),
    ("dibao_households", "dibao_persons"),
)


class IndicatorsInvalid(DomainError):
    """Problems keyed by field (None: the record as a whole); nothing was saved."""

    def __init__(self):
        super().__init__(_("The village indicators were not saved: please correct the marked fields."))
        self.errors = defaultdict(list)

    def add(self, field_name, message) -> None:
        self.errors[field_name].append(message)


def can_edit_indicators(user, village: Village, *, in_scope: bool = False) -> bool:
    """Register cadres: the command office, a township for its villages, a village for itself."""
    if not rules.can_edit_register(user):
        return False
    return in_scope or villages_visible_to(user).filter(pk=village.pk).exists()


def label(field_name: str) -> str:
    return str(VillageIndicators._meta.get_field(field_name).verbose_name)


def indicator_problems(data: dict) -> IndicatorsInvalid:
    """Negative values, a village without households, and parts larger than their whole."""
    problems = IndicatorsInvalid()
    for name in INDICATOR_FIELDS:
        value = data.get(name)
        if isinstance(value, int | Decimal) and not isinstance(value, bool) and value < 0:
            problems.add(name, _("%(field)s cannot be negative.") % {"field": label(name)})
    if data.get("total_households") == 0:
        problems.add("total_households", _("A village has at least one household."))
    for part, whole in NOT_MORE_THAN:
        if part in problems.errors or whole in problems.errors:
            continue
        if data.get(part) is not None and data.get(whole) is not None and data[part] > data[whole]:
            problems.add(
                part,
                _("%(part)s (%(value)s) cannot be more than %(whole)s (%(limit)s).")
                % {"part": label(part), "value": data[part], "whole": label(whole), "limit": data[whole]},
            )
    return problems


def indicators_version(village: Village) -> str:
    """The version of the village's indicators (recorded or not), as its form carries it."""
    return concurrency.version_of([VillageIndicators.history.filter(village_id=village.pk)])


@transaction.atomic
def village_indicators_save(
    *, village: Village, user, data: dict, reason: str = "", expected_version: str | None = None
) -> VillageIndicators:
    """Create or update the village's indicators; all values are checked before anything is written."""
    if not can_edit_indicators(user, village):
        raise DomainError(_("You may not edit the indicators of this village."))
    problems = indicator_problems(data)
    if problems.errors:
        raise problems
    record = VillageIndicators.objects.select_for_update().filter(village=village).first()
    concurrency.ensure_current([VillageIndicators.history.filter(village_id=village.pk)], expected_version)
    record = record or VillageIndicators(village=village)
    for name in INDICATOR_FIELDS:
        setattr(record, name, data.get(name))
    record._history_user = user
    record._change_reason = (reason or "").strip()[:100] or _("village indicators updated")
    record.save()
    return record


def show(value) -> str:
    """A stored indicator as a person reads it (the household trail's words)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def indicators_history(record: VillageIndicators | None) -> list[RecordEntry]:
    """Newest first: who changed which indicator from which value to which (one query)."""
    return record_trail(record, INDICATOR_FIELDS, show=lambda name, value: show(value))
