"""VL-001…VL-004: village indicators, one hit per village on its first household."""

from decimal import Decimal

import pytest

from households.checks.registry import get_rule
from households.checks.runner import find_hits, run_all_checks
from households.checks.villages import label
from households.models import Household, Member, RuleSetting, Village, Violation
from tests.factories import HouseholdFactory, MemberFactory

from .conftest import TODAY, hits, rules_tripped
from .helpers import village_indicators


def _exit_village(family, year=2019):
    Village.objects.filter(pk=family.household.village_id).update(exit_year=year)
    family.household.village.refresh_from_db()
    return family.household.village


def _message(household, rule_id):
    found = hits(household, rule_id)
    assert set(found) == {(rule_id, None)}
    return found[(rule_id, None)][0].message


def _scan(households, rule_id):
    result = find_hits(households=households, today=TODAY, rule_ids={rule_id})
    return {household_id for (_rule, household_id, _member) in result.hits}


@pytest.mark.parametrize("rule_id", ["VL-001", "VL-002", "VL-003", "VL-004"])
def test_village_rules_are_applicable(rule_id):
    assert get_rule(rule_id).applicable


# ------------------------------------------------------------------ VL-001


def test_vl001_exited_village_without_indicators(family):
    assert rules_tripped(family.household, "VL-001") == set()  # not exited: nothing asked
    village = _exit_village(family)
    message = _message(family.household, "VL-001")
    assert village.name in message and village.township.name in message
    village_indicators(village)
    assert rules_tripped(family.household) == set()  # complete indicators: the family stays clean


def test_vl001_names_the_empty_indicators_and_the_missing_road(family):
    village = _exit_village(family)
    village_indicators(village, clinics=None, bus_service=None)
    message = _message(family.household, "VL-001")
    assert label("clinics") in message and label("bus_service") in message
    assert label("doctors") not in message
    village_indicators(village, hardened_road=False)
    assert rules_tripped(family.household, "VL-001") == {"VL-001"}
    village_indicators(village, hardened_road=True, collective_income=Decimal("0"))  # zero is a value
    assert rules_tripped(family.household, "VL-001") == set()


def test_vl001_planned_exit_year_is_not_an_exit(family):
    _exit_village(family, year=TODAY.year + 1)
    assert rules_tripped(family.household, "VL-001") == set()


def test_vl001_hit_goes_to_the_village_first_household_only(family):
    village = _exit_village(family)
    later = HouseholdFactory(village=village, number="9115291012000001")
    assert _scan([family.household, later], "VL-001") == {family.household.pk}
    assert _scan([later], "VL-001") == set()  # the first household is not in this scope
    first = HouseholdFactory(village=village, number="0115291012000001")
    assert _scan([family.household, later, first], "VL-001") == {first.pk}


def test_vl001_partial_scan_neither_duplicates_nor_resolves_the_village_violation(family):
    village = _exit_village(family)
    later = HouseholdFactory(village=village, number="9115291012000001")
    run_all_checks(today=TODAY)
    run_all_checks(households=[later], today=TODAY)
    stored = Violation.objects.filter(rule_id="VL-001")
    assert [(v.household_id, v.resolved_at) for v in stored] == [(family.household.pk, None)]


# ------------------------------------------------------------------ VL-002


def test_vl002_more_households_without_water_or_in_danger_than_in_total(family):
    village = family.household.village  # any village, exited or not
    village_indicators(village, total_households=50, households_without_water=50)
    assert rules_tripped(family.household, "VL-002") == set()
    village_indicators(village, total_households=50, households_without_water=51)
    assert "51" in _message(family.household, "VL-002")
    village_indicators(village, total_households=50, households_in_danger_housing=60)
    assert "60" in _message(family.household, "VL-002")


def test_vl002_zero_households_trips_and_blank_total_is_skipped(family):
    village = family.household.village
    village_indicators(village, total_households=0)
    assert rules_tripped(family.household, "VL-002") == {"VL-002"}
    village_indicators(village, total_households=None, households_without_water=999)
    assert rules_tripped(family.household, "VL-002") == set()


# ------------------------------------------------------------------ VL-003


def test_vl003_land_smaller_than_the_households_farmland(family):
    village = family.household.village
    Household.objects.filter(pk=family.household.pk).update(farmland_area=Decimal("6.0"))
    HouseholdFactory(village=village, number="9115291012000001", farmland_area=Decimal("5.5"))
    village_indicators(village, land_area=Decimal("11.5"))
    assert rules_tripped(family.household, "VL-003") == set()  # equal is fine
    village_indicators(village, land_area=Decimal("11.4"))
    message = _message(family.household, "VL-003")  # the other household counts, scope or not
    assert "11.4" in message and "11.5" in message


def test_vl003_blank_land_or_farmland_is_skipped(family):
    village = family.household.village
    village_indicators(village, land_area=Decimal("1.0"))
    assert rules_tripped(family.household, "VL-003") == set()  # no household has farmland
    Household.objects.filter(pk=family.household.pk).update(farmland_area=Decimal("6.0"))
    assert rules_tripped(family.household, "VL-003") == {"VL-003"}
    village_indicators(village, land_area=None)
    assert rules_tripped(family.household, "VL-003") == set()


# ------------------------------------------------------------------ VL-004


def _poor_household(village, number, members):
    household = HouseholdFactory(village=village, number=number, household_type="1", exit_status="0")
    for index in range(members):
        MemberFactory(household=household, relation="01" if index == 0 else "03")
    return household


def test_vl004_incidence_at_or_above_the_threshold(family):
    village = _exit_village(family)
    village_indicators(village, total_population=300)  # the family: 3 poor persons = 1%
    assert rules_tripped(family.household, "VL-004") == set()
    _poor_household(village, "9115291012000001", 3)  # 6 of 300 = 2%
    message = _message(family.household, "VL-004")
    assert "2.00%" in message and "6" in message and "300" in message
    RuleSetting.objects.create(rule_id="VL-004", params={"threshold": 2.5})
    assert rules_tripped(family.household, "VL-004") == set()


def test_vl004_exited_households_and_inactive_members_do_not_count(family):
    village = _exit_village(family)
    village_indicators(village, total_population=100)
    other = _poor_household(village, "9115291012000001", 1)  # 3 + 1 of 100 = 4%
    assert rules_tripped(family.household, "VL-004") == {"VL-004"}
    Household.objects.filter(pk=family.household.pk).update(exit_status="1", household_type="2")
    assert rules_tripped(family.household, "VL-004") == set()  # 1 of 100
    Household.objects.filter(pk=family.household.pk).update(exit_status="0", household_type="1")
    Member.objects.filter(household=family.household).update(status="2")  # 自然减少
    Member.objects.filter(household=other).update(status="2")
    assert rules_tripped(family.household, "VL-004") == set()


def test_vl004_blank_population_uses_the_registered_members(family):
    village = _exit_village(family)
    village_indicators(village, total_population=None)
    assert "100.00%" in _message(family.household, "VL-004")  # 3 poor of 3 registered
    HouseholdFactory(village=village, number="9115291012000001", household_type="3")  # no members
    assert rules_tripped(family.household, "VL-004") == {"VL-004"}
    village_indicators(village, total_population=0)
    assert rules_tripped(family.household, "VL-004") == set()  # no population: skipped
    Village.objects.filter(pk=village.pk).update(exit_year=None)
    village_indicators(village, total_population=None)
    assert rules_tripped(family.household, "VL-004") == set()  # not exited
