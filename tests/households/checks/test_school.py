"""MB rules on schooling and education (MB-013 and 送教上门 in test_member_more_rules.py)."""

import datetime

import pytest

from households.models import RuleSetting

from .conftest import rules_tripped
from .helpers import id_for, set_member

EIGHTEEN = datetime.date(2008, 1, 1)


def _young_adult(f, **fields):
    set_member(
        f.child, birth_date=EIGHTEEN, id_number=id_for(EIGHTEEN, "1"), student_status="", labour="2", **fields
    )


CASES = {
    "MB-011": lambda f: set_member(f.spouse, education="", student_status=""),
    "MB-012": lambda f: set_member(f.child, student_status=""),
    "MB-013": lambda f: set_member(f.child, student_status="", out_of_school_reason="1", health="1"),
    "MB-014": lambda f: set_member(f.child, student_status="41"),
    "MB-015": lambda f: set_member(f.head, education="10"),
    "MB-016": lambda f: _young_adult(f, education="30", work_status="1"),
    "MB-017": lambda f: set_member(f.child, education="50"),
    "MB-018": lambda f: set_member(f.spouse, education="60"),
    "MB-028": lambda f: set_member(f.child, work_status="1"),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rule_id in rules_tripped(family.household, rule_id)


def test_non_student_stage_counts_as_out_of_school(family):
    set_member(family.child, student_status="00")
    assert rules_tripped(family.household, "MB-012") == {"MB-012"}


def test_compulsory_ages_follow_the_rule_setting(family):
    set_member(family.child, student_status="")
    RuleSetting.objects.create(rule_id="MB-012", params={"min_age": 11, "max_age": 15})
    assert rules_tripped(family.household, "MB-012") == set()


def test_stage_in_its_band_does_not_trip_mb_014(family):
    born = datetime.date(2012, 3, 1)  # 14: 八年级 is 13–17
    set_member(
        family.child, birth_date=born, id_number=id_for(born, "1"), student_status="32", education="30"
    )
    assert rules_tripped(family.household, "MB-014") == set()


def test_a_reason_for_not_attending_keeps_mb_011_quiet(family):
    set_member(family.spouse, education="", student_status="", out_of_school_reason="9")
    assert rules_tripped(family.household, "MB-011") == set()
