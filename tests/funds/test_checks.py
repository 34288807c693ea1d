"""FD- rules: each trips on its case, on the anchor household, and stays quiet otherwise."""

import datetime
from decimal import Decimal

import pytest

from funds import services
from funds.models import Beneficiary, Project, Status
from households.checks.base import Context
from households.checks.registry import get_rule
from households.checks.service import error_keys
from households.models import Household
from tests.funds.conftest import YEAR, make_project, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def hits(rule_id, today=None):
    ctx = Context(households=Household.objects.all(), today=today or D(YEAR, 12, 1))
    return list(get_rule(rule_id).func(ctx))


def test_fd001_payment_ahead_of_completion(started, users, county_layout, media):
    services.completion_report(
        user=users["department"], project=started, percent=50, reported_on=D(YEAR, 4, 1), evidence=pdf()
    )
    services.payment_create(
        user=users["department"],
        budget_line=started.budget_lines.get(),
        paid_on=D(YEAR, 4, 2),
        amount=Decimal("20000"),
        payee="x",
    )
    assert hits("FD-001") == []
    Project.objects.filter(pk=started.pk).update(
        completion_percent=30
    )  # a share lowered behind the service's back
    (hit,) = hits("FD-001")
    assert hit.household_id == county_layout["households"]["v11"].pk and started.number in hit.message


def test_fd002_accepted_without_asset(started, users, finance, media):
    services.completion_report(
        user=users["department"], project=started, percent=100, reported_on=D(YEAR, 4, 1), evidence=pdf()
    )
    p = services.project_transition(
        user=users["department"], project=started, action="complete", on=D(YEAR, 5, 1)
    )
    p = services.project_transition(user=finance, project=p, action="accept", on=D(YEAR, 5, 2))
    assert len(hits("FD-002")) == 1
    services.asset_create(
        user=finance,
        project=p,
        data={
            "name": "路",
            "kind": "public",
            "owner": "村",
            "manager": "村",
            "value": Decimal(1),
            "formed_on": D(YEAR, 5, 2),
        },
    )
    assert hits("FD-002") == []


def test_fd003_subsidy_outside_or_off_register(users, county_layout, allocation):
    command = users["command"]
    v11 = county_layout["villages"]["v11"]
    p = make_project(
        command, township=county_layout["townships"][0], villages=[v11], project_type="31", number="H-1"
    )
    household = county_layout["households"]["v11"]
    services.beneficiary_add(user=command, project=p, household=household, amount=Decimal("100"))
    assert hits("FD-003") == []
    Household.objects.filter(pk=household.pk).update(exit_status="9")
    assert [h.household_id for h in hits("FD-003")] == [household.pk]
    Household.objects.filter(pk=household.pk).update(
        exit_status="0", village=county_layout["villages"]["v21"]
    )
    assert "outside" in hits("FD-003")[0].message or "村" in hits("FD-003")[0].message
    assert Beneficiary.objects.count() == 1


def test_fd004_behind_without_reason(started, users):
    assert hits("FD-004", today=D(YEAR, 9, 30)) == []
    assert len(hits("FD-004", today=D(YEAR, 10, 1))) == 1
    services.project_set_delay_reason(user=users["department"], project=started, reason="汛期停工")
    assert hits("FD-004", today=D(YEAR, 10, 1)) == []


def test_fund_rules_never_refuse_a_household_save(started, county_layout):
    Project.objects.filter(pk=started.pk).update(status=Status.ACCEPTED)  # FD-002 on the anchor
    keys = error_keys(county_layout["households"]["v11"], every_rule=True)
    assert not [k for k in keys if k[0].startswith("FD-")]
