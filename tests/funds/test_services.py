import datetime
from decimal import Decimal

import pytest

from funds import services
from funds.models import Asset, Beneficiary, BudgetLine, CompletionReport, Payment, Project, Status
from povertycase.errors import DomainError
from tests.factories import HouseholdFactory
from tests.funds.conftest import YEAR, line_of, make_project, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def pay(user, project, amount, on=None):
    return services.payment_create(
        user=user,
        budget_line=line_of(project),
        paid_on=on or D(YEAR, 4, 1),
        amount=Decimal(amount),
        payee="青山路桥公司",
    )


def report(user, project, percent, media):
    return services.completion_report(
        user=user, project=project, percent=percent, reported_on=D(YEAR, 4, 1), evidence=pdf()
    )


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    return info.value


class TestBudget:
    def test_line_never_more_than_allocation_holds(self, project, allocation, users, county_layout):
        other = make_project(users["command"], department=county_layout["department"], number="P-002")
        error = refused(
            services.budget_line_set,
            user=users["command"],
            project=other,
            allocation=allocation,
            amount=Decimal("60001"),
        )
        assert "60000" in error.message
        assert not BudgetLine.objects.filter(project=other).exists()
        services.budget_line_set(
            user=users["command"], project=other, allocation=allocation, amount=Decimal("60000")
        )

    def test_department_cannot_assign_budget(self, project, allocation, users):
        refused(
            services.budget_line_set,
            user=users["department"],
            project=project,
            allocation=allocation,
            amount=1,
        )
        assert line_of(project).amount == Decimal("40000")

    def test_approval_needs_budget_and_document(self, users, county_layout):
        p = make_project(users["command"], department=county_layout["department"])
        refused(
            services.project_transition, user=users["command"], project=p, action="approve", on=D(YEAR, 3, 1)
        )
        p.refresh_from_db()
        assert p.status == Status.RESERVE and p.approved_on is None


class TestPayments:
    def test_before_approval_refused_in_step(self, users, county_layout, allocation, media):
        p = make_project(users["command"], department=county_layout["department"])
        services.budget_line_set(
            user=users["command"], project=p, allocation=allocation, amount=Decimal("1000")
        )
        error = refused(pay, users["command"], p, "10")
        assert "资金拨付与项目实施一致" in error.message
        assert not Payment.objects.exists()

    def test_beyond_completion_share_refused(self, started, users, media):
        dept = users["department"]
        error = refused(pay, dept, started, "1")  # 0% complete
        assert "资金拨付与项目实施一致" in error.message
        report(dept, started, 30, media)
        pay(dept, started, "12000")  # 30% of 40 000
        error = refused(pay, dept, started, "0.01")
        assert error.field == "amount"
        assert Payment.objects.count() == 1

    def test_dated_before_approval_refused(self, started, users, media):
        report(users["department"], started, 50, media)
        refused(pay, users["department"], started, "100", on=D(YEAR, 2, 1))
        assert not Payment.objects.exists()

    def test_none_on_withdrawn_project(self, project, users):
        services.project_transition(
            user=users["command"], project=project, action="withdraw", reason="选址变更"
        )
        error = refused(pay, users["command"], project, "1")
        assert not Payment.objects.exists()
        assert error.message

    def test_withdraw_refused_once_paid(self, started, users, media):
        report(users["department"], started, 50, media)
        pay(users["department"], started, "100")
        refused(
            services.project_transition, user=users["command"], project=started, action="withdraw", reason="x"
        )
        started.refresh_from_db()
        assert started.status == Status.IN_PROGRESS

    def test_other_unit_cannot_pay(self, started, users, media):
        report(users["department"], started, 50, media)
        refused(pay, users["township"], started, "100")
        assert not Payment.objects.exists()


class TestTransitions:
    def test_full_path_with_dates(self, started, users, finance, media):
        report(users["department"], started, 100, media)
        p = services.project_transition(
            user=users["department"], project=started, action="complete", on=D(YEAR, 8, 1)
        )
        p = services.project_transition(user=finance, project=p, action="accept", on=D(YEAR, 8, 20))
        p = services.project_transition(user=finance, project=p, action="reimburse", on=D(YEAR, 12, 1))
        assert (p.status, p.completed_on, p.accepted_on, p.reimbursed_on) == (
            Status.REIMBURSED,
            D(YEAR, 8, 1),
            D(YEAR, 8, 20),
            D(YEAR, 12, 1),
        )
        assert p.history.count() >= 6

    def test_suspend_needs_reason_and_resume_returns(self, started, users):
        refused(services.project_transition, user=users["department"], project=started, action="suspend")
        started.refresh_from_db()
        assert started.status == Status.IN_PROGRESS
        p = services.project_transition(
            user=users["department"], project=started, action="suspend", reason="雨季停工"
        )
        assert p.status == Status.SUSPENDED and p.status_reason == "雨季停工"
        p = services.project_transition(user=users["department"], project=p, action="resume")
        assert p.status == Status.IN_PROGRESS

    def test_wrong_order_refused(self, project, users):
        refused(
            services.project_transition,
            user=users["command"],
            project=project,
            action="accept",
            on=D(YEAR, 5, 1),
        )
        project.refresh_from_db()
        assert project.status == Status.APPROVED and project.accepted_on is None

    def test_complete_needs_full_share(self, started, users, media):
        report(users["department"], started, 90, media)
        refused(
            services.project_transition,
            user=users["department"],
            project=started,
            action="complete",
            on=D(YEAR, 8, 1),
        )
        started.refresh_from_db()
        assert started.status == Status.IN_PROGRESS

    def test_department_cannot_approve(self, users, county_layout, allocation):
        p = make_project(users["department"], department=county_layout["department"])
        refused(
            services.project_transition,
            user=users["department"],
            project=p,
            action="approve",
            on=D(YEAR, 3, 1),
        )

    def test_township_cannot_add_other_units_project(self, users, county_layout):
        refused(make_project, users["township"], department=county_layout["department"])
        assert not Project.objects.exists()


class TestCompletion:
    def test_evidence_required(self, started, users, media):
        error = refused(
            services.completion_report,
            user=users["department"],
            project=started,
            percent=40,
            reported_on=D(YEAR, 4, 1),
            evidence=None,
        )
        assert error.field == "evidence"
        started.refresh_from_db()
        assert started.completion_percent == 0 and not CompletionReport.objects.exists()

    def test_share_never_goes_back(self, started, users, media):
        report(users["department"], started, 60, media)
        refused(report, users["department"], started, 50, media)
        assert CompletionReport.objects.count() == 1

    def test_reserve_project_reports_nothing(self, users, county_layout, media):
        p = make_project(users["command"], department=county_layout["department"])
        refused(report, users["command"], p, 10, media)


@pytest.fixture
def household_project(users, county_layout, allocation):
    command = users["command"]
    v11, v12 = county_layout["villages"]["v11"], county_layout["villages"]["v12"]
    p = make_project(
        command, township=county_layout["townships"][0], villages=[v11, v12], project_type="31", number="H-1"
    )
    services.budget_line_set(user=command, project=p, allocation=allocation, amount=Decimal("5000"))
    return services.project_transition(
        user=command, project=p, action="approve", on=D(YEAR, 3, 1), document="x"
    )


class TestBeneficiaries:
    def test_household_in_villages(self, household_project, users, county_layout):
        b = services.beneficiary_add(
            user=users["township"],
            project=household_project,
            household=county_layout["households"]["v11"],
            amount=Decimal("2000"),
        )
        assert b.year == YEAR and b.project_type == "31"

    def test_outside_villages_refused(self, household_project, users, county_layout):
        error = refused(
            services.beneficiary_add,
            user=users["township"],
            project=household_project,
            household=county_layout["households"]["v21"],
            amount=Decimal("1"),
        )
        assert error.field == "household"
        assert not Beneficiary.objects.exists()

    def test_not_on_register_refused(self, household_project, users, county_layout):
        gone = HouseholdFactory(village=county_layout["villages"]["v11"], exit_status="9")
        refused(
            services.beneficiary_add,
            user=users["township"],
            project=household_project,
            household=gone,
            amount=1,
        )
        refused(
            services.beneficiary_add,
            user=users["township"],
            project=household_project,
            household=None,
            amount=1,
        )
        assert not Beneficiary.objects.exists()

    def test_twice_in_one_subsidy_a_year_refused(self, household_project, users, county_layout, allocation):
        command = users["command"]
        household = county_layout["households"]["v12"]
        services.beneficiary_add(
            user=command, project=household_project, household=household, amount=Decimal("100")
        )
        second = make_project(
            command,
            township=county_layout["townships"][0],
            villages=[county_layout["villages"]["v12"]],
            project_type="31",
            number="H-2",
        )
        error = refused(
            services.beneficiary_add, user=command, project=second, household=household, amount=Decimal("100")
        )
        assert "H-1" in error.message
        assert Beneficiary.objects.count() == 1

    def test_not_household_type_refused(self, project, users, county_layout):
        refused(
            services.beneficiary_add,
            user=users["command"],
            project=project,
            household=county_layout["households"]["v11"],
            amount=1,
        )


class TestAssets:
    def test_only_after_acceptance(self, started, users, finance, media, county_layout):
        data = {
            "name": "村道",
            "kind": "public",
            "owner": "青石村",
            "manager": "青石村委",
            "value": Decimal("40000"),
            "formed_on": D(YEAR, 9, 1),
        }
        refused(services.asset_create, user=users["department"], project=started, data=data)
        assert not Asset.objects.exists()
        report(users["department"], started, 100, media)
        p = services.project_transition(
            user=users["department"], project=started, action="complete", on=D(YEAR, 8, 1)
        )
        p = services.project_transition(user=finance, project=p, action="accept", on=D(YEAR, 8, 20))
        asset = services.asset_create(user=users["department"], project=p, data=data)
        services.distribution_add(
            user=users["department"],
            asset=asset,
            household=county_layout["households"]["v11"],
            year=YEAR,
            amount=Decimal("300"),
        )
        refused(
            services.distribution_add,
            user=users["department"],
            asset=asset,
            household=county_layout["households"]["v11"],
            year=YEAR,
            amount=Decimal("300"),
        )
        assert asset.distributions.count() == 1
