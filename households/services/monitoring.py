"""防返贫监测 case lifecycle (DOMAIN.md §5.3–5.4): every transition is one service.

Each service checks the user's role and scope, the case's current state and the dates, then
changes the case and writes one `MonitoringStep` (from, to, date, actor, note, evidence) in
one transaction; a refusal raises `DomainError` with a Chinese message and saves nothing.
Village and township cadres move a clue up to township review; only the command office
decides, approves an elimination, closes a case as eliminated naturally and reopens one.
"""

import copy
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.checks.base import enrolled_q
from households.codefields import ACTIVE_STATUS, NO_LABOUR
from households.models import Department, Household, MonitoringCase, MonitoringStep
from households.models.monitoring import OPEN_STATES, CaseState
from households.models.register import join_codes
from households.monitoring_flags import monitoring_range, parameter
from households.queries import households_visible_to
from povertycase.accounts.models import Role, role_of
from povertycase.core import codes, concurrency
from povertycase.errors import DomainError

from .visits import attachment_problems

CLUE_ROLES = {Role.COMMAND, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT}
VILLAGE_ROLES = {Role.COMMAND, Role.TOWNSHIP, Role.VILLAGE}
TOWNSHIP_ROLES = {Role.COMMAND, Role.TOWNSHIP}
COMMAND_ROLES = {Role.COMMAND}
MAX_RISKS = 5
ASSISTED = "1"  # elimination_method 帮扶消除
NATURAL = "2"  # elimination_method 自然消除
OTHER_RISK = "R99"
ASSESSING_STATES = (CaseState.CLUE, CaseState.VERIFYING, CaseState.IN_NOTICE, CaseState.TOWNSHIP_REVIEWED)
DECISION_OUTCOMES = (CaseState.REJECTED, CaseState.NO_RISK, CaseState.RISK_OPEN)
NATURAL_REASONS = {
    "death": _lazy("the household died out"),
    "moved": _lazy("the household moved away"),
    "merged": _lazy("the household merged into another"),
}

# action -> (states it starts from, roles that may take it)
ACTIONS = {
    "start_verification": ((CaseState.CLUE,), VILLAGE_ROLES),
    "start_notice": ((CaseState.VERIFYING,), VILLAGE_ROLES),
    "township_review": ((CaseState.IN_NOTICE,), TOWNSHIP_ROLES),
    "county_decision": ((CaseState.TOWNSHIP_REVIEWED,), COMMAND_ROLES),
    "record_help": ((CaseState.RISK_OPEN,), VILLAGE_ROLES),
    "start_elimination": ((CaseState.RISK_OPEN,), VILLAGE_ROLES),
    "approve_elimination": ((CaseState.ELIMINATION_NOTICE,), COMMAND_ROLES),
    "eliminate_natural": ((CaseState.RISK_OPEN,), COMMAND_ROLES),
    "reopen": ((CaseState.RISK_ELIMINATED,), COMMAND_ROLES),
}


# ------------------------------------------------------------------ permissions


def _has_role(user, roles) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role_of(user) in roles


def can_register_clue(user) -> bool:
    return _has_role(user, CLUE_ROLES)


def allowed_actions(user, case: MonitoringCase) -> list[str]:
    """The actions `user` may take on `case` now (the case is already in the user's scope)."""
    return [
        action
        for action, (states, roles) in ACTIONS.items()
        if case.state in states and _has_role(user, roles)
    ]


def _check_scope(user, household: Household) -> None:
    if not households_visible_to(user).filter(pk=household.pk).exists():
        raise DomainError(_("This household is outside your area."))


def _locked_case(case: MonitoringCase, user, action: str, expected_version: str | None) -> MonitoringCase:
    """Re-read the case under a row lock and refuse what this user or state does not allow, or a
    form loaded before someone else moved the case (`expected_version`: concurrency.record_version)."""
    current = MonitoringCase.objects.select_for_update().select_related("household").get(pk=case.pk)
    concurrency.ensure_current([current.history.all()], expected_version)
    _check_scope(user, current.household)
    states, roles = ACTIONS[action]
    if not _has_role(user, roles):
        if roles == COMMAND_ROLES:
            raise DomainError(_("Only the county command office may take this step."))
        raise DomainError(_("Your role may not take this step."))
    if current.state not in states:
        raise DomainError(
            _("The case is at '%(state)s'; this step is not possible now.")
            % {"state": current.get_state_display()}
        )
    return current


# ------------------------------------------------------------------ dates and steps


def _last_step_date(case: MonitoringCase) -> datetime.date | None:
    return case.steps.order_by("-date", "-pk").values_list("date", flat=True).first()


def _check_step_date(case: MonitoringCase, date) -> None:
    if not date:
        raise DomainError(_("Enter the date of this step."), field="date")
    if date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="date")
    last = _last_step_date(case)
    if last and date < last:
        raise DomainError(
            _("The date cannot be before the previous step (%(date)s).") % {"date": _day(last)},
            field="date",
        )


def _check_attachment(attachment) -> None:
    if attachment:
        problems = attachment_problems(attachment)
        if problems:
            raise DomainError(problems[0], field="attachment")


def _write_step(case, *, from_state, user, date, note="", attachment=None) -> MonitoringStep:
    step = MonitoringStep(
        case=case, from_state=from_state, to_state=case.state, date=date, actor=user, note=note.strip()
    )
    if attachment:
        step.attachment = attachment
    step.save()
    return step


def _save_case(case: MonitoringCase, user) -> None:
    case._history_user = user
    case.save()


def _day(value) -> str:
    return date_format(value, "Y-m-d")


def _move(case, *, to, user, date, note="", attachment=None) -> MonitoringCase:
    from_state = case.state
    case.state = to
    _save_case(case, user)
    _write_step(case, from_state=from_state, user=user, date=date, note=note, attachment=attachment)
    return case


# ------------------------------------------------------------------ 1. screening


@transaction.atomic
def case_register_clue(
    *, household: Household, user, channel: str, clue_date, reporter: str = "", text: str, attachment=None
) -> MonitoringCase:
    if not can_register_clue(user):
        raise DomainError(_("Your role may not register monitoring clues."))
    _check_scope(user, household)
    if channel not in dict(codes.choices("monitor_channel")):
        raise DomainError(_("Choose how the clue was found."), field="channel")
    if not clue_date:
        raise DomainError(_("Enter the date of the clue."), field="clue_date")
    if clue_date > timezone.localdate():
        raise DomainError(_("The clue date cannot be in the future."), field="clue_date")
    if not (text or "").strip():
        raise DomainError(_("Describe the clue."), field="text")
    _check_attachment(attachment)
    _refuse_second_open_case(household)
    case = MonitoringCase(
        household=household,
        state=CaseState.CLUE,
        channel=channel,
        clue_date=clue_date,
        reporter=(reporter or "").strip(),
        clue_text=text.strip(),
        created_by=user,
    )
    try:
        with transaction.atomic():
            _save_case(case, user)
    except IntegrityError:  # a concurrent clue for the same household won the race
        _refuse_second_open_case(household)
        raise
    _write_step(case, from_state="", user=user, date=clue_date, note=text, attachment=attachment)
    return case


def _refuse_second_open_case(household: Household, *, exclude_pk=None) -> None:
    open_case = household.monitoring_cases.filter(state__in=OPEN_STATES).exclude(pk=exclude_pk).first()
    if open_case:
        raise DomainError(
            _(
                "This household already has an open monitoring case (registered %(date)s, now '%(state)s'); "
                "continue that case instead of opening a second one."
            )
            % {"date": _day(open_case.clue_date), "state": open_case.get_state_display()}
        )


@transaction.atomic
def case_start_verification(
    *, case, user, date, note="", attachment=None, expected_version: str | None = None
) -> MonitoringCase:
    case = _locked_case(case, user, "start_verification", expected_version)
    _check_step_date(case, date)
    _check_attachment(attachment)
    return _move(case, to=CaseState.VERIFYING, user=user, date=date, note=note, attachment=attachment)


# ------------------------------------------------------------------ 2. assessment


def notice_days() -> int:
    return int(parameter("monitoring_notice_days", 5))


def decision_days() -> int:
    return int(parameter("monitoring_decision_days", 15))


@transaction.atomic
def case_start_notice(
    *, case, user, notice_start, notice_end, note="", attachment=None, expected_version: str | None = None
) -> MonitoringCase:
    """The village notice; its length counts both end days (1st to 5th = 5 days)."""
    case = _locked_case(case, user, "start_notice", expected_version)
    if not notice_start or not notice_end:
        raise DomainError(_("Enter the first and the last day of the notice."), field="notice_end")
    _check_step_date(case, notice_start)
    minimum = notice_days()
    length = (notice_end - notice_start).days + 1
    if length < minimum:
        raise DomainError(
            _("The village notice must last at least %(days)s days (this one: %(length)s).")
            % {"days": minimum, "length": max(length, 0)},
            field="notice_end",
        )
    _check_attachment(attachment)
    case.notice_start, case.notice_end = notice_start, notice_end
    return _move(case, to=CaseState.IN_NOTICE, user=user, date=notice_start, note=note, attachment=attachment)


@transaction.atomic
def case_township_review(
    *, case, user, date, note="", attachment=None, expected_version: str | None = None
) -> MonitoringCase:
    case = _locked_case(case, user, "township_review", expected_version)
    _check_step_date(case, date)
    if date <= case.notice_end:
        raise DomainError(
            _("The township may review only after the village notice ended (%(date)s).")
            % {"date": _day(case.notice_end)},
            field="date",
        )
    _check_attachment(attachment)
    return _move(case, to=CaseState.TOWNSHIP_REVIEWED, user=user, date=date, note=note, attachment=attachment)


def _clean_risks(risks) -> list[str]:
    valid = dict(codes.choices("monitor_risk"))
    chosen = list(dict.fromkeys(r for r in (risks or []) if r))
    if not chosen:
        raise DomainError(_("Choose at least one risk."), field="risks")
    if len(chosen) > MAX_RISKS:
        raise DomainError(_("Choose at most five risks."), field="risks")
    unknown = [r for r in chosen if r not in valid]
    if unknown:
        raise DomainError(_("Unknown risk: %(codes)s.") % {"codes": ", ".join(unknown)}, field="risks")
    return chosen


@transaction.atomic
def case_county_decision(
    *,
    case,
    user,
    date,
    outcome: str,
    category: str = "",
    risks=(),
    risk_note: str = "",
    out_of_pocket_expense=None,
    note: str = "",
    attachment=None,
    expected_version: str | None = None,
) -> MonitoringCase:
    case = _locked_case(case, user, "county_decision", expected_version)
    _check_step_date(case, date)
    if outcome not in DECISION_OUTCOMES:
        raise DomainError(_("Choose the decision."), field="outcome")
    if outcome == CaseState.RISK_OPEN:
        if category not in dict(codes.choices("monitor_category")):
            raise DomainError(_("Choose the monitored category."), field="category")
        chosen = _clean_risks(risks)
        if OTHER_RISK in chosen and not (risk_note or "").strip():
            raise DomainError(_("Describe the risk 'other' in the note on the risk."), field="risk_note")
        case.category, case.risks = category, join_codes(chosen)
        case.risk_note = (risk_note or "").strip()
        case.out_of_pocket_expense = out_of_pocket_expense
        case.identified_on = date
    elif not (note or "").strip():
        raise DomainError(_("Give the reason why no risk was identified."), field="note")
    _check_attachment(attachment)
    late_by = (date - case.clue_date).days
    if late_by > decision_days():
        warning = _("Warning: decided %(days)s days after the clue, the limit is %(limit)s days.") % {
            "days": late_by,
            "limit": decision_days(),
        }
        note = f"{warning}\n{note}".strip()
    return _move(case, to=outcome, user=user, date=date, note=note, attachment=attachment)


# ------------------------------------------------------------------ 3. assistance


@transaction.atomic
def case_record_help(
    *,
    case,
    user,
    date,
    help_given: str,
    responsible_department: Department | None,
    responsible_person: str,
    note: str = "",
    attachment=None,
    expected_version: str | None = None,
) -> MonitoringCase:
    """Help given, with the lead unit and the person responsible; the case stays open."""
    case = _locked_case(case, user, "record_help", expected_version)
    _check_step_date(case, date)
    if not (help_given or "").strip():
        raise DomainError(_("Describe the help given."), field="help_given")
    if responsible_department is None:
        raise DomainError(_("Choose the lead unit."), field="responsible_department")
    if not (responsible_person or "").strip():
        raise DomainError(_("Enter the person responsible."), field="responsible_person")
    _check_attachment(attachment)
    dated = f"{_day(date)} {help_given.strip()}"
    case.help_given = f"{case.help_given}\n{dated}".strip() if case.help_given else dated
    case.responsible_department = responsible_department
    case.responsible_person = responsible_person.strip()
    _save_case(case, user)
    text = f"{help_given.strip()}\n{note}".strip()
    _write_step(case, from_state=case.state, user=user, date=date, note=text, attachment=attachment)
    return case


# ------------------------------------------------------------------ 4. elimination


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last_day = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def _age_bounds(on_date: datetime.date, low: int, high: int) -> tuple[datetime.date, datetime.date]:
    """Birth dates of people aged low..high (full years) on `on_date`: (born after, born on or before)."""
    return _add_months(on_date, -12 * (high + 1)), _add_months(on_date, -12 * low)


def elimination_blockers(case: MonitoringCase, on_date: datetime.date) -> list[str]:
    """Why an assisted elimination of `case` on `on_date` is not allowed (MN-017…MN-023); [] = allowed."""
    household = case.household
    blockers = []
    min_months = int(parameter("monitoring_min_months", 6))
    identified = case.identified_on
    if identified is None:
        blockers.append(_("The case has no identification date."))
    else:
        if on_date < _add_months(identified, min_months):
            blockers.append(
                _("Less than %(months)s months since identification (%(date)s).")
                % {"months": min_months, "date": _day(identified)}
            )
        if on_date.year * 12 + on_date.month <= identified.year * 12 + identified.month + 1:
            blockers.append(_("Elimination in the month of identification or the next month."))
    blockers += _income_blockers(household, on_date)
    active = household.members.filter(status=ACTIVE_STATUS)
    if active.exists() and not active.exclude(labour__in=NO_LABOUR).exists():
        blockers.append(
            _("Nobody in the household has labour capacity: such a household is never eliminated.")
        )
    blockers += _guarantee_blockers(household, active, on_date)
    if not household.measures.exists():
        blockers.append(_("No assistance measure is recorded for the household."))
    if case.post_income_per_capita is None or case.post_guarantees_secure is None:
        blockers.append(_("The post-elimination income and 三保障 indicators are not filled in."))
    elif not case.post_guarantees_secure:
        blockers.append(_("After elimination 三保障 and drinking water are not secure."))
    if not case.contact_name.strip() or not case.contact_phone.strip():
        blockers.append(_("The monitoring contact person or phone is missing."))
    return blockers


def _income_blockers(household: Household, on_date: datetime.date) -> list[str]:
    latest = household.incomes.order_by("-year").first()
    line = monitoring_range(on_date.year)
    if latest is None:
        return [_("No income is recorded for the household.")]
    if line is not None and latest.per_capita_income < line:
        return [
            _("Per-capita income %(income)s (%(year)s) is below the monitoring range of %(line)s.")
            % {"income": latest.per_capita_income, "year": latest.year, "line": _amount(line)}
        ]
    return []


def _guarantee_blockers(household: Household, active, on_date: datetime.date) -> list[str]:
    blockers = []
    low = int(parameter("compulsory_school_age_min", 7))
    high = int(parameter("compulsory_school_age_max", 15))
    born_after, born_by = _age_bounds(on_date, low, high)
    children = active.filter(birth_date__gt=born_after, birth_date__lte=born_by)
    if children.exclude(enrolled_q()).exists():  # 送教上门 counts as enrolled
        blockers.append(_("A child of compulsory-school age is out of school."))
    if household.water_safe is False:
        blockers.append(_("Drinking water is not safe."))
    dangerous_grades = [c.code for c in codes.entries("housing_grade") if c.extra.get("dangerous")]
    if household.is_dangerous_house or household.housing_grade in dangerous_grades:
        blockers.append(_("The household lives in a dangerous house."))
    return blockers


def _amount(value) -> str:
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def criteria_preview(case: MonitoringCase, on_date: datetime.date) -> list[str]:
    """The blockers that do not depend on what the elimination form asks for (indicators, contact)."""
    preview = copy.copy(case)
    preview.post_income_per_capita, preview.post_guarantees_secure = Decimal(0), True
    preview.contact_name = preview.contact_phone = "-"
    return elimination_blockers(preview, on_date)


def _raise_blockers(blockers: list[str]) -> None:
    if blockers:
        raise DomainError(
            _("The risk cannot be eliminated yet:") + "\n" + "\n".join(f"· {b}" for b in blockers)
        )


@transaction.atomic
def case_start_elimination(
    *,
    case,
    user,
    date,
    post_income_per_capita,
    post_guarantees_secure,
    contact_name: str,
    contact_phone: str,
    note: str = "",
    attachment=None,
    expected_version: str | None = None,
) -> MonitoringCase:
    """Assisted elimination (帮扶消除): village verification and notice, refused while a criterion fails."""
    case = _locked_case(case, user, "start_elimination", expected_version)
    _check_step_date(case, date)
    _check_attachment(attachment)
    case.post_income_per_capita = post_income_per_capita
    case.post_guarantees_secure = post_guarantees_secure
    case.contact_name = (contact_name or "").strip()
    case.contact_phone = (contact_phone or "").strip()
    case.elimination_method = ASSISTED
    _raise_blockers(elimination_blockers(case, date))
    return _move(
        case, to=CaseState.ELIMINATION_NOTICE, user=user, date=date, note=note, attachment=attachment
    )


@transaction.atomic
def case_approve_elimination(
    *, case, user, date, note="", attachment=None, expected_version: str | None = None
) -> MonitoringCase:
    case = _locked_case(case, user, "approve_elimination", expected_version)
    _check_step_date(case, date)
    _check_attachment(attachment)
    _raise_blockers(elimination_blockers(case, date))
    case.eliminated_on = date
    case.elimination_method = ASSISTED
    return _move(case, to=CaseState.RISK_ELIMINATED, user=user, date=date, note=note, attachment=attachment)


@transaction.atomic
def case_eliminate_natural(
    *, case, user, date, reason: str, note="", attachment=None, expected_version: str | None = None
) -> MonitoringCase:
    """Risk gone naturally: the household died out, moved away or merged into another."""
    case = _locked_case(case, user, "eliminate_natural", expected_version)
    _check_step_date(case, date)
    if reason not in NATURAL_REASONS:
        raise DomainError(_("Choose why the risk is gone (death, moving away, merging)."), field="reason")
    _check_attachment(attachment)
    case.eliminated_on = date
    case.elimination_method = NATURAL
    text = f"{NATURAL_REASONS[reason]}\n{note}".strip()
    return _move(
        case, to=CaseState.ELIMINATED_NATURAL, user=user, date=date, note=text, attachment=attachment
    )


@transaction.atomic
def case_reopen(
    *,
    case,
    user,
    date,
    risks,
    risk_note: str = "",
    note="",
    attachment=None,
    expected_version: str | None = None,
) -> MonitoringCase:
    """A new risk in an eliminated household: the case is open again from `date`."""
    case = _locked_case(case, user, "reopen", expected_version)
    _check_step_date(case, date)
    chosen = _clean_risks(risks)
    if OTHER_RISK in chosen and not (risk_note or "").strip():
        raise DomainError(_("Describe the risk 'other' in the note on the risk."), field="risk_note")
    _check_attachment(attachment)
    _refuse_second_open_case(case.household, exclude_pk=case.pk)
    case.risks = join_codes(chosen)
    case.risk_note = (risk_note or "").strip()
    case.identified_on = date
    case.eliminated_on = None
    case.elimination_method = ""
    return _move(case, to=CaseState.RISK_OPEN, user=user, date=date, note=note, attachment=attachment)
