"""Demo village indicators: consistent with the register, one deliberate gap per VL check."""

import datetime

from households import demo
from households.checks.runner import find_hits
from households.checks.villages import INDICATOR_FIELDS
from households.demo.villages import GAPS, build_village_indicators
from households.models import Household, Village, VillageIndicators
from households.services.villages import indicator_problems

AS_OF = datetime.date(2026, 6, 30)


def test_demo_villages_hold_together_and_each_gap_trips_its_check(db):
    demo.build_demo(households=120, seed=4, as_of=AS_OF)
    villages = list(Village.objects.order_by("code"))
    gaps = build_village_indicators(villages, seed=4)  # the same stream again: same figures
    assert sorted(gaps.values()) == sorted(GAPS)
    assert VillageIndicators.objects.count() == len(villages) - 1  # the "no_record" gap

    for record in VillageIndicators.objects.select_related("village"):
        if record.village.code not in gaps:
            data = {name: getattr(record, name) for name in INDICATOR_FIELDS}
            assert not indicator_problems(data).errors, record.village.name
            registered = Household.objects.filter(village=record.village).count()
            assert record.total_households >= registered

    found = find_hits(today=AS_OF, rule_ids={"VL-001", "VL-002", "VL-003", "VL-004"})
    village_of = dict(Household.objects.values_list("pk", "village__code"))
    tripped = {(rule_id, village_of[household_id]) for rule_id, household_id, _member in found.hits}
    assert tripped == {(GAPS[gap], code) for code, gap in gaps.items()}
