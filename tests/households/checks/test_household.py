"""HH-001…HH-014 (HH-010/011/012: test_conditions_rules.py)."""

import datetime

import pytest

from households.models import AssistanceMeasure, Household
from tests.factories import HouseholdFactory

from .conftest import hits, rules_tripped
from .helpers import id_for, set_member


def _household(f, **fields):
    Household.objects.filter(pk=f.household.pk).update(**fields)


CASES = {
    "HH-001": lambda f: set_member(f.spouse, relation="01"),
    "HH-002": lambda f: _household(f, head_name="别人"),
    "HH-003": lambda f: _household(f, member_count=4),
    "HH-004": lambda f: set_member(f.child, relation="02"),
    "HH-005": lambda f: set_member(
        f.head, birth_date=datetime.date(2012, 1, 1), id_number=id_for(datetime.date(2012, 1, 1), "1")
    ),
    "HH-006": lambda f: _household(f, attribute="2"),
    "HH-007": lambda f: [set_member(m, labour="5") for m in (f.head, f.spouse)],
    "HH-008": lambda f: set_member(f.head, tekun=True),
    "HH-009": lambda f: _household(f, phone="12345"),
    "HH-013": lambda f: AssistanceMeasure.objects.filter(household=f.household).delete(),
    "HH-014": lambda f: set_member(f.head, work_status="0"),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rules_tripped(family.household, rule_id) == {rule_id}


def test_spouse_of_the_heads_sex_trips_hh_004(family):
    set_member(family.spouse, sex="1")
    assert ("HH-004", family.spouse.pk) in hits(family.household, "HH-004")


def test_member_on_dibao_with_general_attribute_is_a_warning(family):
    set_member(family.spouse, dibao=True)
    [(_hit, severity)] = hits(family.household, "HH-006").values()
    assert severity == "W"


def test_dibao_attribute_with_a_dibao_member_does_not_trip_hh_006(family):
    _household(family, attribute="2")
    set_member(family.spouse, dibao=True)
    assert rules_tripped(family.household, "HH-006") == set()


def test_hh_006_skips_when_dibao_was_never_collected(family):
    _household(family, attribute="2")
    for member in (family.head, family.spouse, family.child):
        set_member(member, dibao=None, tekun=None)
    assert rules_tripped(family.household, "HH-006") == set()


def test_phone_shared_with_another_household_trips_hh_009(family):
    HouseholdFactory(phone=family.household.phone)
    assert rules_tripped(family.household, "HH-009") == {"HH-009"}


def test_worker_for_too_few_months_trips_hh_014(family):
    set_member(family.head, work_months=2)
    assert rules_tripped(family.household, "HH-014") == {"HH-014"}


@pytest.mark.parametrize("months", [None, 6, 12])
def test_worker_with_blank_or_enough_months_does_not_trip_hh_014(family, months):
    set_member(family.head, work_months=months)
    assert rules_tripped(family.household, "HH-014") == set()


def test_hh_014_skips_when_work_was_never_recorded(family):
    for member in (family.head, family.spouse, family.child):
        set_member(member, work_status="")
    assert rules_tripped(family.household, "HH-014") == set()


def test_hh_014_ignores_a_household_without_labour(family):
    for member in (family.head, family.spouse):
        set_member(member, labour="4", work_status="0")
    assert rules_tripped(family.household, "HH-014") == set()


def test_blank_member_count_skips_hh_003(family):
    _household(family, member_count=None)
    assert rules_tripped(family.household, "HH-003") == set()
