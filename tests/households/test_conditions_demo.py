"""Demo living conditions: about 60% surveyed, consistent with the register and the 搬迁 measures,
valid by the page's own checks, and one deliberate gap per kind that trips exactly its check."""

import datetime

from households import demo
from households.checks.runner import find_hits
from households.demo.conditions import GAPS, build_conditions
from households.demo.regions import build_layout
from households.models import AssistanceMeasure, Household, LivingConditions
from households.services.conditions import CONDITIONS_FIELDS, conditions_problems

AS_OF = datetime.date(2026, 6, 30)
RULES = {"HH-010", "HH-011", "HH-012"}


def test_demo_surveys_hold_together_and_each_gap_trips_its_check(db):
    demo.build_demo(households=300, seed=4, as_of=AS_OF)
    gaps = build_conditions(build_layout(), as_of=AS_OF, seed=4)  # the same stream again
    assert sorted(gaps.values()) == sorted(g for g, (count, _rule) in GAPS.items() for _ in range(count))
    total = Household.objects.count()
    assert 0.5 * total <= LivingConditions.objects.count() <= 0.75 * total
    assert LivingConditions.history.count() == LivingConditions.objects.count()  # re-seeded, not piled up

    relocating = set(AssistanceMeasure.objects.filter(category="A10").values_list("household_id", flat=True))
    relocated = set(LivingConditions.objects.filter(is_relocated=True).values_list("household_id", flat=True))
    assert relocated == relocating and relocated

    numbers = dict(Household.objects.values_list("pk", "number"))
    for record in LivingConditions.objects.select_related("household"):
        if numbers[record.household_id] in gaps:
            continue
        data = {name: getattr(record, name) for name in CONDITIONS_FIELDS}
        assert not conditions_problems(data, today=AS_OF).errors, record.household.number
        if record.is_relocated:
            assert (record.relocation_village_id, record.relocation_group) != (
                record.household.village_id,
                record.household.group_name,
            )

    found = find_hits(today=AS_OF, rule_ids=RULES)
    tripped = {(rule_id, numbers[household_id]) for rule_id, household_id, _member in found.hits}
    assert tripped == {(GAPS[gap][1], number) for number, gap in gaps.items()}


def test_same_seed_same_surveys(db):
    demo.build_demo(households=40, seed=5, as_of=AS_OF)
    layout = build_layout()

    def fingerprint():
        rows = LivingConditions.objects.order_by("household__number")
        return list(rows.values_list("household__number", "housing_area", "road_type", "is_relocated"))

    first = fingerprint()
    build_conditions(layout, as_of=AS_OF, seed=5)
    assert fingerprint() == first
    demo.reset_demo()  # the new households and surveys take the old ids again
    demo.build_demo(households=40, seed=5, as_of=AS_OF)
    assert fingerprint() == first
    assert LivingConditions.history.count() == LivingConditions.objects.count()
    build_conditions(layout, as_of=AS_OF, seed=6)
    assert fingerprint() != first
