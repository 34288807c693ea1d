"""MB rules on relation, labour, health, insurance and support (more in test_member_more_rules.py)."""

import datetime

import pytest

from households.models import Household, IncomeRecord
from tests.factories import MemberFactory

from .conftest import hits, rules_tripped
from .helpers import id_for, set_member

OLD = datetime.date(1950, 1, 1)


def _departed(f):
    MemberFactory(
        household=f.household, relation="13", status="2", birth_date=OLD, id_number=id_for(OLD, "1")
    )
    Household.objects.filter(pk=f.household.pk).update(member_count=4)


CASES = {
    "MB-001": lambda f: set_member(f.spouse, relation=""),
    "MB-002": lambda f: set_member(f.child, sex="2"),
    "MB-003": lambda f: set_member(f.child, relation="13"),
    "MB-004": lambda f: set_member(f.spouse, ethnicity=""),
    "MB-005": lambda f: set_member(f.child, labour="2"),
    "MB-006": lambda f: set_member(f.head, birth_date=OLD, id_number=id_for(OLD, "1"), labour="2"),
    "MB-007": lambda f: set_member(f.spouse, labour="5"),
    "MB-008": lambda f: set_member(f.child, labour="3"),
    "MB-009": lambda f: set_member(f.head, health="4"),
    "MB-010": lambda f: set_member(f.head, health="4", disability_cert=f.head.id_number + "41"),
    "MB-019": lambda f: set_member(f.spouse, medical_insurance=False),
    "MB-021": lambda f: set_member(f.spouse, medical_insurance=False, medical_aid=True),
    "MB-020": lambda f: set_member(f.spouse, serious_illness_insurance=None),
    "MB-022": lambda f: set_member(f.spouse, pension_insurance=None),
    "MB-023": lambda f: set_member(f.child, pension_insurance=True),
    "MB-027": lambda f: set_member(f.head, labour="5"),
    "MB-030": lambda f: set_member(f.spouse, plans_work_away=True, work_need=""),
    "MB-033": _departed,
    "MB-034": lambda f: set_member(f.spouse, dibao=True, tekun=True),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rule_id in rules_tripped(family.household, rule_id)


def test_certificate_without_disability_is_only_a_warning(family):
    set_member(family.head, disability_cert=family.head.id_number + "42")
    [(_hit, severity)] = hits(family.household, "MB-009").values()
    assert severity == "W"


def test_blank_insurance_of_a_whole_household_is_skipped(family):
    for member in (family.head, family.spouse, family.child):
        set_member(member, medical_insurance=None, serious_illness_insurance=None, pension_insurance=None)
    assert rules_tripped(family.household, "MB-019") | rules_tripped(family.household, "MB-020") == set()
    assert rules_tripped(family.household, "MB-022") == set()


def test_blank_medical_insurance_beside_filled_ones_trips_mb_019(family):
    set_member(family.spouse, medical_insurance=None)
    assert rules_tripped(family.household, "MB-019") == {"MB-019"}


def test_departed_member_counted_in_income_trips_mb_033(family):
    _departed(family)
    Household.objects.filter(pk=family.household.pk).update(member_count=3)
    assert rules_tripped(family.household, "MB-033") == set()
    record = IncomeRecord.objects.get(household=family.household)
    record.member_count_used = 4
    record.save()
    assert rules_tripped(family.household, "MB-033") == {"MB-033"}


def test_pension_for_a_sixteen_year_old_non_student_does_not_trip_mb_023(family):
    born = datetime.date(2010, 1, 1)
    set_member(family.child, birth_date=born, id_number=id_for(born, "1"), student_status="", education="40")
    assert rules_tripped(family.household, "MB-023") == set()


def test_planned_work_with_weak_labour_also_trips_mb_027(family):
    set_member(family.spouse, labour="3", plans_work_away=True)
    assert set(hits(family.household, "MB-027")) == {("MB-027", family.spouse.pk)}
