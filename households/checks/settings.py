"""Effective switch and parameters of each rule: code default < core.Parameter < RuleSetting."""

from decimal import Decimal

from households.models import RuleSetting
from povertycase.core.models import Parameter

from .registry import Rule, Settings


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def county_parameters() -> dict[str, object]:
    """Parameters without a year, national rows overridden by regional ones."""
    rows = Parameter.objects.filter(year__isnull=True).order_by("name", "region_code")
    return {row.name: _plain(row.value) for row in rows}


def yearly_values(name: str) -> dict[int, Decimal]:
    rows = Parameter.objects.filter(name=name, year__isnull=False).order_by("year", "region_code")
    return {row.year: row.value for row in rows}


def effective_settings(rules: list[Rule]) -> dict[str, Settings]:
    """One query for the overrides, one for the county parameters."""
    stored = {s.rule_id: s for s in RuleSetting.objects.filter(rule_id__in=[r.id for r in rules])}
    parameters = county_parameters()
    result = {}
    for item in rules:
        override = stored.get(item.id)
        params = {}
        for param in item.params:
            value = param.default
            if param.parameter and param.parameter in parameters:
                value = parameters[param.parameter]
            if override and param.name in (override.params or {}):
                value = override.params[param.name]
            params[param.name] = value
        result[item.id] = Settings(enabled=override.enabled if override else True, params=params)
    return result
