"""The eight exit steps (DOMAIN.md §4.2): one test per refusal, roles, nothing half-saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from households.models import ExitProcedure, ExitStep, Household, Member, Violation
from households.services.exit import (
    exit_record_signature,
    exit_record_step,
    exit_resolve_cross_check,
    exit_standard_failures,
    exit_start,
)
from povertycase.core.models import Parameter
from povertycase.errors import DomainError
from tests.factories import MemberFactory, UserFactory, unique_id_number

from .exit_helpers import advance, eligible_household, procedure_at, step_kwargs, step_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def household(users, county_layout):
    return eligible_household(county_layout["villages"]["v11"])


def record(procedure, users, number, **overrides):
    kwargs = {**step_kwargs(number), **overrides}
    user = overrides.pop("user", None) or step_user(users, number)
    kwargs.pop("user", None)
    return exit_record_step(procedure=procedure, number=number, user=user, **kwargs)


def refused(procedure, users, number, text, **overrides):
    before = ExitStep.objects.filter(procedure=procedure).count()
    with pytest.raises(DomainError) as refusal:
        record(procedure, users, number, **overrides)
    assert text in refusal.value.message, refusal.value.message
    assert ExitStep.objects.filter(procedure=procedure).count() == before
    return refusal.value.message


# ------------------------------------------------------------------ start


def test_start_opens_one_procedure_per_household_and_year(household, users):
    year = timezone.localdate().year
    procedure = exit_start(household=household, year=year, user=users["village"])
    assert procedure.started_by == users["village"]
    with pytest.raises(DomainError, match="已有"):
        exit_start(household=household, year=year, user=users["village"])
    assert ExitProcedure.objects.filter(household=household).count() == 1


def test_start_refused_for_an_exited_household(household, users):
    Household.objects.filter(pk=household.pk).update(exit_status="1", household_type="2")
    household.refresh_from_db()
    with pytest.raises(DomainError, match="已经脱贫"):
        exit_start(household=household, year=2026, user=users["village"])
    assert not ExitProcedure.objects.exists()


@pytest.mark.parametrize("role", ["helper", "department", "inspector"])
def test_start_refused_for_roles_without_register_rights(household, users, role):
    with pytest.raises(DomainError):
        exit_start(household=household, year=2026, user=users[role])


def test_start_refused_outside_scope(users, county_layout):
    other = eligible_household(county_layout["villages"]["v21"])
    with pytest.raises(DomainError):
        exit_start(household=other, year=2026, user=users["village"])


# ------------------------------------------------------------------ order and dates


def test_a_step_cannot_be_skipped(household, users):
    procedure = procedure_at(household, users, to=1)
    message = refused(procedure, users, 3, "不能跳过")
    assert "民主评议" in message


def test_a_date_before_the_previous_step_is_refused(household, users):
    procedure = procedure_at(household, users, to=1)
    earlier = step_kwargs(1)["date"] - datetime.timedelta(days=1)
    refused(procedure, users, 2, "不能早于上一步", date=earlier)


def test_a_future_date_is_refused(household, users):
    procedure = procedure_at(household, users, to=0)
    refused(procedure, users, 1, "不能是将来", date=timezone.localdate() + datetime.timedelta(days=1))


# ------------------------------------------------------------------ step 1


def test_step_one_refused_when_a_standard_fails(household, users):
    Household.objects.filter(pk=household.pk).update(water_safe=False)
    procedure = procedure_at(household, users, to=0)
    refused(procedure, users, 1, "饮水不安全")


def test_step_one_refused_while_an_error_violation_is_open(household, users):
    now = timezone.now()
    Violation.objects.create(
        rule_id="HH-003", household=household, severity="E", message="x", first_seen=now, last_seen=now
    )
    procedure = procedure_at(household, users, to=0)
    refused(procedure, users, 1, "HH-003")


def test_step_one_ignores_warnings_and_resolved_errors(household, users):
    now = timezone.now()
    Violation.objects.create(
        rule_id="EX-006", household=household, severity="W", message="x", first_seen=now, last_seen=now
    )
    Violation.objects.create(
        rule_id="HH-003",
        household=household,
        severity="E",
        message="x",
        first_seen=now,
        last_seen=now,
        resolved_at=now,
    )
    procedure = procedure_at(household, users, to=1)
    assert procedure.steps.count() == 1


def test_step_one_refused_without_an_income_record(household, users):
    household.incomes.all().delete()
    procedure = procedure_at(household, users, to=0)
    refused(procedure, users, 1, "收入记录")


# ------------------------------------------------------------------ steps 2–7


def test_a_rejected_appraisal_stops_the_procedure(household, users):
    procedure = procedure_at(household, users, to=1)
    record(procedure, users, 2, passed=False)
    refused(procedure, users, 3, "民主评议未通过")


def test_township_review_refused_while_a_cross_check_problem_is_open(household, users):
    procedure = procedure_at(household, users, to=2)
    record(procedure, users, 3, passed=False, note="收入计算有误")
    refused(procedure, users, 4, "交叉检查发现的问题")
    exit_resolve_cross_check(procedure=procedure, user=users["village"], note="已重新核算收入")
    record(procedure, users, 4)
    assert procedure.steps.get(number=3).details["resolution"] == "已重新核算收入"


def test_resolving_a_cross_check_needs_a_note(household, users):
    procedure = procedure_at(household, users, to=2)
    record(procedure, users, 3, passed=False)
    with pytest.raises(DomainError):
        exit_resolve_cross_check(procedure=procedure, user=users["village"], note=" ")
    assert not procedure.steps.get(number=3).passed


def test_a_notice_shorter_than_the_parameter_is_refused(household, users):
    procedure = procedure_at(household, users, to=4)
    day = step_kwargs(5)["date"]
    refused(procedure, users, 5, "至少需要7天", end_date=day + datetime.timedelta(days=5))


def test_notice_length_comes_from_the_parameter(household, users):
    Parameter.objects.filter(name="household_exit_notice_days").update(value=10)
    procedure = procedure_at(household, users, to=4)
    refused(procedure, users, 5, "至少需要10天")


def test_a_notice_without_end_date_is_refused(household, users):
    procedure = procedure_at(household, users, to=4)
    refused(procedure, users, 5, "公示的最后一天", end_date=None)


def test_a_notice_with_an_open_objection_is_refused(household, users):
    procedure = procedure_at(household, users, to=4)
    refused(procedure, users, 5, "异议", details={"objection_open": True})


def test_approval_refused_before_the_notice_is_complete(household, users):
    procedure = procedure_at(household, users, to=4)
    day = timezone.localdate() - datetime.timedelta(days=2)
    record(procedure, users, 5, date=day, end_date=day + datetime.timedelta(days=6))
    refused(procedure, users, 6, "公示尚未结束", date=timezone.localdate())


def test_filing_refused_without_an_archive_reference(household, users):
    procedure = procedure_at(household, users, to=6)
    refused(procedure, users, 7, "档案编号", details={"archive_ref": "  "})


# ------------------------------------------------------------------ step 8


FAILURES = {
    "income": ("低于", lambda h: h.incomes.update(per_capita_income=3000)),
    "house": ("住房不安全", lambda h: Household.objects.filter(pk=h.pk).update(housing_grade="D")),
    "dangerous": ("住房不安全", lambda h: Household.objects.filter(pk=h.pk).update(is_dangerous_house=True)),
    "water": ("饮水不安全", lambda h: Household.objects.filter(pk=h.pk).update(water_safe=False)),
    "school": (
        "罗小明",
        lambda h: MemberFactory(
            household=h,
            name="罗小明",
            relation="03",
            id_number=unique_id_number(
                birth=timezone.localdate().replace(year=timezone.localdate().year - 10)
            ),
            student_status="",
        ),
    ),
    "insurance": (
        "未参加基本医疗保险",
        lambda h: Member.objects.filter(household=h).update(medical_insurance=False),
    ),
}


@pytest.mark.parametrize("kind", FAILURES)
def test_marking_refused_while_a_standard_fails_and_lists_it(household, users, kind):
    text, spoil = FAILURES[kind]
    procedure = procedure_at(household, users, to=7)
    spoil(household)
    household.refresh_from_db()
    message = refused(procedure, users, 8, text)
    assert "不符合退出标准" in message
    household.refresh_from_db()
    assert household.exit_status == "0" and household.household_type == "1"


def test_every_failed_standard_is_listed(household, users):
    Household.objects.filter(pk=household.pk).update(water_safe=False, housing_grade="C")
    Member.objects.filter(household=household).update(medical_insurance=False)
    household.refresh_from_db()
    failures = exit_standard_failures(household)
    assert len(failures) == 3
    assert any("饮水" in f for f in failures) and any("住房" in f for f in failures)


@pytest.mark.parametrize("reason, counted", [("6", False), ("1", True)])
def test_a_child_taught_at_home_counts_as_in_school(household, users, reason, counted):
    """送教上门 is enrolled (DOMAIN.md §2.11); any other reason leaves the child out of school."""
    ten = timezone.localdate().replace(year=timezone.localdate().year - 10)
    MemberFactory(
        household=household,
        name="罗小明",
        relation="03",
        id_number=unique_id_number(birth=ten),
        student_status="",
        out_of_school_reason=reason,
    )
    assert any("罗小明" in f for f in exit_standard_failures(household)) is counted


def test_marking_refused_without_county_approval(household, users):
    procedure = procedure_at(household, users, to=5)
    record(procedure, users, 6, passed=False)
    record(procedure, users, 7)
    refused(procedure, users, 8, "未批准")


def test_marking_exits_the_household_with_history(household, users):
    procedure = procedure_at(household, users, to=8)
    household.refresh_from_db()
    marked = procedure.steps.get(number=8).date
    assert (household.exit_status, household.household_type) == ("1", "2")
    assert household.exit_month == marked.replace(day=1)
    latest = household.history.latest()
    assert latest.history_user == users["command"]
    assert "系统标注" in latest.history_change_reason
    with pytest.raises(DomainError, match="已完成"):
        record(procedure, users, 8)


def test_income_line_is_the_poverty_line_of_the_year(household, users):
    household.incomes.update(year=2020, per_capita_income=4500)
    assert exit_standard_failures(household, year=2020) == []
    Parameter.objects.filter(name="poverty_line", year=2020).update(value=5000)
    assert "5,000" in exit_standard_failures(household, year=2020)[0]


# ------------------------------------------------------------------ roles


@pytest.mark.parametrize(
    ("number", "role"),
    [(1, "helper"), (1, "command"), (4, "village"), (6, "township"), (7, "village"), (8, "township")],
)
def test_roles_that_may_not_record_a_step(household, users, number, role):
    procedure = procedure_at(household, users, to=number - 1)
    refused(procedure, users, number, "无权", user=users[role])


def test_a_cadre_of_another_village_may_not_record(household, users, county_layout):
    procedure = procedure_at(household, users, to=0)
    stranger = UserFactory(role="village", village=county_layout["villages"]["v12"])
    refused(procedure, users, 1, "无权", user=stranger)


# ------------------------------------------------------------------ attachments and signature


def test_a_step_keeps_a_valid_attachment(household, users):
    procedure = procedure_at(household, users, to=0)
    step = record(procedure, users, 1, attachment=SimpleUploadedFile("check.png", PNG))
    assert step.attachment.name.endswith(".png")


def test_a_bad_attachment_saves_nothing(household, users):
    procedure = procedure_at(household, users, to=0)
    refused(procedure, users, 1, "JPG", attachment=SimpleUploadedFile("check.exe", b"MZ"))


def test_signature_and_refusal_are_recorded(household, users):
    procedure = procedure_at(household, users, to=0)
    with pytest.raises(DomainError, match="理由"):
        exit_record_signature(procedure=procedure, user=users["village"], signed=False, note="")
    procedure.refresh_from_db()
    assert procedure.household_signed is None
    exit_record_signature(procedure=procedure, user=users["village"], signed=False, note="不认可收入核算")
    procedure.refresh_from_db()
    assert procedure.household_signed is False and procedure.signature_note == "不认可收入核算"
    exit_record_signature(procedure=procedure, user=users["village"], signed=True)
    procedure.refresh_from_db()
    assert procedure.household_signed is True


def test_full_walk_records_user_note_and_dates(household, users):
    procedure = advance(exit_start(household=household, year=2026, user=users["village"]), users, to=8)
    steps = list(procedure.steps.order_by("number"))
    assert [s.number for s in steps] == list(range(1, 9))
    assert [s.date for s in steps] == sorted(s.date for s in steps)
    assert steps[3].user == users["township"] and steps[0].note == "第1步"
    assert steps[6].details["archive_ref"] == "档案-001"
