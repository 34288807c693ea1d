"""The rule catalogue (DOMAIN.md §9): each rule one named unit with its metadata.

A rule function takes a `Context` (the households in scope, the reference date, the rule's
parameters) and yields `Hit`s. Selection happens in the database: a rule builds one or a few
querysets over all households in scope and iterates only the rows that trip it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ERROR, WARNING = "E", "W"
SKIP, BLANK_IS_ERROR = "skip", "error"


@dataclass(frozen=True)
class Hit:
    household_id: int
    member_id: int | None = None
    message: str = ""
    severity: str | None = None  # None: the rule's own severity


DEFAULT_LABELS = {
    "min_age": _("minimum age"),
    "max_age": _("maximum age"),
    "years_per_generation": _("years per generation"),
    "labour_age": _("age from which labour may be recorded"),
    "old_age": _("age counted as old"),
    "small_share": _("share with labour allowed in small households (%)"),
    "large_share": _("share with labour allowed in large households (%)"),
    "large_size": _("members of a large household"),
    "max_student_age": _("oldest student age"),
    "master_min_age": _("youngest age for a master's degree"),
    "higher_min_age": _("youngest age for higher education"),
    "min_wage": _("smallest plausible wage income (元)"),
    "industry_categories": _("measure categories of 产业帮扶"),
    "welfare_categories": _("measure categories of 综合保障"),
}


@dataclass(frozen=True)
class Param:
    name: str
    default: object
    label: str | Promise = ""
    # Name of a core.Parameter row whose value is the default when the county set one.
    parameter: str | None = None

    @property
    def display_label(self):
        return self.label or DEFAULT_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str | Promise
    severity: str
    fields: tuple[str, ...]
    source: str
    blank: str = SKIP
    blank_note: str | Promise = ""
    params: tuple[Param, ...] = ()
    func: Callable[..., Iterable[Hit]] | None = None

    @property
    def group(self) -> str:
        return self.id.split("-")[0]

    @property
    def applicable(self) -> bool:
        return self.func is not None

    @property
    def number(self) -> int:
        return int(self.id.split("-")[1])


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    title,
    *,
    severity: str,
    fields: tuple[str, ...],
    source: str,
    blank: str = SKIP,
    blank_note="",
    params: tuple[Param, ...] = (),
):
    """Register the decorated function as the rule `rule_id`."""

    def register(func):
        _add(
            Rule(
                id=rule_id,
                title=title,
                severity=severity,
                fields=fields,
                source=source,
                blank=blank,
                blank_note=blank_note,
                params=params,
                func=func,
            )
        )
        return func

    return register


def _add(item: Rule) -> None:
    if item.id in RULES:
        raise ValueError(f"rule {item.id} registered twice")
    RULES[item.id] = item


def all_rules() -> list[Rule]:
    from . import load_rules

    load_rules()
    order = {"ID": 1, "HH": 2, "CM": 3, "MB": 4, "IN": 5, "EX": 6, "MN": 7, "VS": 8, "VL": 9}
    return sorted(RULES.values(), key=lambda r: (order.get(r.group, 99), r.number))


def get_rule(rule_id: str) -> Rule | None:
    from . import load_rules

    load_rules()
    return RULES.get(rule_id)


@dataclass
class Settings:
    """A rule's effective switch and parameters (defaults < core.Parameter < RuleSetting)."""

    enabled: bool = True
    params: dict = field(default_factory=dict)
