"""Village indicators (村级指标) of the demo county, consistent with each village's register.

Counts the register holds (households without safe water, in danger housing, 低保, 特困,
disabled persons, pension insurance, farmland) are the floor of the village's figures; the
village itself is larger than its registered households. An exited village's population keeps
its incidence below 2%. A few villages carry deliberate gaps, one per VL check, so the village
pages and the logic checks have something to show; `GAPS` names them.
"""

import random
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from simple_history.utils import bulk_create_with_history

from households.models import Household, Member, Village, VillageIndicators

from .vocab import NOT_EXITED, POOR
from .writer import CHANGE_REASON

# gap -> the logic check it must raise
GAPS = {
    "no_record": "VL-001",
    "empty_indicator": "VL-001",
    "no_hardened_road": "VL-001",
    "water_count_impossible": "VL-002",
    "land_too_small": "VL-003",
    "high_incidence": "VL-004",
}
EXITED_INCIDENCE = (0.6, 1.8)  # % of the population still poor in an exited village
HIGH_INCIDENCE = 3.5  # % in the village of the VL-004 gap
DISABLED = "4"  # health 残疾
DANGEROUS_GRADES = ("C", "D")


def build_village_indicators(villages: list[Village], *, seed: int) -> dict[str, str]:
    """Create the indicators of `villages`; returns {village code: gap} of the deliberate gaps."""
    rng = random.Random(f"villages-{seed}")
    ids = [v.pk for v in villages]
    _delete_existing(ids)
    facts = _register_facts(ids)
    gaps = _choose_gaps(rng, villages, facts)
    records = []
    for village in villages:
        gap = gaps.get(village.code)
        if gap == "no_record":
            continue
        high = gap == "high_incidence"
        incidence = HIGH_INCIDENCE if high else rng.uniform(*EXITED_INCIDENCE)
        record = _consistent(rng, village, facts.get(village.pk, {}), incidence=incidence, exact=high)
        if gap and not high:
            _apply_gap(record, gap, facts.get(village.pk, {}))
        records.append(record)
    bulk_create_with_history(records, VillageIndicators, default_change_reason=CHANGE_REASON)
    return gaps


def _delete_existing(village_ids: list[int]) -> None:
    """A re-seed after --reset keeps the villages: their old indicators (and trail) go first."""
    VillageIndicators.objects.filter(village_id__in=village_ids)._raw_delete(connection.alias)
    VillageIndicators.history.model.objects.filter(village_id__in=village_ids)._raw_delete(connection.alias)


def _register_facts(village_ids: list[int]) -> dict[int, dict]:
    """Per village: registered households and persons, and the counts the indicators must cover."""
    households = (
        Household.objects.filter(village_id__in=village_ids)
        .values("village_id")
        .annotate(
            households=Count("pk"),
            without_water=Count("pk", filter=Q(water_safe=False)),
            danger=Count("pk", filter=Q(is_dangerous_house=True) | Q(housing_grade__in=DANGEROUS_GRADES)),
            farmland=Sum("farmland_area"),
        )
    )
    facts = {row.pop("village_id"): row for row in households}
    members = (
        Member.objects.filter(household__village_id__in=village_ids, status="1")
        .values("household__village_id")
        .annotate(
            persons=Count("pk"),
            poor=Count("pk", filter=Q(household__household_type=POOR) & Q(household__exit_status=NOT_EXITED)),
            dibao_households=Count("household", filter=Q(dibao=True), distinct=True),
            dibao=Count("pk", filter=Q(dibao=True)),
            tekun=Count("pk", filter=Q(tekun=True)),
            disabled=Count("pk", filter=Q(health=DISABLED)),
            pension=Count("pk", filter=Q(pension_insurance=True)),
        )
    )
    for row in members:
        facts.setdefault(row.pop("household__village_id"), {}).update(row)
    return facts


def _choose_gaps(rng: random.Random, villages: list[Village], facts: dict) -> dict[str, str]:
    """One village per gap: exited villages with households for the VL-001/004 gaps, any other."""
    exited = [v for v in villages if v.exit_year and facts.get(v.pk, {}).get("households")]
    others = [v for v in villages if not v.exit_year and facts.get(v.pk, {}).get("farmland")]
    chosen: dict[str, str] = {}
    for gap, pool in (
        ("high_incidence", _most_poor(exited, facts)),
        ("no_record", exited),
        ("empty_indicator", exited),
        ("no_hardened_road", exited),
        ("water_count_impossible", others),
        ("land_too_small", others),
    ):
        free = [v for v in pool if v.code not in chosen]
        if free:
            chosen[rng.choice(free).code] = gap
    return chosen


def _most_poor(villages: list[Village], facts: dict) -> list[Village]:
    """The exited village with the most poor persons, so a 3.5% incidence gives a real population."""
    poor = [v for v in villages if facts[v.pk].get("poor")]
    return [max(poor, key=lambda v: (facts[v.pk]["poor"], v.code))] if poor else []


def _consistent(
    rng: random.Random, village: Village, facts: dict, *, incidence: float, exact: bool
) -> VillageIndicators:
    """Figures that hold together; an exited village's incidence is at most `incidence` % (`exact`: equal)."""
    registered_households = facts.get("households", 0)
    registered_persons = facts.get("persons", 0)
    population = max(round(registered_persons * rng.uniform(2.5, 4.0)), rng.randint(600, 1500))
    if village.exit_year and facts.get("poor"):
        floor = round(facts["poor"] * 100 / incidence)
        population = floor if exact else max(population, floor)
    households = max(registered_households, round(population / rng.uniform(3.2, 3.8)))
    farmland = Decimal(facts.get("farmland") or 0)
    return VillageIndicators(
        village=village,
        total_households=households,
        total_population=population,
        collective_income=Decimal(rng.randrange(20_000, 300_000, 500)),
        primary_schools=rng.choice((0, 1, 1, 1, 2)),
        pension_insured=max(facts.get("pension", 0), round(population * rng.uniform(0.55, 0.7))),
        bus_service=rng.random() < 0.85,
        clinics=1,
        doctors=rng.choice((1, 1, 2)),
        public_toilets=rng.randint(1, 4),
        garbage_points=rng.randint(2, 8),
        cultural_rooms=1,
        dibao_households=max(facts.get("dibao_households", 0), round(households * rng.uniform(0.02, 0.05))),
        dibao_persons=max(facts.get("dibao", 0), round(population * rng.uniform(0.03, 0.06))),
        tekun_persons=max(facts.get("tekun", 0), rng.randint(1, 6)),
        disabled_persons=max(facts.get("disabled", 0), round(population * rng.uniform(0.02, 0.04))),
        hardened_road=True,
        households_without_water=facts.get("without_water", 0),
        households_in_danger_housing=facts.get("danger", 0),
        land_area=(farmland * Decimal(rng.uniform(3, 6)) + rng.randint(800, 3000)).quantize(Decimal("0.1")),
    )


def _apply_gap(record: VillageIndicators, gap: str, facts: dict) -> None:
    if gap == "empty_indicator":
        record.doctors = record.cultural_rooms = None
    elif gap == "no_hardened_road":
        record.hardened_road = False
    elif gap == "water_count_impossible":
        record.households_without_water = record.total_households + 12
    else:  # land_too_small
        record.land_area = (Decimal(facts["farmland"]) * Decimal("0.8")).quantize(Decimal("0.1"))
