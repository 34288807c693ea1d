"""Living conditions (生产生活条件) and relocation (易地扶贫搬迁) of the demo households.

About 60% of households have had the survey recorded, the rest are "not collected" (HH-010
skips them). Only households whose register already holds farmland, housing, water and
electricity are surveyed, so HH-010 finds nothing it should not. Every household with a 搬迁
measure (A10) is surveyed and relocated as the measure says: 集中安置 in a site of another
village of its township, 分散安置 in another group of its own village, never its own group.
A few households carry deliberate gaps, one per kind in `GAPS`, so the page and the checks have
something to show; the home village's households are chosen first, so the demo logins see them.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from households.models import AssistanceMeasure, Household, LivingConditions

from .names import GROUP_NAMES
from .vocab import EXITED
from .writer import Inserter

# gap -> (how many households, the logic check it must raise)
GAPS = {
    "empty_mandatory": (2, "HH-010"),
    "out_of_range": (2, "HH-011"),
    "own_group": (1, "HH-012"),
}
SURVEYED_SHARE = 0.6
RELOCATION_CATEGORY = "A10"
CENTRALISED, SCATTERED = "1", "2"  # relocation_mode
ROAD_TYPES = (("3", 60), ("2", 20), ("1", 10), ("4", 10))  # 水泥路 mostly
FUELS = (("1", 45), ("3", 20), ("4", 30), ("9", 5))  # 柴草, 煤炭, 清洁能源, 其他
CENTRAL_SITES = ("幸福家园安置点", "新村安置小区", "阳光社区安置点", "集镇安置小区")
REGISTER_FACTS = ("farmland_area", "is_dangerous_house", "water_safe", "has_electricity")


@dataclass
class Facts:
    """What the survey must agree with: the household's place and its relocation measure."""

    pk: int
    number: str
    village_id: int
    group_name: str
    exited: bool
    relocation: AssistanceMeasure | None = None


def build_conditions(layout, *, as_of: datetime.date, seed: int) -> dict[str, str]:
    """Create the demo rows; returns {household number: gap} of the deliberate gaps."""
    rng = random.Random(f"conditions-{seed}")
    villages = {v.pk: v for v in layout.villages}
    _delete_existing(list(villages))
    households = _surveyable(list(villages))
    chosen = [h for h in households if h.relocation or rng.random() < SURVEYED_SHARE]
    records = {h.pk: _survey(rng, h, villages, as_of=as_of) for h in chosen}
    gaps = _choose_gaps(rng, chosen, layout.home_village.pk)
    for number, gap in gaps.items():
        household = next(h for h in chosen if h.number == number)
        _apply_gap(rng, records[household.pk], gap, household)
    inserter = Inserter()  # plain INSERTs with their history rows: 2,000 households well within a second
    inserter.insert(LivingConditions, list(records.values()))
    inserter.close()
    return gaps


def _delete_existing(village_ids: list[int]) -> None:
    """A re-seed replaces the demo surveys and their whole trail: a reset deletes the surveys row
    by row (leaving "-" history rows) and the new households and surveys reuse the old ids."""
    trail = LivingConditions.history.model.objects
    trail.filter(household__village_id__in=village_ids)._raw_delete(connection.alias)
    trail.exclude(household_id__in=Household.objects.values("pk"))._raw_delete(connection.alias)
    LivingConditions.objects.filter(household__village_id__in=village_ids)._raw_delete(connection.alias)


def _surveyable(village_ids: list[int]) -> list[Facts]:
    """Households whose register holds the facts HH-010 also asks for, in number order."""
    rows = Household.objects.filter(village_id__in=village_ids).order_by("number")
    for name in REGISTER_FACTS:
        rows = rows.filter(**{f"{name}__isnull": False})
    facts = [
        Facts(pk, number, village_id, group, status == EXITED)
        for pk, number, village_id, group, status in rows.values_list(
            "pk", "number", "village_id", "group_name", "exit_status"
        )
    ]
    measures = AssistanceMeasure.objects.filter(
        household__village_id__in=village_ids, category=RELOCATION_CATEGORY
    ).order_by("household_id", "year", "pk")
    first = {}
    for measure in measures:
        first.setdefault(measure.household_id, measure)
    for household in facts:
        household.relocation = first.get(household.pk)
    return facts


def _area(rng: random.Random, low: float, high: float, *, none_share: float = 0.0) -> Decimal | None:
    if rng.random() < none_share:
        return None
    return Decimal(str(round(rng.uniform(low, high), 1)))


def _survey(
    rng: random.Random, household: Facts, villages: dict, *, as_of: datetime.date
) -> LivingConditions:
    record = LivingConditions(
        household_id=household.pk,
        housing_area=_area(rng, 45, 160),
        forest_area=Decimal(0) if rng.random() < 0.3 else _area(rng, 0.5, 40),
        pasture_area=Decimal(0) if rng.random() < 0.8 else _area(rng, 0.5, 12),
        water_surface_area=_area(rng, 0, 3, none_share=0.5),
        returned_forest_area=Decimal(0) if rng.random() < 0.6 else _area(rng, 0.5, 6),
        orchard_area=_area(rng, 0, 10, none_share=0.3),
        road_type=_weighted(rng, ROAD_TYPES),
        road_distance_km=Decimal(str(round(rng.uniform(0.05, 3.5), 2))),
        sanitary_toilet=rng.random() < (0.9 if household.exited else 0.6),
        main_fuel=_weighted(rng, FUELS),
        is_relocated=household.relocation is not None,
    )
    if household.relocation is not None:
        _resettle(rng, record, household, villages, as_of=as_of)
    return record


def _weighted(rng: random.Random, pairs) -> str:
    codes, weights = zip(*pairs, strict=True)
    return rng.choices(codes, weights=weights)[0]


def _resettle(
    rng: random.Random, record: LivingConditions, household: Facts, villages: dict, *, as_of: datetime.date
) -> None:
    """As the 搬迁 measure says: a central site in another village, or another group at home."""
    measure = household.relocation
    own = villages[household.village_id]
    others = [v for v in villages.values() if v.township_id == own.township_id and v.pk != own.pk]
    if measure.description == "集中安置" and others:
        record.relocation_mode = CENTRALISED
        record.relocation_village = rng.choice(others)
        record.relocation_group = rng.choice(GROUP_NAMES[:4])
        record.relocation_place = rng.choice(CENTRAL_SITES)
    else:
        record.relocation_mode = SCATTERED
        record.relocation_village = own
        record.relocation_group = rng.choice([g for g in GROUP_NAMES if g != household.group_name])
        record.relocation_place = ""
    record.relocated_on = _moved_in(rng, measure, as_of)


def _moved_in(rng: random.Random, measure: AssistanceMeasure, as_of: datetime.date) -> datetime.date:
    start = measure.start_date or datetime.date(measure.year, 1, 1)
    return min(start + datetime.timedelta(days=rng.randint(30, 300)), as_of)


def _choose_gaps(rng: random.Random, surveyed: list[Facts], home_village_id: int) -> dict[str, str]:
    """The home village's households first; the own-group gap needs a relocated household."""
    home = [h for h in surveyed if h.village_id == home_village_id]
    away = [h for h in surveyed if h.village_id != home_village_id]
    rng.shuffle(home)
    rng.shuffle(away)
    ordered = home + away
    relocated = [h for h in ordered if h.relocation is not None and h.group_name]
    gaps: dict[str, str] = {}
    for gap, (count, _rule) in GAPS.items():
        pool = relocated if gap == "own_group" else [h for h in ordered if h.relocation is None]
        for household in [h for h in pool if h.number not in gaps][:count]:
            gaps[household.number] = gap
    return gaps


def _apply_gap(rng: random.Random, record: LivingConditions, gap: str, household: Facts) -> None:
    if gap == "empty_mandatory":
        if rng.random() < 0.5:
            record.road_distance_km = None
        else:
            record.sanitary_toilet = None
    elif gap == "out_of_range":
        if rng.random() < 0.5:
            record.forest_area = Decimal("260.0")
        else:
            record.road_distance_km = Decimal("7.50")
    else:  # own_group: 本组安置, what HH-012 reports
        record.relocation_mode, record.relocation_place = SCATTERED, ""
        record.relocation_village_id = household.village_id
        record.relocation_group = household.group_name
