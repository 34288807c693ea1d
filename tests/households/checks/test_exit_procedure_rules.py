"""EX-007…EX-009 over the exit procedure's records: each trips, and does not trip when clean."""

import datetime

import pytest

from households.checks.registry import get_rule
from households.models import ExitMilestone, ExitProcedure, ExitStep
from tests.factories import UserFactory

from .conftest import hits, rules_tripped
from .helpers import exited

START = datetime.date(2020, 9, 1)


@pytest.fixture
def clerk(db):
    return UserFactory(role="command")


def walk(family, clerk, *, numbers=range(1, 9), dates=None, signed=True, year=2020):
    """A procedure with the given steps recorded (dates one day apart unless given)."""
    procedure = ExitProcedure.objects.create(
        household=family.household, year=year, started_by=clerk, household_signed=signed
    )
    for index, number in enumerate(numbers):
        day = dates[index] if dates else START + datetime.timedelta(days=number)
        ExitStep.objects.create(procedure=procedure, number=number, date=day, user=clerk)
    if 8 in numbers:
        exited(family, exit_month=datetime.date(year, 11, 1))
    return procedure


def milestone(level, last_step, *, days):
    return ExitMilestone.objects.create(
        year=2020, level=level, last_step=last_step, due_date=START + datetime.timedelta(days=days)
    )


@pytest.mark.parametrize("rule_id", ["EX-007", "EX-008", "EX-009"])
def test_the_procedure_rules_are_applicable(rule_id):
    assert get_rule(rule_id).applicable


def test_a_complete_signed_procedure_trips_nothing(family, clerk):
    walk(family, clerk)
    ExitMilestone.objects.create(year=2020, level="system", last_step=8, due_date=datetime.date(2020, 11, 20))
    assert rules_tripped(family.household) == set()


def test_ex007_marking_without_every_earlier_step(family, clerk):
    walk(family, clerk, numbers=[1, 2, 3, 5, 6, 7, 8])
    found = hits(family.household, "EX-007")
    assert "EX-007" in {rule for rule, _member in found}
    assert "6" in next(iter(found.values()))[0].message


def test_ex007_step_dates_out_of_order(family, clerk):
    dates = [START + datetime.timedelta(days=d) for d in (1, 2, 3, 4, 5, 6, 7, 8)]
    dates[5] = START  # step 6 dated before step 1
    walk(family, clerk, dates=dates)
    assert rules_tripped(family.household, "EX-007") == {"EX-007"}


def test_ex007_not_tripped_by_an_unfinished_procedure(family, clerk):
    walk(family, clerk, numbers=[1, 2, 3])
    assert rules_tripped(family.household, "EX-007") == set()


def test_ex008_a_step_after_its_level_deadline(family, clerk):
    walk(family, clerk, numbers=[1, 2, 3])
    milestone("village", 3, days=2)
    found = hits(family.household, "EX-008")
    assert set(found) == {("EX-008", None)}
    assert "3（2020-09-04）" in found[("EX-008", None)][0].message


def test_ex008_not_tripped_in_time_or_without_milestones(family, clerk):
    walk(family, clerk, numbers=[1, 2, 3, 4])
    assert rules_tripped(family.household, "EX-008") == set()
    milestone("village", 3, days=3)
    milestone("township", 5, days=4)
    assert rules_tripped(family.household, "EX-008") == set()
    ExitMilestone.objects.filter(level="township").update(due_date=START + datetime.timedelta(days=3))
    assert rules_tripped(family.household, "EX-008") == {"EX-008"}


@pytest.mark.parametrize(("signed", "text"), [(None, "未记录"), (False, "拒绝签字")])
def test_ex009_exited_without_signature(family, clerk, signed, text):
    walk(family, clerk, signed=signed)
    found = hits(family.household, "EX-009")
    assert text in found[("EX-009", None)][0].message


def test_ex009_not_tripped_before_the_marking(family, clerk):
    walk(family, clerk, numbers=[1, 2, 3], signed=None)
    assert rules_tripped(family.household, "EX-009") == set()
