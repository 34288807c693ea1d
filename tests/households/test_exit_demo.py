"""The demo's exit procedures: consistent dates, exited at step 8, this year's milestones."""

import datetime

import pytest

from households import demo
from households.checks.runner import find_hits
from households.models import ExitMilestone, ExitProcedure

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def built(db):
    return demo.build_demo(households=120, seed=3, as_of=AS_OF)


def test_demo_procedures_are_consistent(built):
    procedures = list(ExitProcedure.objects.prefetch_related("steps").select_related("household"))
    assert 20 <= len(procedures) <= 40
    assert {p.year for p in procedures if p.year == AS_OF.year}
    reached = set()
    for procedure in procedures:
        steps = sorted(procedure.steps.all(), key=lambda s: s.number)
        assert [s.number for s in steps] == list(range(1, len(steps) + 1))
        assert all(a.date <= b.date for a, b in zip(steps, steps[1:], strict=False))
        assert all(s.date <= AS_OF for s in steps)
        for step in steps:
            if step.number == 5:
                assert (step.end_date - step.date).days + 1 >= 7
            if step.number == 6:
                assert step.date > steps[4].end_date
        if len(steps) == 8:
            assert procedure.household.exit_status == "1"
            assert procedure.household.exit_month == steps[-1].date.replace(day=1)
        reached.add(len(steps))
    assert len(reached) >= 5  # varied steps


def test_demo_milestones_and_no_procedure_error(built):
    assert ExitMilestone.objects.filter(year=AS_OF.year).count() == 4
    found = find_hits(today=AS_OF, rule_ids={"EX-007"})
    assert found.count == 0
