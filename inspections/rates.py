"""三率一度 (DOMAIN.md §7.4) as pure functions of counts, with their limits (§3.2).

漏评率 = missed persons found ÷ persons of non-registered households surveyed  (< 2%)
错退率 = wrongly exited persons found ÷ exited persons surveyed                 (< 2%)
群众认可度 = households recognising the work ÷ households surveyed              (≥ 90%)
政策知晓率 = households knowing the policies ÷ households surveyed               (≥ 90%)
A rate with nothing surveyed is None: unknown, neither good nor bad.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

LIMITS = {
    "wrong_exit": ("below", Decimal("0.02")),
    "missed": ("below", Decimal("0.02")),
    "recognition": ("at_least", Decimal("0.90")),
    "awareness": ("at_least", Decimal("0.90")),
}
LABELS = {
    "wrong_exit": _("Wrong exit rate"),
    "missed": _("Missed household rate"),
    "recognition": _("Public recognition"),
    "awareness": _("Policy awareness"),
}


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def wrong_exit_rate(*, wrongly_exited_persons: int, exited_persons_surveyed: int) -> Decimal | None:
    return ratio(wrongly_exited_persons, exited_persons_surveyed)


def missed_rate(*, missed_persons: int, non_registered_persons_surveyed: int) -> Decimal | None:
    return ratio(missed_persons, non_registered_persons_surveyed)


def recognition_rate(*, satisfied_households: int, households_surveyed: int) -> Decimal | None:
    return ratio(satisfied_households, households_surveyed)


def awareness_rate(*, knowing_households: int, households_surveyed: int) -> Decimal | None:
    return ratio(knowing_households, households_surveyed)


def within_limit(key: str, value: Decimal | None) -> bool | None:
    if value is None:
        return None
    direction, limit = LIMITS[key]
    return value < limit if direction == "below" else value >= limit


@dataclass(frozen=True)
class Rate:
    key: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return ratio(self.numerator, self.denominator)

    @property
    def percent(self) -> Decimal | None:
        return None if self.value is None else (self.value * 100).quantize(Decimal("0.01"))

    @property
    def ok(self) -> bool | None:
        return within_limit(self.key, self.value)

    @property
    def label(self):
        return LABELS[self.key]

    @property
    def limit_text(self) -> str:
        direction, limit = LIMITS[self.key]
        return f"{'<' if direction == 'below' else '≥'} {limit * 100:.0f}%"
