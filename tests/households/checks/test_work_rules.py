"""MB-024, MB-025, MB-026, MB-029, MB-031: trip, close case and blank handling for each."""

import datetime
from decimal import Decimal

import pytest

from households.checks.registry import get_rule
from households.models import AssistanceMeasure, MonitoringCase, PublicPost, WorkRecord
from households.models.monitoring import CaseState
from tests.factories import MonitoringCaseFactory

from .conftest import TODAY, hits, person, rules_tripped
from .helpers import set_member

RULES = ["MB-024", "MB-025", "MB-026", "MB-029", "MB-031"]


def work(member, **fields) -> WorkRecord:
    values = {
        "start_date": datetime.date(2024, 3, 1),
        "end_date": None,
        "county": "青山县",
        "company": "青山县食品厂",
        "industry": "食品加工",
        "channel": "4",
        "monthly_wage": Decimal("3200"),
    }
    values.update(fields)
    return WorkRecord.objects.create(member=member, **values)


def post(member, **fields) -> PublicPost:
    values = {"post_type": "2", "hired_on": datetime.date(2025, 1, 1), "months": 12, "monthly_pay": 500}
    values.update(fields)
    return PublicPost.objects.create(member=member, **values)


def measure(family, member, *, category, item, status="2") -> AssistanceMeasure:
    return AssistanceMeasure.objects.create(
        household=family.household, member=member, category=category, item=item, year=2025, status=status
    )


def monitored(family, state=CaseState.RISK_OPEN):
    """The household's one case, put in `state`."""
    case = MonitoringCase.objects.filter(household=family.household).first()
    case = case or MonitoringCaseFactory(household=family.household, category="M1", risks=";R07;")
    MonitoringCase.objects.filter(pk=case.pk).update(state=state)


def message(family, rule_id, member):
    found = hits(family.household, rule_id)
    return found[(rule_id, member.pk)]


@pytest.mark.parametrize("rule_id", RULES)
def test_work_rules_are_applicable_and_the_clean_family_trips_none(family, rule_id):
    assert get_rule(rule_id).applicable
    work(family.head)
    post(family.spouse)
    assert rules_tripped(family.household, rule_id) == set()


# ------------------------------------------------------------------ MB-024


def test_post_for_a_child_under_16_is_an_error(family):
    post(family.child)
    hit, severity = message(family, "MB-024", family.child)
    assert severity == "E" and "罗小明" in hit.message


def test_post_at_70_is_a_warning_and_at_69_nothing(family):
    elder = person(family.household, relation="11", sex="1", birth=datetime.date(1956, 5, 1), name="罗大爷")
    post(elder)
    assert message(family, "MB-024", elder)[1] == "W"
    set_member(elder, birth_date=datetime.date(1956, 6, 2))  # 69 on the reference date
    assert rules_tripped(family.household, "MB-024") == set()


def test_post_at_16_is_fine_and_a_blank_birth_date_is_skipped(family):
    teen = person(family.household, relation="04", sex="2", birth=datetime.date(2010, 6, 1), name="罗小红")
    post(teen)
    assert rules_tripped(family.household, "MB-024") == set()
    set_member(family.child, birth_date=None)
    post(family.child)
    assert rules_tripped(family.household, "MB-024") == set()


# ------------------------------------------------------------------ MB-025


def test_three_posts_trip_two_do_not(family):
    post(family.head, post_type="1")
    post(family.head, post_type="2")
    assert rules_tripped(family.household, "MB-025") == set()
    post(family.head, post_type="3")
    assert "3" in message(family, "MB-025", family.head)[0].message


@pytest.mark.parametrize(
    "fields, text",
    [
        ({"hired_on": None}, "无聘用时间"),
        ({"months": None}, "聘用月数"),
        ({"months": 0}, "聘用月数"),
        ({"post_type": ""}, "无岗位类别"),
    ],
)
def test_post_without_hiring_month_or_months_or_time_without_post(family, fields, text):
    post(family.spouse, **fields)
    hit, severity = message(family, "MB-025", family.spouse)
    assert severity == "E" and text in hit.message


def test_an_entirely_blank_post_row_is_ignored(family):
    post(family.spouse, post_type="", hired_on=None, months=None)
    assert rules_tripped(family.household, "MB-025") == set()


# ------------------------------------------------------------------ MB-026


@pytest.mark.parametrize("labour", ["4", "5"])
def test_post_for_a_member_without_labour(family, labour):
    set_member(family.spouse, labour=labour)
    post(family.spouse)
    assert message(family, "MB-026", family.spouse)[1] == "W"


@pytest.mark.parametrize("category, item", [("A02", "02"), ("A03", "11")])
def test_employment_or_post_measure_for_a_member_without_labour(family, category, item):
    set_member(family.spouse, labour="5")
    measure(family, family.spouse, category=category, item=item)
    assert ("MB-026", family.spouse.pk) in hits(family.household, "MB-026")


def test_weak_labour_household_measures_and_stopped_measures_do_not_trip_mb_026(family):
    set_member(family.spouse, labour="3")
    post(family.spouse)
    measure(family, None, category="A02", item="02")  # for the household, not a member
    set_member(family.head, labour="4")
    measure(family, family.head, category="A02", item="02", status="3")
    measure(family, family.head, category="A01", item="01")
    assert rules_tripped(family.household, "MB-026") == set()


def test_blank_labour_skips_mb_026(family):
    set_member(family.spouse, labour="")
    post(family.spouse)
    assert rules_tripped(family.household, "MB-026") == set()


# ------------------------------------------------------------------ MB-029


@pytest.mark.parametrize(
    "fields, text",
    [
        ({"start_date": None}, "开始时间为空"),
        ({"county": ""}, "务工所在县为空"),
        ({"monthly_wage": Decimal("99")}, "99"),
        ({"monthly_wage": Decimal("30001")}, "30001"),
        ({"start_date": datetime.date(2002, 1, 31)}, "16"),  # head born 1986-02-01
    ],
)
def test_work_record_errors(family, fields, text):
    work(family.head, **fields)
    hit, severity = message(family, "MB-029", family.head)
    assert severity == "E" and text in hit.message


def test_start_on_the_16th_birthday_and_wage_limits_are_fine(family):
    work(
        family.head,
        start_date=datetime.date(2002, 2, 1),
        end_date=datetime.date(2003, 1, 1),
        monthly_wage=Decimal("30000"),
    )
    work(family.head, start_date=datetime.date(2024, 1, 1), monthly_wage=Decimal("400"))
    assert rules_tripped(family.household, "MB-029") == set()


def test_overlapping_periods_trip_and_back_to_back_do_not(family):
    work(family.head, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 6, 1))
    work(family.head, start_date=datetime.date(2022, 6, 1))
    assert rules_tripped(family.household, "MB-029") == set()
    work(family.head, start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2021, 9, 1))
    assert "上一段" in message(family, "MB-029", family.head)[0].message


def test_open_record_while_not_working_trips_and_a_past_record_does_not(family):
    # the spouse's work status is 非务工
    work(family.spouse, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 1, 1))
    assert rules_tripped(family.household, "MB-029") == set()
    work(family.spouse, start_date=datetime.date(2025, 1, 1), end_date=TODAY + datetime.timedelta(days=30))
    assert message(family, "MB-029", family.spouse)[1] == "E"


def test_blank_work_status_with_an_open_record_trips(family):
    set_member(family.head, work_status="")
    work(family.head)
    assert message(family, "MB-029", family.head)[1] == "E"


def test_low_wage_and_blank_employer_are_warnings_unless_an_error_comes_with_them(family):
    work(family.head, monthly_wage=Decimal("350"), company="")
    hit, severity = message(family, "MB-029", family.head)
    assert severity == "W" and "350" in hit.message
    work(family.head, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1), county="")
    hit, severity = message(family, "MB-029", family.head)
    assert severity == "E" and "350" not in hit.message


def test_blank_wage_and_blank_birth_date_are_skipped(family):
    set_member(family.head, birth_date=None)
    work(
        family.head,
        start_date=datetime.date(1990, 1, 1),
        end_date=datetime.date(1991, 1, 1),
        monthly_wage=None,
    )
    assert rules_tripped(family.household, "MB-029") == set()


# ------------------------------------------------------------------ MB-031


def test_rain_dew_for_a_non_vocational_member_is_an_error(family):
    measure(family, family.child, category="A05", item="13")
    assert message(family, "MB-031", family.child)[1] == "E"


@pytest.mark.parametrize("stage", ["51", "53", "61", "63"])
def test_rain_dew_for_a_vocational_student_is_fine(family, stage):
    student = person(family.household, relation="04", sex="2", birth=datetime.date(2008, 3, 1), name="罗小芳")
    set_member(student, student_status=stage, labour="5")
    measure(family, student, category="A05", item="13")
    monitored(family)
    assert rules_tripped(family.household, "MB-031") == set()


def test_vocational_student_of_a_monitored_household_without_rain_dew_is_a_warning(family):
    student = person(family.household, relation="04", sex="2", birth=datetime.date(2008, 3, 1), name="罗小芳")
    set_member(student, student_status="52", labour="5")
    assert rules_tripped(family.household, "MB-031") == set()  # not monitored
    monitored(family, CaseState.CLUE)
    assert rules_tripped(family.household, "MB-031") == set()  # a clue is not monitored yet
    monitored(family)
    assert message(family, "MB-031", student)[1] == "W"
    measure(family, None, category="A05", item="13")  # household-level 雨露计划 covers its students
    assert rules_tripped(family.household, "MB-031") == set()


def test_stopped_rain_dew_and_household_level_rain_dew_are_not_judged_per_member(family):
    measure(family, family.child, category="A05", item="13", status="3")
    measure(family, None, category="A05", item="13")
    assert rules_tripped(family.household, "MB-031") == set()


def test_high_school_student_is_not_a_vocational_student(family):
    set_member(family.child, student_status="41")
    measure(family, family.child, category="A05", item="13")
    assert ("MB-031", family.child.pk) in hits(family.household, "MB-031")
