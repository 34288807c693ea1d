"""CM-001…CM-011: the cause of poverty against the measures; CM-008 on monitoring risk remarks."""

import datetime

import pytest
from django.utils import translation

from households.models import Household
from tests.factories import HouseholdFactory

from .conftest import hits, rules_tripped
from .helpers import measures, set_member


def _cause(f, cause):
    Household.objects.filter(pk=f.household.pk).update(main_cause=cause)


def _crowded_village(f):
    for _ in range(9):
        HouseholdFactory(village=f.household.village, main_cause="05")


CASES = {
    "CM-001": _crowded_village,
    "CM-002": lambda f: (_cause(f, "09"), measures(f, ("A05", "04"))),
    "CM-003": lambda f: _cause(f, "07"),
    "CM-004": lambda f: _cause(f, "01"),
    "CM-005": lambda f: _cause(f, "02"),
    "CM-006": lambda f: (_cause(f, "03"), set_member(f.child, student_status="")),
    "CM-007": lambda f: _cause(f, "08"),
    "CM-009": lambda f: set_member(f.spouse, dibao=True),
    "CM-010": lambda f: (measures(f, ("A02", "02")), set_member(f.head, work_status="0")),
    "CM-011": lambda f: measures(f, ("A11", "08")),
}

FITTING = {
    "CM-001": lambda f: [
        HouseholdFactory(village=f.household.village, main_cause=c) for c in ["01", "02"] * 5
    ],
    "CM-002": lambda f: (_cause(f, "09"), measures(f, ("A05", "04"), ("A04", "09"))),
    "CM-003": lambda f: (_cause(f, "07"), measures(f, ("A02", "03"))),
    "CM-004": lambda f: (_cause(f, "01"), measures(f, ("A07", "05")), set_member(f.spouse, health="2")),
    "CM-005": lambda f: (
        _cause(f, "02"),
        set_member(f.spouse, health="4", disability_cert=f.spouse.id_number + "42"),
    ),
    "CM-006": lambda f: (_cause(f, "03"), measures(f, ("A05", "04"))),
    "CM-007": lambda f: (_cause(f, "08"), set_member(f.head, labour="3"), set_member(f.spouse, labour="4")),
    "CM-009": lambda f: (set_member(f.spouse, dibao=True), measures(f, ("A01", "01"), ("A11", "08"))),
    "CM-010": lambda f: measures(f, ("A02", "02")),
    "CM-011": lambda f: measures(f, ("A11", "08"), ("A01", "01")),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(family, rule_id):
    CASES[rule_id](family)
    assert rule_id in rules_tripped(family.household, rule_id)


@pytest.mark.parametrize("rule_id", sorted(FITTING))
def test_fitting_record_does_not_trip(family, rule_id):
    FITTING[rule_id](family)
    assert rules_tripped(family.household, rule_id) == set()


def test_funds_answered_only_by_education_is_reported_in_chinese(family):
    from django.utils import translation

    CASES["CM-002"](family)
    from .conftest import hits

    with translation.override("zh-hans"):
        [(hit, severity)] = hits(family.household, "CM-002").values()
    assert severity == "E" and "缺资金" in hit.message


def _case(family, *, risks, note="", state="risk_open"):
    from households.models import MonitoringCase
    from households.models.register import join_codes
    from tests.factories import UserFactory

    return MonitoringCase.objects.create(
        household=family.household,
        state=state,
        channel="2",
        clue_date=datetime.date(2024, 3, 1),
        clue_text="排查发现",
        category="M1",
        risks=join_codes(risks),
        risk_note=note,
        created_by=UserFactory(),
    )


@pytest.mark.parametrize("risk", ["R99", "R04"])
def test_cm_008_other_or_disaster_risk_without_remark(family, risk):
    _case(family, risks=["R01", risk])
    with translation.override("zh-hans"):
        [(hit, severity)] = hits(family.household, "CM-008").values()
    assert severity == "E" and "备注" in hit.message


@pytest.mark.parametrize(
    "case",
    [
        {"risks": ["R99"], "note": "家中失火"},
        {"risks": ["R04"], "note": "洪涝"},
        {"risks": ["R01"]},
        {"risks": ["R99"], "state": "risk_eliminated"},
    ],
)
def test_cm_008_remark_given_other_risk_or_closed_case_does_not_trip(family, case):
    _case(family, **case)
    assert rules_tripped(family.household, "CM-008") == set()
