"""Funds indicators in the weekly ranking; a unit with too few indicators is listed, not ranked."""

import datetime
from decimal import Decimal

import pytest

from funds import services
from inspections.models import RankingSettings, UnitKind
from inspections.ranking import as_json, compute_week, measure
from tests.factories import DepartmentFactory
from tests.funds.conftest import YEAR, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def paid(started, users, media):
    """The department: 100 000 received, 12 000 paid by 1 April; its project due 30 September."""
    services.completion_report(
        user=users["department"], project=started, percent=30, reported_on=D(YEAR, 3, 20), evidence=pdf()
    )
    services.payment_create(
        user=users["department"],
        budget_line=started.budget_lines.get(),
        paid_on=D(YEAR, 4, 1),
        amount=Decimal("12000"),
        payee="x",
    )
    return started


def test_fund_indicators_measured(paid, county_layout):
    dept = county_layout["department"]
    before = measure(UnitKind.DEPARTMENT, D(YEAR, 3, 23), D(YEAR, 3, 29))[dept]
    assert before["fund_disbursement"] == 0.0 and before["projects_on_schedule"] == 1.0
    after = measure(UnitKind.DEPARTMENT, D(YEAR, 10, 5), D(YEAR, 10, 11))[dept]
    assert after["fund_disbursement"] == 0.12 and after["projects_on_schedule"] == 0.0
    other = measure(UnitKind.DEPARTMENT, D(YEAR, 10, 5), D(YEAR, 10, 11))
    assert all("fund_disbursement" not in raw for unit, raw in other.items() if unit != dept)


def test_unit_with_fewer_than_two_indicators_listed_not_ranked(paid, county_layout):
    RankingSettings.objects.update_or_create(pk=1, defaults={"w_closing_rate": 0, "w_overdue": 0})
    idle = DepartmentFactory(name="县人民法院")
    outcome = compute_week(f"{YEAR}-W41")
    entries = {e.name: e for e in outcome.snapshot.entries.filter(kind=UnitKind.DEPARTMENT)}
    busy = entries[county_layout["department"].name]
    assert (busy.ranked, busy.rank, busy.applicable) == (True, 1, 2)
    lazy = entries[idle.name]
    assert (lazy.ranked, lazy.applicable, lazy.top, lazy.bottom, lazy.escalation) == (
        False,
        0,
        False,
        False,
        0,
    )
    data = as_json(outcome.snapshot)
    row = next(r for r in data["departments"] if r["name"] == idle.name)
    assert row["rank"] is None and row["indicators_applied"] == 0
