"""ID-001…ID-009: a record that trips each rule; the clean family (test_clean) trips none."""

import datetime

import pytest

from households.models import Member
from tests.factories import HouseholdFactory, MemberFactory

from .conftest import hits, rules_tripped
from .helpers import id_for, set_member


def _x_number():
    for sequence in range(1, 200):
        number = id_for(datetime.date(1986, 2, 1), "1", sequence=sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no number ending in X")


CASES = {
    "ID-001": lambda f: set_member(f.head, id_number="41152919860201"),
    "ID-002": lambda f: set_member(
        f.head, id_number=f.head.id_number[:17] + ("0" if f.head.id_number[17] != "0" else "1")
    ),
    "ID-003": lambda f: set_member(f.head, id_number=id_for(datetime.date(1899, 5, 1), "1")),
    "ID-004": lambda f: set_member(f.head, id_number=None),
    "ID-005": lambda f: set_member(f.head, disability_cert=f.head.id_number + "91", health="4"),
    "ID-006": lambda f: set_member(f.head, sex="2"),
    "ID-009": lambda f: set_member(f.head, id_number=id_for(datetime.date(1986, 2, 1), "1", region="990101")),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rules_tripped(family.household, rule_id) == {rule_id}
    assert (rule_id, family.head.pk) in hits(family.household, rule_id)


def test_placeholder_999999_trips_id_004(family):
    set_member(family.head, id_number="999999198602010011")
    assert rules_tripped(family.household, "ID-004") == {"ID-004"}


def test_birth_date_differing_from_id_trips_id_006(family):
    set_member(family.head, birth_date=datetime.date(1986, 2, 2))
    assert rules_tripped(family.household, "ID-006") == {"ID-006"}


def test_same_id_twice_in_county_trips_id_007(family):
    number = _x_number()
    set_member(family.head, id_number=number, birth_date=datetime.date(1986, 2, 1))
    other = MemberFactory(household=HouseholdFactory(), id_number=number[:17] + "x")
    assert rules_tripped(family.household, "ID-007") == {"ID-007"}
    assert rules_tripped(other.household, "ID-007") == {"ID-007"}


def test_same_name_and_birth_elsewhere_trips_id_008(family):
    twin = MemberFactory(
        household=HouseholdFactory(), name=family.head.name, birth_date=family.head.birth_date
    )
    assert rules_tripped(family.household, "ID-008") == {"ID-008"}
    assert hits(family.household, "ID-008")[("ID-008", family.head.pk)][1] == "W"
    Member.objects.filter(pk=twin.pk).update(birth_date=datetime.date(1990, 1, 1))
    assert rules_tripped(family.household, "ID-008") == set()


def test_valid_disability_certificate_does_not_trip_id_005(family):
    set_member(family.head, disability_cert=family.head.id_number + "42", health="4")
    assert rules_tripped(family.household, "ID-005") == set()
