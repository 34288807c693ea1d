"""The household exit procedure (退出程序, DOMAIN.md §4): start, the eight steps, the signature.

Who records which step (§4.2 actors mapped onto the roles):
- steps 1, 2, 3 and 5 (check, appraisal, cross-check, notice): village and township cadres;
- step 4 (township review): township cadres;
- steps 6, 7 and 8 (county approval, filing, system marking): the county command office.
A superuser may record any step. Every user acts only on households in their scope.

Every refusal raises `DomainError` before anything is written; a step is saved in one
transaction together with, for step 8, the household's new exit status.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from households import rules
from households.checks.base import enrolled_q, exited_codes, years_before
from households.checks.registry import get_rule
from households.checks.settings import county_parameters, effective_settings, yearly_values
from households.codefields import ACTIVE_STATUS, household_type_for
from households.models import (
    ExitMilestone,
    ExitProcedure,
    ExitStep,
    ExitStepNumber,
    Household,
    Severity,
    Violation,
)
from households.queries import households_visible_to
from households.services.visits import attachment_problems
from povertycase.accounts.models import Role, role_of
from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

STEP_ROLES = {
    ExitStepNumber.CHECK: {Role.VILLAGE, Role.TOWNSHIP},
    ExitStepNumber.APPRAISAL: {Role.VILLAGE, Role.TOWNSHIP},
    ExitStepNumber.CROSS_CHECK: {Role.VILLAGE, Role.TOWNSHIP},
    ExitStepNumber.TOWNSHIP_REVIEW: {Role.TOWNSHIP},
    ExitStepNumber.NOTICE: {Role.VILLAGE, Role.TOWNSHIP},
    ExitStepNumber.APPROVAL: {Role.COMMAND},
    ExitStepNumber.FILING: {Role.COMMAND},
    ExitStepNumber.MARKING: {Role.COMMAND},
}
START_ROLES = {Role.VILLAGE, Role.TOWNSHIP, Role.COMMAND}
# Steps whose outcome can be negative: appraisal rejected, cross-check problem, approval refused.
STEPS_WITH_OUTCOME = {ExitStepNumber.APPRAISAL, ExitStepNumber.CROSS_CHECK, ExitStepNumber.APPROVAL}
NATURAL_DECREASE = "9"  # exit_status 自然减少: no longer a household to exit
EXITED_STATUS = "1"  # 已脱贫（享受政策）
DEFAULT_NOTICE_DAYS = 7
DEFAULT_SCHOOL_AGES = (7, 15)


# ------------------------------------------------------------------ permissions


def _in_scope(user, household: Household) -> bool:
    return households_visible_to(user).filter(pk=household.pk).exists()


def can_start_exit(user, household: Household, *, in_scope: bool = False) -> bool:
    if not user.is_authenticated or not (user.is_superuser or role_of(user) in START_ROLES):
        return False
    return in_scope or _in_scope(user, household)


def can_record_step(user, number: int, household: Household, *, in_scope: bool = False) -> bool:
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or role_of(user) in STEP_ROLES.get(number, set())):
        return False
    return in_scope or _in_scope(user, household)


def can_record_signature(user, household: Household, *, in_scope: bool = False) -> bool:
    return can_start_exit(user, household, in_scope=in_scope)


# ------------------------------------------------------------------ standards


def _amount(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def income_line(year: int) -> Decimal:
    """The year's `poverty_line`, else the county's `exited_income_floor` (DOMAIN.md §3.1)."""
    lines = yearly_values("poverty_line")
    if year in lines:
        return lines[year]
    return Decimal(str(county_parameters().get("exited_income_floor", 4000)))


def school_ages() -> tuple[int, int]:
    """The compulsory-school ages EX-001 checks (its parameters, county overrides included)."""
    rule = get_rule("EX-001")
    params = effective_settings([rule])[rule.id].params if rule else {}
    return int(params.get("min_age", DEFAULT_SCHOOL_AGES[0])), int(
        params.get("max_age", DEFAULT_SCHOOL_AGES[1])
    )


def _children_out_of_school(household: Household, today: datetime.date) -> list[str]:
    low, high = school_ages()
    children = household.members.filter(
        status=ACTIVE_STATUS,
        birth_date__lte=years_before(today, low),
        birth_date__gt=years_before(today, high + 1),
    )
    return list(children.exclude(enrolled_q()).order_by("seq", "pk").values_list("name", flat=True))


def exit_standard_failures(household: Household, *, year: int | None = None, today=None) -> list[str]:
    """Each exit standard (一超过两不愁三保障 and water, §4.1) the household fails, in Chinese."""
    today = today or timezone.localdate()
    failures = []
    income = household.incomes.order_by("-year").first()
    if income is None:
        failures.append(_("no income record"))
    else:
        line = income_line(year or income.year)
        if income.per_capita_income < line:
            failures.append(
                _("per-capita net income %(income)s 元 (%(year)s) is below the line of %(line)s 元")
                % {"income": _amount(income.per_capita_income), "year": income.year, "line": _amount(line)}
            )
    dangerous = {c.code for c in codes.entries("housing_grade") if c.extra.get("dangerous")}
    if household.housing_grade in dangerous or household.is_dangerous_house:
        failures.append(_("unsafe house (grade C/D or dangerous house)"))
    if household.water_safe is False:
        failures.append(_("drinking water not safe"))
    for name in _children_out_of_school(household, today):
        failures.append(_("%(name)s, of compulsory-school age, is out of school") % {"name": name})
    uninsured = household.members.filter(status=ACTIVE_STATUS, medical_insurance=False)
    for name in uninsured.order_by("seq", "pk").values_list("name", flat=True):
        failures.append(_("%(name)s has no basic medical insurance") % {"name": name})
    return failures


def _refuse_standards(household: Household, year: int, message: str) -> None:
    failures = exit_standard_failures(household, year=year)
    if failures:
        raise DomainError(message % {"items": "；".join(failures)}, field="standards")


# ------------------------------------------------------------------ procedure state


def reached_step(procedure: ExitProcedure) -> int:
    return procedure.steps.aggregate(top=Max("number"))["top"] or 0


def is_stopped(steps: dict[int, ExitStep]) -> bool:
    """The democratic appraisal rejected the exit: the procedure ends there."""
    appraisal = steps.get(ExitStepNumber.APPRAISAL)
    return appraisal is not None and not appraisal.passed


def is_completed(steps: dict[int, ExitStep]) -> bool:
    return ExitStepNumber.MARKING in steps


@transaction.atomic
def exit_start(*, household: Household, year: int, user) -> ExitProcedure:
    """Open the year's procedure for a household not yet exited (one per household and year)."""
    if not can_start_exit(user, household):
        raise DomainError(_("You may not start an exit procedure for this household."))
    if household.exit_status in exited_codes():
        raise DomainError(_("This household has already exited poverty."))
    if household.exit_status == NATURAL_DECREASE:
        raise DomainError(_("This household has left the register (natural decrease)."))
    if ExitProcedure.objects.filter(household=household, year=year).exists():
        raise DomainError(_("This household already has an exit procedure for %(year)s.") % {"year": year})
    procedure = ExitProcedure(household=household, year=year, started_by=user)
    procedure._history_user = user
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError as clash:  # started concurrently
        raise DomainError(
            _("This household already has an exit procedure for %(year)s.") % {"year": year}
        ) from clash
    return procedure


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _check_date(number: int, date, steps: dict[int, ExitStep]) -> None:
    if not date:
        raise DomainError(_("Enter the date of the step."), field="date")
    if date > timezone.localdate():
        raise DomainError(_("The date of a step cannot be in the future."), field="date")
    previous = steps.get(number - 1)
    if previous and date < previous.date:
        raise DomainError(
            _("The date cannot be before the previous step's date (%(date)s).")
            % {"date": _day(previous.date)},
            field="date",
        )


def _check_step_one(household: Household, year: int) -> None:
    if not household.incomes.exists():
        raise DomainError(_("The information check needs an income record of the household."))
    errors = Violation.objects.filter(household=household, severity=Severity.ERROR, resolved_at__isnull=True)
    rule_ids = sorted(set(errors.values_list("rule_id", flat=True)))
    if rule_ids:
        raise DomainError(
            _("Open error logic checks block the exit: %(rules)s.") % {"rules": "、".join(rule_ids)}
        )
    _refuse_standards(household, year, _("The household does not meet the exit standards: %(items)s."))


def _check_notice(date, end_date, details: dict) -> None:
    if not end_date:
        raise DomainError(_("Enter the last day of the public notice."), field="end_date")
    days = (end_date - date).days + 1
    minimum = int(county_parameters().get("household_exit_notice_days", DEFAULT_NOTICE_DAYS))
    if days < minimum:
        raise DomainError(
            _("The public notice lasts %(days)s days; at least %(minimum)s days are required.")
            % {"days": days, "minimum": minimum},
            field="end_date",
        )
    if details.get("objection_open"):
        raise DomainError(
            _("An objection to the notice is still open: handle it first."), field="objection_open"
        )


def _check_step_rules(number: int, *, procedure, steps, date, end_date, details) -> None:
    if number == ExitStepNumber.CHECK:
        _check_step_one(procedure.household, procedure.year)
    elif number == ExitStepNumber.CROSS_CHECK and is_stopped(steps):
        raise DomainError(_("The democratic appraisal rejected the exit: the procedure stops here."))
    elif number == ExitStepNumber.TOWNSHIP_REVIEW and not steps[ExitStepNumber.CROSS_CHECK].passed:
        raise DomainError(_("The cross-check found a problem that is not resolved yet."))
    elif number == ExitStepNumber.NOTICE:
        _check_notice(date, end_date, details)
    elif number == ExitStepNumber.APPROVAL:
        notice = steps[ExitStepNumber.NOTICE]
        if notice.end_date is None or date <= notice.end_date:
            raise DomainError(
                _("The public notice is not complete: it runs until %(date)s.")
                % {"date": _day(notice.end_date or notice.date)},
                field="date",
            )
    elif number == ExitStepNumber.FILING and not (details.get("archive_ref") or "").strip():
        raise DomainError(_("Enter the archive reference of the filed documents."), field="archive_ref")
    elif number == ExitStepNumber.MARKING:
        if not steps[ExitStepNumber.APPROVAL].passed:
            raise DomainError(_("The county did not approve the exit (step 6): it cannot be marked."))
        _refuse_standards(
            procedure.household,
            procedure.year,
            _("The household cannot be marked as exited, it fails the exit standards: %(items)s."),
        )


@transaction.atomic
def exit_record_step(
    *,
    procedure: ExitProcedure,
    number: int,
    user,
    date: datetime.date,
    note: str = "",
    attachment=None,
    passed: bool = True,
    end_date: datetime.date | None = None,
    details: dict | None = None,
    expected_version: str | None = None,
) -> ExitStep:
    """Record step `number` (the next one only); step 8 marks the household as exited. Refused when
    the procedure changed since `expected_version` (procedure_version when the form was loaded)."""
    details = dict(details or {})
    procedure = ExitProcedure.objects.select_for_update().select_related("household").get(pk=procedure.pk)
    concurrency.ensure_current(_versioned(procedure), expected_version)
    household = procedure.household
    if number not in ExitStepNumber.values:
        raise DomainError(_("Unknown exit step."))
    if not can_record_step(user, number, household):
        raise DomainError(_("You may not record this step of the exit procedure."))
    steps = {step.number: step for step in procedure.steps.all()}
    if is_completed(steps):
        raise DomainError(_("The exit procedure is complete."))
    expected = max(steps, default=0) + 1
    if number != expected:
        raise DomainError(
            _("Steps cannot be skipped: the next step is %(step)s.")
            % {"step": f"{expected} {ExitStepNumber(expected).label}"}
        )
    _check_date(number, date, steps)
    _check_step_rules(number, procedure=procedure, steps=steps, date=date, end_date=end_date, details=details)
    if attachment:
        problems = attachment_problems(attachment)
        if problems:
            raise DomainError(problems[0], field="attachment")
    if number == ExitStepNumber.FILING:
        details["archive_ref"] = details["archive_ref"].strip()
    step = ExitStep(
        procedure=procedure,
        number=number,
        date=date,
        end_date=end_date if number == ExitStepNumber.NOTICE else None,
        passed=bool(passed) if number in STEPS_WITH_OUTCOME else True,
        user=user,
        note=(note or "").strip(),
        details=details,
    )
    if attachment:
        step.attachment = attachment
    step._history_user = user
    step.save()
    if number == ExitStepNumber.MARKING:
        _mark_exited(household, date, user)
    return step


def _mark_exited(household: Household, date: datetime.date, user) -> None:
    household.exit_status = EXITED_STATUS
    household.exit_month = date.replace(day=1)
    household.household_type = household_type_for(EXITED_STATUS, household.household_type)
    household._history_user = user
    household._change_reason = _("exit procedure: system marking")
    household.save(update_fields=["exit_status", "exit_month", "household_type", "updated_at"])


@transaction.atomic
def exit_resolve_cross_check(*, procedure: ExitProcedure, user, note: str) -> ExitStep:
    """The cross-check's problem was fixed: step 3 now counts as passed, the trail says why."""
    step = (
        ExitStep.objects.select_for_update()
        .filter(procedure=procedure, number=ExitStepNumber.CROSS_CHECK)
        .first()
    )
    if step is None or step.passed:
        raise DomainError(_("There is no unresolved cross-check problem."))
    if not can_record_step(user, ExitStepNumber.CROSS_CHECK, procedure.household):
        raise DomainError(_("You may not record this step of the exit procedure."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Describe how the problem was resolved."), field="note")
    step.passed = True
    step.details = {**step.details, "resolution": note, "resolved_on": timezone.localdate().isoformat()}
    step._history_user = user
    step._change_reason = note[:100]
    step.save(update_fields=["passed", "details"])
    return step


def procedure_version(procedure: ExitProcedure) -> str:
    """The version of a procedure and its steps, as the forms of its page carry it."""
    return concurrency.version_of(_versioned(procedure))


def procedure_stale_message(procedure: ExitProcedure, expected_version: str | None) -> str:
    return concurrency.stale_message(_versioned(procedure), expected_version)


def _versioned(procedure: ExitProcedure) -> list:
    return [procedure.history.all(), ExitStep.history.filter(procedure_id=procedure.pk)]


@transaction.atomic
def exit_record_signature(
    *, procedure: ExitProcedure, user, signed: bool, note: str = "", expected_version: str | None = None
) -> ExitProcedure:
    """The household signs its recognition of the result, or its refusal is recorded (EX-009)."""
    procedure = ExitProcedure.objects.select_for_update().get(pk=procedure.pk)
    concurrency.ensure_current(_versioned(procedure), expected_version)
    if not can_record_signature(user, procedure.household):
        raise DomainError(_("You may not record the household's signature."))
    note = (note or "").strip()
    if not signed and not note:
        raise DomainError(_("Record the household's reason for refusing to sign."), field="signature_note")
    procedure.household_signed = bool(signed)
    procedure.signature_note = note[:200]
    procedure._history_user = user
    procedure.save(update_fields=["household_signed", "signature_note"])
    return procedure


@transaction.atomic
def exit_milestones_save(*, year: int, due_dates: dict, user) -> list[ExitMilestone]:
    """Store the year's due date per level (§4.3); the levels' dates must not go backwards."""
    from households.exit_queries import DEFAULT_MILESTONES

    if not rules.can_manage_county(user):
        raise DomainError(_("Only the county command office may set the exit milestones."))
    previous = None
    for level, _step, _month, _day in DEFAULT_MILESTONES:
        day = due_dates.get(level)
        if day is None:
            raise DomainError(_("Enter a due date for every level."), field=level)
        if previous and day < previous:
            raise DomainError(_("A later level cannot be due before an earlier one."), field=level)
        previous = day
    saved = []
    for level, step, _month, _day in DEFAULT_MILESTONES:
        milestone, _created = ExitMilestone.objects.update_or_create(
            year=year, level=level, defaults={"last_step": step, "due_date": due_dates[level]}
        )
        saved.append(milestone)
    return saved
