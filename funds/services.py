"""Writes of the funds ledger. Every service is keyword-only and atomic, and refuses with a
DomainError (a message for the user) before anything is saved."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from households.models import Household, Village
from povertycase.core import codes
from povertycase.errors import DomainError
from rectification.evidence import check_evidence_file

from . import rules
from .models import (
    PAYABLE,
    Allocation,
    Asset,
    Beneficiary,
    BudgetLine,
    CompletionReport,
    IncomeDistribution,
    Payment,
    Project,
    Status,
)

# A household that left the register this way cannot receive a subsidy.
OFF_REGISTER_EXIT_STATUSES = ("9",)
IN_STEP = "资金拨付与项目实施一致"

# action -> (states it may start from, the state it leads to, the date field it stamps)
TRANSITIONS = {
    "approve": ((Status.RESERVE,), Status.APPROVED, "approved_on"),
    "start": ((Status.APPROVED,), Status.IN_PROGRESS, "started_on"),
    "complete": ((Status.IN_PROGRESS,), Status.COMPLETED, "completed_on"),
    "accept": ((Status.COMPLETED,), Status.ACCEPTED, "accepted_on"),
    "reimburse": ((Status.ACCEPTED,), Status.REIMBURSED, "reimbursed_on"),
    "suspend": ((Status.APPROVED, Status.IN_PROGRESS), Status.SUSPENDED, None),
    "resume": ((Status.SUSPENDED,), None, None),
    "withdraw": (
        (Status.RESERVE, Status.APPROVED, Status.IN_PROGRESS, Status.SUSPENDED),
        Status.WITHDRAWN,
        None,
    ),
}
NEEDS_REASON = ("suspend", "withdraw")


def _refuse(message: str, field: str | None = None):
    raise DomainError(message, field=field)


def _locked(model, obj):
    list(model.objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


def _one_unit(township, department):
    if bool(township) == bool(department):
        _refuse(_("Choose exactly one unit: a township or a department."), "implementing_township")


def _save(obj, user, reason: str):
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj


@transaction.atomic
def allocation_create(*, user, data: dict) -> Allocation:
    if not rules.can_manage_allocations(user):
        _refuse(_("Only the command office or the finance bureau may record allocations."))
    allocation = Allocation(**data)
    _one_unit(allocation.receiving_township_id, allocation.receiving_department_id)
    if not codes.get("fund_source", allocation.source):
        _refuse(_("Choose the fund source."), "source")
    if not allocation.amount or allocation.amount <= 0:
        _refuse(_("The amount must be more than zero."), "amount")
    allocation.full_clean()
    return _save(allocation, user, "create")


@transaction.atomic
def project_create(*, user, data: dict, villages=()) -> Project:
    project = Project(**data)
    _one_unit(project.implementing_township_id, project.implementing_department_id)
    if not rules.can_create_project(
        user, township_id=project.implementing_township_id, department_id=project.implementing_department_id
    ):
        _refuse(_("You may only add projects your own unit implements."))
    if not codes.get("fund_project_type", project.project_type):
        _refuse(_("Choose the project type."), "project_type")
    villages = list(villages)
    if project.implementing_township_id and any(
        v.township_id != project.implementing_township_id for v in villages
    ):
        _refuse(_("A township's project lies in the township's own villages."), "villages")
    project.status = Status.RESERVE
    project.township_id = project.implementing_township_id or (villages[0].township_id if villages else None)
    project.full_clean(exclude=["villages"])
    _save(project, user, "create")
    project.villages.set(villages)
    return project


def allocation_remaining(allocation: Allocation, *, exclude_line: BudgetLine | None = None) -> Decimal:
    lines = allocation.budget_lines.all()
    if exclude_line is not None:
        lines = lines.exclude(pk=exclude_line.pk)
    return allocation.amount - (lines.aggregate(total=Sum("amount"))["total"] or Decimal(0))


@transaction.atomic
def budget_line_set(*, user, project: Project, allocation: Allocation, amount: Decimal) -> BudgetLine:
    """Fund `project` with `amount` of `allocation` (replacing an earlier line of the same pair)."""
    if not rules.can_manage_allocations(user):
        _refuse(_("Only the command office or the finance bureau may assign funds to projects."))
    allocation = _locked(Allocation, allocation)
    if project.status in (Status.WITHDRAWN, Status.REIMBURSED):
        _refuse(_("The budget of a withdrawn or reimbursed project cannot change."))
    if allocation.year != project.year:
        _refuse(
            _("The allocation is for %(year)s, the project for another year.") % {"year": allocation.year},
            "allocation",
        )
    if amount is None or amount <= 0:
        _refuse(_("The amount must be more than zero."), "amount")
    line = BudgetLine.objects.filter(project=project, allocation=allocation).first()
    remaining = allocation_remaining(allocation, exclude_line=line)
    if amount > remaining:
        _refuse(
            _("The allocation %(document)s has only %(remaining)s yuan left to assign.")
            % {"document": allocation.document_number, "remaining": remaining},
            "amount",
        )
    if line is not None:
        paid = line.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if amount < paid:
            _refuse(_("%(paid)s yuan is already paid from this line.") % {"paid": paid}, "amount")
    line = line or BudgetLine(project=project, allocation=allocation)
    line.amount = amount
    return _save(line, user, "budget")


@transaction.atomic
def project_transition(
    *,
    user,
    project: Project,
    action: str,
    on: datetime.date | None = None,
    reason: str = "",
    document: str = "",
) -> Project:
    project = _locked(Project, project)
    if action not in TRANSITIONS:
        _refuse(_("Unknown action."))
    if not rules.can_transition(user, project, action):
        _refuse(_("You may not take this step on this project."))
    sources, target, date_field = TRANSITIONS[action]
    if project.status not in sources:
        _refuse(
            _("A project that is %(status)s cannot take this step.")
            % {"status": project.get_status_display()}
        )
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        _refuse(_("Give the reason."), "reason")
    if date_field and on is None:
        _refuse(_("Give the date."), "on")
    if action == "approve":
        if not document.strip():
            _refuse(_("Give the approval document."), "document")
        if not project.budget_lines.exists():
            _refuse(_("Assign the project's budget from an allocation before approval."))
        project.approval_document = document.strip()
    if action == "complete" and project.completion_percent < 100:
        _refuse(_("Report 100% completion with its evidence before completing the project."))
    if action == "withdraw" and project.payments.exists():
        _refuse(_("Money was already paid to this project; it cannot be withdrawn."))
    if action == "accept" and on and project.completed_on and on < project.completed_on:
        _refuse(_("Acceptance cannot come before completion."), "on")
    if action == "suspend":
        project.resume_status = project.status
    if action == "resume":
        target, project.resume_status = project.resume_status or Status.APPROVED, ""
    if date_field:
        setattr(project, date_field, on)
    if action in NEEDS_REASON or action == "resume":
        project.status_reason = reason
    project.status = target
    return _save(project, user, reason or action)


@transaction.atomic
def project_set_delay_reason(*, user, project: Project, reason: str) -> Project:
    project = _locked(Project, project)
    if not rules.can_work(user, project):
        _refuse(_("You may not change this project."))
    project.delay_reason = reason.strip()[:200]
    return _save(project, user, "delay reason")


@transaction.atomic
def completion_report(
    *, user, project: Project, percent: int, reported_on: datetime.date, evidence, note: str = ""
) -> CompletionReport:
    project = _locked(Project, project)
    if not rules.can_work(user, project):
        _refuse(_("You may not change this project."))
    if project.status != Status.IN_PROGRESS:
        _refuse(_("Completion is reported while the project is in progress."))
    if percent is None or not 0 < percent <= 100:
        _refuse(_("The completion share is a whole number from 1 to 100."), "percent")
    if percent < project.completion_percent:
        _refuse(
            _("The project was already reported %(percent)s%% complete.")
            % {"percent": project.completion_percent},
            "percent",
        )
    if not evidence:
        _refuse(_("Attach the evidence of the completion share."), "evidence")
    try:
        check_evidence_file(evidence)
    except DomainError as error:
        _refuse(error.message, "evidence")
    report = CompletionReport(
        project=project,
        percent=percent,
        reported_on=reported_on,
        evidence=evidence,
        note=note,
        reported_by=user,
    )
    _save(report, user, "report")
    project.completion_percent = percent
    _save(project, user, f"completion {percent}%")
    return report


def project_budget(project: Project) -> Decimal:
    return project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def project_paid(project: Project) -> Decimal:
    return project.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def payable_now(project: Project) -> Decimal:
    """What the completion share still allows to be paid."""
    allowed = (project_budget(project) * project.completion_percent / 100).quantize(Decimal("0.01"))
    return max(allowed - project_paid(project), Decimal(0))


@transaction.atomic
def payment_create(
    *, user, budget_line: BudgetLine, paid_on: datetime.date, amount: Decimal, payee: str, voucher=None
) -> Payment:
    project = _locked(Project, budget_line.project)
    if not rules.can_work(user, project):
        _refuse(_("You may not pay on this project."))
    if project.status == Status.WITHDRAWN:
        _refuse(_("The project was withdrawn; no money may be paid on it."))
    if project.status == Status.RESERVE or project.approved_on is None:
        _refuse(_("%(rule)s: the project is not approved yet, nothing may be paid.") % {"rule": IN_STEP})
    if project.status not in PAYABLE:
        _refuse(
            _("A project that is %(status)s takes no payments.") % {"status": project.get_status_display()}
        )
    if amount is None or amount <= 0:
        _refuse(_("The amount must be more than zero."), "amount")
    if paid_on is None or paid_on < project.approved_on:
        _refuse(_("%(rule)s: a payment cannot be dated before the approval.") % {"rule": IN_STEP}, "paid_on")
    if not payee.strip():
        _refuse(_("Give the payee."), "payee")
    line_paid = budget_line.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if line_paid + amount > budget_line.amount:
        _refuse(
            _("Only %(left)s yuan of this budget line is unpaid.") % {"left": budget_line.amount - line_paid},
            "amount",
        )
    allowed = payable_now(project)
    if amount > allowed:
        _refuse(
            _("%(rule)s: at %(percent)s%% completion only %(allowed)s yuan more may be paid.")
            % {"rule": IN_STEP, "percent": project.completion_percent, "allowed": allowed},
            "amount",
        )
    if voucher:
        try:
            check_evidence_file(voucher)
        except DomainError as error:
            _refuse(error.message, "voucher")
    payment = Payment(
        budget_line=budget_line,
        project=project,
        allocation_id=budget_line.allocation_id,
        paid_on=paid_on,
        amount=amount,
        payee=payee.strip(),
        voucher=voucher or "",
        created_by=user,
    )
    return _save(payment, user, "payment")


def is_household_type(project: Project) -> bool:
    entry = codes.get("fund_project_type", project.project_type)
    return bool(entry and entry.extra.get("household"))


def _check_household(project: Project, household: Household | None) -> None:
    if household is None or household.exit_status in OFF_REGISTER_EXIT_STATUSES:
        _refuse(_("The household is not on the register."), "household")
    if not project.villages.filter(pk=household.village_id).exists():
        _refuse(
            _("Household %(number)s lives in %(village)s, outside the project's villages.")
            % {"number": household.number, "village": household.village.name},
            "household",
        )


@transaction.atomic
def beneficiary_add(*, user, project: Project, household: Household | None, amount: Decimal) -> Beneficiary:
    project = _locked(Project, project)
    if not rules.can_work(user, project):
        _refuse(_("You may not change this project."))
    if not is_household_type(project):
        _refuse(_("Only household-type projects list beneficiary households."))
    if project.status == Status.WITHDRAWN:
        _refuse(_("The project was withdrawn."))
    _check_household(project, household)
    if amount is None or amount <= 0:
        _refuse(_("The amount must be more than zero."), "amount")
    twice = Beneficiary.objects.filter(
        household=household, year=project.year, project_type=project.project_type
    )
    if twice.exists():
        other = twice.select_related("project").first().project
        _refuse(
            _("Household %(number)s already receives this subsidy in %(year)s (project %(project)s).")
            % {"number": household.number, "year": project.year, "project": other.number},
            "household",
        )
    beneficiary = Beneficiary(
        project=project,
        household=household,
        year=project.year,
        project_type=project.project_type,
        amount=amount,
    )
    return _save(beneficiary, user, "beneficiary")


@transaction.atomic
def asset_create(*, user, project: Project, data: dict) -> Asset:
    project = _locked(Project, project)
    if not rules.can_work(user, project):
        _refuse(_("You may not change this project."))
    if project.status not in (Status.ACCEPTED, Status.REIMBURSED):
        _refuse(_("Assets are recorded when the project is accepted."))
    asset = Asset(project=project, **data)
    if asset.value is None or asset.value <= 0:
        _refuse(_("The amount must be more than zero."), "value")
    asset.full_clean()
    return _save(asset, user, "create")


@transaction.atomic
def distribution_add(*, user, asset: Asset, household: Household | None, year: int, amount: Decimal):
    if not rules.can_work(user, asset.project):
        _refuse(_("You may not change this project."))
    if household is None or household.exit_status in OFF_REGISTER_EXIT_STATUSES:
        _refuse(_("The household is not on the register."), "household")
    if amount is None or amount <= 0:
        _refuse(_("The amount must be more than zero."), "amount")
    if IncomeDistribution.objects.filter(asset=asset, year=year, household=household).exists():
        _refuse(_("This household already has this year's income of the asset."), "household")
    return _save(
        IncomeDistribution(asset=asset, year=year, household=household, amount=amount), user, "create"
    )


def villages_of(project: Project) -> list[Village]:
    return list(project.villages.all())
