"""IN-001…IN-009 (IN-003/007 in test_monitoring_rules.py) and EX-001…EX-010
(EX-007…009 in test_exit_procedure_rules.py)."""

import datetime

import pytest

from households.models import Household, IncomeRecord, RuleSetting

from .conftest import hits, rules_tripped
from .helpers import exited, income, set_member


def _household(f, **fields):
    Household.objects.filter(pk=f.household.pk).update(**fields)


def _poor_exit_2020(f):
    exited(f, exit_month=datetime.date(2020, 10, 1))
    income(f, wage_income=3000, business_income=2000, transfer_income=500, business_expense=0)


CASES = {
    "IN-001": lambda f: IncomeRecord.objects.filter(household=f.household).update(net_income=1),
    "IN-002": _poor_exit_2020,
    "IN-004": lambda f: income(f, wage_income=0),
    "IN-005": lambda f: (set_member(f.spouse, dibao=True), income(f, transfer_income=0)),
    "IN-006": lambda f: income(f, business_income=0, business_expense=0),
    "IN-008": lambda f: (exited(f), income(f, wage_income=3000, business_income=2000, business_expense=0)),
    "IN-009": lambda f: income(f, transfer_income=20000),
    "EX-001": lambda f: (exited(f), set_member(f.child, student_status="")),
    "EX-002": lambda f: (exited(f), set_member(f.spouse, medical_insurance=False)),
    "EX-003": lambda f: (exited(f), _household(f, housing_grade="D")),
    "EX-004": lambda f: (exited(f), _household(f, water_safe=False)),
    "EX-005": lambda f: (exited(f), _household(f, has_electricity=False)),
    "EX-006": lambda f: (
        exited(f, exit_month=datetime.date(2019, 5, 1)),
        _household(f, identified_month=datetime.date(2019, 1, 1)),
    ),
    "EX-010": lambda f: _household(f, exit_month=datetime.date(2019, 1, 1)),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rule_id in rules_tripped(family.household, rule_id)


def test_exited_clean_household_trips_no_exit_or_income_rule(family):
    exited(family)
    assert rules_tripped(family.household) == set()


def test_unsafe_house_of_a_household_not_exited_is_not_an_exit_error(family):
    _household(family, housing_grade="D", water_safe=False)
    assert rules_tripped(family.household, "EX-003") | rules_tripped(family.household, "EX-004") == set()


def test_exit_minimum_months_is_a_parameter(family):
    CASES["EX-006"](family)
    [(hit, severity)] = hits(family.household, "EX-006").values()
    assert severity == "W" and "4" in hit.message
    RuleSetting.objects.create(rule_id="EX-006", params={"min_months": 3})
    assert rules_tripped(family.household, "EX-006") == set()


def test_income_falling_two_years_running_trips_in_009(family):
    for year, wage in ((2018, 20000), (2019, 16000)):
        IncomeRecord.objects.create(
            household=family.household, year=year, wage_income=wage, member_count_used=3
        )
    assert rules_tripped(family.household, "IN-009") == {"IN-009"}


def test_exit_line_comes_from_the_yearly_parameter(family):
    from povertycase.core.models import Parameter

    _poor_exit_2020(family)
    Parameter.objects.filter(name="poverty_line", year=2020).update(value=1000)
    assert rules_tripped(family.household, "IN-002") == set()
