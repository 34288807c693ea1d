"""MN-001…MN-024, IN-003 and IN-007: each rule tripped, and a close case that does not trip it.

The clean family (conftest) gets a clean monitored case: risk 因务工就业不稳 (the head works),
identified in March 2026 with the family's industry measure running; TODAY is 2026-06-01.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.checks.registry import get_rule
from households.checks.runner import find_hits
from households.models import (
    AssistanceMeasure,
    Household,
    IncomeRecord,
    Member,
    MonitoringCase,
    MonitoringStep,
)
from households.models.register import join_codes
from povertycase.core.models import Parameter
from tests.factories import UserFactory

from .conftest import TODAY, hits, rules_tripped
from .helpers import exited, set_member

MN_RULES = [f"MN-{n:03d}" for n in range(1, 25)]
IDENTIFIED = datetime.date(2026, 3, 10)


def case(family, *, risks=("R07",), **fields) -> MonitoringCase:
    """A monitored (risk_open) case of the family that trips nothing; `fields` override."""
    values = {
        "state": "risk_open",
        "channel": "2",
        "category": "M1",
        "clue_date": datetime.date(2026, 3, 1),
        "clue_text": "务工不稳定",
        "notice_start": datetime.date(2026, 3, 3),
        "notice_end": datetime.date(2026, 3, 8),
        "identified_on": IDENTIFIED,
        "risks": join_codes(risks),
        "created_by": UserFactory(),
    }
    values.update(fields)
    return MonitoringCase.objects.create(household=family.household, **values)


def eliminated_case(family, **fields) -> MonitoringCase:
    """An assisted elimination done right: 7 months, income above the range, follow-up filled."""
    values = {
        "state": "risk_eliminated",
        "identified_on": datetime.date(2025, 6, 10),
        "eliminated_on": datetime.date(2026, 1, 15),
        "elimination_method": "1",
        "post_income_per_capita": 9000,
        "post_guarantees_secure": True,
        "contact_name": "吴帮扶",
        "contact_phone": "13900139000",
    }
    values.update(fields)
    return case(family, **values)


def measure(family, category, item="", **fields) -> AssistanceMeasure:
    return AssistanceMeasure.objects.create(
        household=family.household, category=category, item=item, **fields
    )


def no_measures(family):
    AssistanceMeasure.objects.filter(household=family.household).delete()


def household(family, **fields):
    Household.objects.filter(pk=family.household.pk).update(**fields)


def all_members(family, **fields):
    Member.objects.filter(household=family.household).update(**fields)


def income(family, year, per_capita):
    IncomeRecord.objects.update_or_create(
        household=family.household,
        year=year,
        defaults={
            "wage_income": per_capita * 3,
            "business_income": 0,
            "transfer_income": 0,
            "business_expense": 0,
            "member_count_used": 3,
        },
    )


def tripped(family, rule_id) -> bool:
    return rule_id in rules_tripped(family.household, rule_id)


def message(family, rule_id, member=None) -> str:
    found = hits(family.household, rule_id)
    hit, _severity = found[(rule_id, member.pk if member else None)]
    return hit.message


# ------------------------------------------------------------------ catalogue


def test_every_mn_rule_and_in_003_in_007_now_run():
    for rule_id in MN_RULES + ["IN-003", "IN-007"]:
        item = get_rule(rule_id)
        assert item is not None and item.func is not None, rule_id


def test_clean_monitored_household_trips_nothing(family):
    case(family)
    assert rules_tripped(family.household) == set()


def test_clean_eliminated_household_trips_nothing(family):
    eliminated_case(family)
    assert rules_tripped(family.household) == set()


# ------------------------------------------------------------------ MN-001…MN-007


def test_mn001_monitored_without_risk(family):
    case(family, risks=())
    assert tripped(family, "MN-001")


def test_mn001_clue_without_risk_is_not_monitored_yet(family):
    case(family, risks=(), state="clue", identified_on=None)
    assert not tripped(family, "MN-001")


@pytest.mark.parametrize(("days", "trips"), [(16, True), (15, False)])
def test_mn002_decision_within_the_days(family, days, trips):
    case(family, identified_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=days))
    assert tripped(family, "MN-002") is trips


@pytest.mark.parametrize(("days", "trips"), [(16, True), (15, False)])
def test_mn002_clue_still_pending(family, days, trips):
    case(family, state="verifying", identified_on=None, clue_date=TODAY - datetime.timedelta(days=days))
    assert tripped(family, "MN-002") is trips
    if trips:
        assert "16" in message(family, "MN-002")


def test_mn002_rejected_case_reads_its_decision_step(family):
    rejected = case(family, state="rejected", identified_on=None)
    assert not tripped(family, "MN-002")  # no decision date: skipped
    MonitoringStep.objects.create(
        case=rejected,
        from_state="township_reviewed",
        to_state="rejected",
        date=datetime.date(2026, 3, 20),
        actor=rejected.created_by,
    )
    assert tripped(family, "MN-002")


@pytest.mark.parametrize(("end_day", "trips"), [(6, True), (7, False)])
def test_mn002_notice_counts_both_ends(family, end_day, trips):
    case(family, notice_start=datetime.date(2026, 3, 3), notice_end=datetime.date(2026, 3, end_day))
    assert tripped(family, "MN-002") is trips


def test_mn002_notice_without_end_is_skipped(family):
    case(family, notice_end=None)
    assert not tripped(family, "MN-002")


def test_mn002_uses_the_county_parameters(family):
    case(family, identified_on=datetime.date(2026, 3, 18))
    assert tripped(family, "MN-002")
    Parameter.objects.filter(name="monitoring_decision_days").update(value=20)
    assert not tripped(family, "MN-002")


def test_mn003_no_measure_a_month_after_identification(family):
    no_measures(family)
    case(family)
    assert tripped(family, "MN-003")


def test_mn003_within_the_first_month(family):
    no_measures(family)
    case(family, identified_on=datetime.date(2026, 5, 2))
    assert not tripped(family, "MN-003")


def test_mn003_measure_ended_before_identification_does_not_count(family):
    AssistanceMeasure.objects.filter(household=family.household).update(end_date=datetime.date(2020, 12, 31))
    case(family)
    assert tripped(family, "MN-003")
    AssistanceMeasure.objects.filter(household=family.household).update(end_date=datetime.date(2026, 12, 31))
    assert not tripped(family, "MN-003")


@pytest.mark.parametrize(
    "problem",
    [
        lambda f: household(f, water_safe=False),
        lambda f: household(f, housing_grade="D"),
        lambda f: household(f, is_dangerous_house=True),
        lambda f: set_member(f.spouse, serious_illness_insurance=False),
    ],
)
def test_mn004_exited_with_a_problem_and_not_monitored(family, problem):
    exited(family)
    problem(family)
    assert tripped(family, "MN-004")


def test_mn004_close_cases(family):
    household(family, water_safe=False)
    assert not tripped(family, "MN-004")  # not exited
    exited(family)
    case(family, state="clue", identified_on=None)  # a clue being worked on counts as monitored
    assert not tripped(family, "MN-004")


def test_mn004_blank_indicators_are_skipped(family):
    exited(family)
    household(family, water_safe=None, is_dangerous_house=None)
    all_members(family, serious_illness_insurance=None)
    assert not tripped(family, "MN-004")


@pytest.mark.parametrize(
    ("problem", "risk"),
    [
        (lambda f: household(f, water_safe=False), "R10"),
        (lambda f: household(f, housing_grade="C"), "R09"),
        (lambda f: set_member(f.spouse, medical_insurance=False), "R01"),
        (lambda f: set_member(f.child, student_status=""), "R11"),
        (lambda f: set_member(f.child, student_status=""), "R03"),
    ],
)
def test_mn005_problem_needs_its_risk(family, problem, risk):
    problem(family)
    monitored = case(family)
    assert tripped(family, "MN-005")
    MonitoringCase.objects.filter(pk=monitored.pk).update(risks=join_codes(["R07", risk]))
    assert not tripped(family, "MN-005")


def test_mn005_blank_water_is_skipped(family):
    household(family, water_safe=None)
    case(family)
    assert not tripped(family, "MN-005")


def test_mn006_work_risk_without_labour(family):
    all_members(family, labour="4")
    case(family)
    assert "labour" in message(family, "MN-006") or "劳动力" in message(family, "MN-006")


def test_mn006_work_risk_without_work(family):
    all_members(family, work_status="0")
    case(family)
    assert tripped(family, "MN-006")


def test_mn006_close_and_blank_cases(family):
    case(family)
    assert not tripped(family, "MN-006")  # the head works and has labour
    all_members(family, work_status="", labour="")
    assert not tripped(family, "MN-006")  # nothing recorded: skipped


def test_mn007_illness_risk_without_an_ill_member(family):
    measure(family, "A07")
    case(family, risks=("R01",))
    assert tripped(family, "MN-007")
    set_member(family.spouse, health="3")
    assert not tripped(family, "MN-007")


def test_mn007_out_of_pocket_expense_zero_but_not_blank(family):
    set_member(family.spouse, health="2")
    measure(family, "A07")
    ill = case(family, risks=("R01",), out_of_pocket_expense=0)
    assert tripped(family, "MN-007")
    MonitoringCase.objects.filter(pk=ill.pk).update(out_of_pocket_expense=None)
    assert not tripped(family, "MN-007")


# ------------------------------------------------------------------ MN-008…MN-016 measures


@pytest.mark.parametrize(
    ("rule_id", "risk", "answer"),
    [
        ("MN-008", "R01", "A13"),
        ("MN-008", "R01", "A07"),
        ("MN-009", "R03", "A05"),
        ("MN-009", "R03", "A06"),
        ("MN-010", "R02", "A11"),
        ("MN-011", "R09", "A08"),
        ("MN-011", "R09", "A10"),
        ("MN-012", "R10", "A09"),
    ],
)
def test_risk_needs_a_matching_measure(family, rule_id, risk, answer):
    case(family, risks=(risk,))
    assert tripped(family, rule_id)  # the family's industry measure does not answer it
    measure(family, answer)
    assert not tripped(family, rule_id)


def test_mn008_categories_come_from_the_code_list_unless_the_county_sets_them(family):
    from households.models import RuleSetting
    from povertycase.core import codes
    from povertycase.core.models import CodeList

    measure(family, "A07")
    case(family, risks=("R01",))
    assert not tripped(family, "MN-008")
    RuleSetting.objects.create(rule_id="MN-008", params={"categories": ["A13"]})
    assert tripped(family, "MN-008")
    RuleSetting.objects.filter(rule_id="MN-008").update(params={"categories": []})
    CodeList.objects.filter(list="monitor_risk", code="R01").update(extra={"measures": ["A13"]})
    codes.clear_cache()
    try:
        assert tripped(family, "MN-008")
    finally:
        codes.clear_cache()  # the next test reads the code lists restored by the rollback


def test_mn008_measure_ended_before_identification_does_not_answer(family):
    measure(family, "A07", end_date=datetime.date(2025, 12, 31))
    case(family, risks=("R01",))
    assert tripped(family, "MN-008")


def test_mn008_risk_of_a_closed_case_is_not_checked(family):
    case(family, risks=("R01",), state="no_risk")
    assert not tripped(family, "MN-008")


def test_mn010_severe_disability_without_allowance_is_a_warning(family):
    set_member(family.spouse, disability_cert=family.spouse.id_number + "42")
    case(family)
    found = hits(family.household, "MN-010")
    hit, severity = found[("MN-010", family.spouse.pk)]
    assert severity == "W" and family.spouse.name in hit.message
    measure(family, "A11")
    assert not tripped(family, "MN-010")


def test_mn010_level_3_needs_no_allowance(family):
    set_member(family.spouse, disability_cert=family.spouse.id_number + "43")
    case(family)
    assert not tripped(family, "MN-010")


def test_mn013_child_out_of_school_needs_compulsory_education_measure(family):
    set_member(family.child, student_status="")
    case(family)
    assert set(hits(family.household, "MN-013")) == {("MN-013", family.child.pk)}
    measure(family, "A06")
    assert not tripped(family, "MN-013")


def test_mn013_uninsured_member_needs_health_or_social_measure(family):
    set_member(family.spouse, medical_insurance=False)
    case(family)
    assert set(hits(family.household, "MN-013")) == {("MN-013", family.spouse.pk)}
    measure(family, "A13")
    assert not tripped(family, "MN-013")


def test_mn013_blank_insurance_is_skipped(family):
    all_members(family, medical_insurance=None)
    case(family)
    assert not tripped(family, "MN-013")


def test_mn014_no_development_measure_six_months_after_identification(family):
    no_measures(family)
    measure(family, "A05")
    case(family, identified_on=datetime.date(2025, 11, 1))
    assert "开发式" in message(family, "MN-014") or "development" in message(family, "MN-014")


def test_mn014_development_measure_only_planned(family):
    AssistanceMeasure.objects.filter(household=family.household).update(status="1")
    case(family, identified_on=datetime.date(2025, 11, 1))
    assert tripped(family, "MN-014")
    AssistanceMeasure.objects.filter(household=family.household).update(status="2")
    assert not tripped(family, "MN-014")


def test_mn014_close_cases(family):
    no_measures(family)
    case(family, identified_on=datetime.date(2026, 1, 10))
    assert not tripped(family, "MN-014")  # not yet six months
    MonitoringCase.objects.update(identified_on=datetime.date(2025, 11, 1))
    assert tripped(family, "MN-014")
    all_members(family, labour="5")
    assert not tripped(family, "MN-014")  # nobody has labour: social protection instead


def test_mn014_weak_labour_counts_as_labour(family):
    no_measures(family)
    all_members(family, labour="5")
    set_member(family.head, labour="3")
    case(family, identified_on=datetime.date(2025, 11, 1))
    assert tripped(family, "MN-014")


@pytest.mark.parametrize(("category", "item"), [("A02", "03"), ("A99", "")])
def test_mn015_only_training_or_other(family, category, item):
    no_measures(family)
    measure(family, category, item)
    case(family)
    assert tripped(family, "MN-015")
    measure(family, "A02", "02")
    assert not tripped(family, "MN-015")


def test_mn015_planned_training_is_not_flagged(family):
    no_measures(family)
    measure(family, "A02", "03", status="1")
    case(family)
    assert not tripped(family, "MN-015")


def test_mn016_premium_subsidy_for_the_identification_year(family):
    measure(family, "A07", "05", year=2026, description="城乡居民医保个人缴费补贴")
    case(family)
    assert "2026" in message(family, "MN-016")


def test_mn016_close_cases(family):
    subsidy = measure(family, "A07", "05", year=2027, description="城乡居民医保个人缴费补贴")
    case(family)
    assert not tripped(family, "MN-016")  # next year's premium: paid after identification
    AssistanceMeasure.objects.filter(pk=subsidy.pk).update(year=2026, description="家庭医生签约")
    assert not tripped(family, "MN-016")  # not a premium subsidy


def test_mn016_start_date_when_the_year_is_blank_and_cutoff_is_a_parameter(family):
    from households.models import RuleSetting

    measure(family, "A07", "05", start_date=datetime.date(2026, 4, 1), description="参保资助")
    case(family)
    assert tripped(family, "MN-016")
    RuleSetting.objects.create(rule_id="MN-016", params={"cutoff_month": 15})  # March of the insurance year
    assert not tripped(family, "MN-016")


# ------------------------------------------------------------------ MN-017…MN-024 elimination


@pytest.mark.parametrize(("eliminated_on", "trips"), [((2025, 12, 9), True), ((2025, 12, 10), False)])
def test_mn017_six_months_before_assisted_elimination(family, eliminated_on, trips):
    eliminated_case(family, eliminated_on=datetime.date(*eliminated_on))
    assert tripped(family, "MN-017") is trips


def test_mn017_not_for_eliminations_before_april_2022_or_natural(family):
    old = eliminated_case(
        family, identified_on=datetime.date(2021, 11, 10), eliminated_on=datetime.date(2022, 3, 31)
    )
    assert not tripped(family, "MN-017")
    MonitoringCase.objects.filter(pk=old.pk).update(eliminated_on=datetime.date(2022, 4, 1))
    assert tripped(family, "MN-017")
    MonitoringCase.objects.filter(pk=old.pk).update(elimination_method="2")
    assert not tripped(family, "MN-017")


def test_mn017_also_gates_the_elimination_notice(family):
    eliminated_case(family, state="elimination_notice", eliminated_on=datetime.date(2025, 10, 1))
    assert tripped(family, "MN-017")


@pytest.mark.parametrize(("eliminated_on", "trips"), [((2025, 7, 31), True), ((2025, 8, 1), False)])
def test_mn018_month_of_identification_or_the_next(family, eliminated_on, trips):
    eliminated_case(family, eliminated_on=datetime.date(*eliminated_on))
    assert tripped(family, "MN-018") is trips


def test_mn018_natural_elimination_is_not_checked(family):
    eliminated_case(family, eliminated_on=datetime.date(2025, 6, 20), elimination_method="2")
    assert not tripped(family, "MN-018")


@pytest.mark.parametrize(("income_after", "trips"), [(7499, True), (7500, False)])
def test_mn019_income_after_elimination_against_the_range(family, income_after, trips):
    eliminated_case(
        family,
        identified_on=datetime.date(2024, 1, 10),
        eliminated_on=datetime.date(2024, 9, 1),
        post_income_per_capita=income_after,
    )
    assert tripped(family, "MN-019") is trips


def test_mn019_reads_the_income_record_when_the_post_income_is_blank(family):
    eliminated_case(family, eliminated_on=datetime.date(2026, 1, 15), post_income_per_capita=None)
    assert not tripped(family, "MN-019")  # no record for 2026: skipped
    income(family, 2026, 7000)
    assert "7500" in message(family, "MN-019")  # 2026 keeps the 2024 range until a row is entered


def test_mn020_eliminated_household_without_labour(family):
    all_members(family, labour="4")
    set_member(family.child, labour="5")
    eliminated_case(family)
    assert tripped(family, "MN-020")


def test_mn020_close_cases(family):
    all_members(family, labour="5")
    set_member(family.head, labour="3")
    eliminated_case(family)
    assert not tripped(family, "MN-020")  # weak labour
    set_member(family.head, labour="")
    assert not tripped(family, "MN-020")  # blank labour: skipped
    set_member(family.head, labour="5")
    assert tripped(family, "MN-020")
    case(family, risks=("R08",), state="risk_open")  # reopened: no longer eliminated
    assert not tripped(family, "MN-020")


def test_mn021_eliminated_with_unsafe_water_or_child_out_of_school(family):
    household(family, water_safe=False)
    set_member(family.child, student_status="")
    eliminated_case(family)
    found = hits(family.household, "MN-021")
    assert set(found) == {("MN-021", None), ("MN-021", family.child.pk)}


def test_mn021_not_for_a_household_still_monitored(family):
    household(family, water_safe=False, housing_grade="D")
    case(family, risks=("R07", "R09", "R10"))
    assert not tripped(family, "MN-021")


def test_mn022_eliminated_without_follow_up(family):
    eliminated_case(family, contact_phone="", post_guarantees_secure=None)
    text = message(family, "MN-022")
    assert text.count("、") == 1


def test_mn022_natural_elimination_state_is_not_checked(family):
    eliminated_case(
        family, state="eliminated_natural", elimination_method="2", contact_name="", contact_phone=""
    )
    assert not tripped(family, "MN-022")


def test_mn023_assisted_elimination_without_measure(family):
    no_measures(family)
    eliminated_case(family)
    assert tripped(family, "MN-023")
    measure(family, "A02", "02")
    assert not tripped(family, "MN-023")


def test_mn023_natural_elimination_needs_no_measure(family):
    no_measures(family)
    eliminated_case(family, elimination_method="2")
    assert not tripped(family, "MN-023")


def test_mn024_no_labour_and_nobody_in_dibao_or_tekun(family):
    all_members(family, labour="5")
    case(family, risks=("R08",))
    assert tripped(family, "MN-024")
    set_member(family.spouse, tekun=True)
    assert not tripped(family, "MN-024")


def test_mn024_blank_support_fields_and_labour_are_skipped(family):
    all_members(family, labour="5", dibao=None, tekun=None)
    case(family, risks=("R08",))
    assert not tripped(family, "MN-024")
    all_members(family, labour="", dibao=False, tekun=False)
    assert not tripped(family, "MN-024")


# ------------------------------------------------------------------ IN-003, IN-007


def test_in003_exited_below_the_range_and_not_monitored(family):
    exited(family)
    income(family, 2024, 7000)
    assert "7500" in message(family, "IN-003")
    case(family)
    assert not tripped(family, "IN-003")


def test_in003_close_cases(family):
    exited(family)
    income(family, 2023, 7100)
    assert not tripped(family, "IN-003")  # exactly at the 2023 range
    income(family, 2026, 7400)
    assert tripped(family, "IN-003")  # the latest year, under the 2024 range kept for 2026
    Household.objects.filter(pk=family.household.pk).update(exit_status="0")
    assert not tripped(family, "IN-003")  # not exited


def test_in003_clean_income_before_the_first_range_is_skipped(family):
    exited(family)  # the family's only income record is 2020: no monitoring range yet
    assert not tripped(family, "IN-003")


def test_in007_income_above_ceiling_at_identification(family):
    income(family, 2025, 25000)
    case(family)
    assert "25000" in message(family, "IN-007")
    Parameter.objects.filter(name="identification_income_ceiling").update(value=30000)
    assert not tripped(family, "IN-007")


def test_in007_reads_the_year_before_then_the_same_year(family):
    income(family, 2026, 25000)
    case(family)
    assert tripped(family, "IN-007")  # no 2025 record: the identification year's
    income(family, 2025, 9000)
    assert not tripped(family, "IN-007")  # the year before wins


def test_in007_not_for_a_closed_case(family):
    income(family, 2025, 25000)
    case(family, state="no_risk")
    assert not tripped(family, "IN-007")


# ------------------------------------------------------------------ set-based


def test_scan_queries_do_not_grow_with_the_households(db):
    """Every MN rule is a fixed number of queries, whatever the number of cases in scope."""
    from tests.factories import HouseholdFactory, MemberFactory

    clerk = UserFactory()

    def monitored_household():
        other = HouseholdFactory()
        MemberFactory(household=other, labour="5")
        MonitoringCase.objects.create(
            household=other,
            state="risk_open",
            channel="2",
            clue_date=datetime.date(2025, 1, 1),
            clue_text="x",
            identified_on=datetime.date(2025, 2, 1),
            risks="",
            created_by=clerk,
        )
        return other

    def queries(scope):
        with CaptureQueriesContext(connection) as captured:
            result = find_hits(households=scope, today=TODAY, rule_ids=set(MN_RULES + ["IN-003", "IN-007"]))
        return len(captured), result

    few = [monitored_household() for _ in range(2)]
    few_count, few_result = queries(few)
    many = few + [monitored_household() for _ in range(6)]
    many_count, many_result = queries(many)
    assert many_count == few_count
    assert sum(1 for key in many_result.hits if key[0] == "MN-001") == 8
