"""Progress arithmetic worked by hand on a small case."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from funds import services
from funds.progress import compute, deadlines, spending_target
from povertycase.core.models import Parameter
from tests.funds.conftest import YEAR, line_of, make_project, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def small_case(county_layout, users, allocation, media):
    """Allocation 1: 100 000 (source 11) to the department; allocation 2: 50 000 (source 20) to township 1.

    The department's project: 40 000 from allocation 1, 30% done, 12 000 paid on 1 April.
    Township 1's project in v12: 20 000 from allocation 2, 50% done, 10 000 paid on 1 June.
    """
    command = users["command"]
    t1 = county_layout["townships"][0]
    second = services.allocation_create(
        user=command,
        data={
            "year": YEAR,
            "source": "20",
            "document_number": "青财农〔2026〕2号",
            "document_date": D(YEAR, 2, 5),
            "amount": Decimal("50000"),
            "receiving_township": t1,
        },
    )
    plans = [
        (county_layout["department"], None, "v11", allocation, "40000", 30, "12000", D(YEAR, 4, 1), "D-1"),
        (None, t1, "v12", second, "20000", 50, "10000", D(YEAR, 6, 1), "T-1"),
    ]
    for department, township, village, alloc, budget, percent, paid, on, number in plans:
        p = make_project(
            command,
            department=department,
            township=township,
            villages=[county_layout["villages"][village]],
            number=number,
        )
        services.budget_line_set(user=command, project=p, allocation=alloc, amount=Decimal(budget))
        p = services.project_transition(
            user=command, project=p, action="approve", on=D(YEAR, 3, 1), document="x"
        )
        p = services.project_transition(user=command, project=p, action="start", on=D(YEAR, 3, 2))
        services.completion_report(
            user=command, project=p, percent=percent, reported_on=D(YEAR, 3, 20), evidence=pdf()
        )
        services.payment_create(
            user=command, budget_line=line_of(p), paid_on=on, amount=Decimal(paid), payee="x"
        )
    return county_layout


def test_year_end(small_case):
    progress = compute(year=YEAR, as_of=D(YEAR, 12, 31))
    assert (progress.total.allocated, progress.total.paid) == (Decimal("150000"), Decimal("22000"))
    assert progress.total.rate == round(22000 / 150000, 4)
    by_source = {r.key: (r.allocated, r.paid, r.rate) for r in progress.by_source}
    assert by_source == {"11": (100000, 12000, 0.12), "20": (50000, 10000, 0.2)}
    by_unit = {r.kind: (r.allocated, r.paid, r.rate, r.projects, r.behind_schedule) for r in progress.by_unit}
    assert by_unit == {"township": (50000, 10000, 0.2, 1, 1), "department": (100000, 12000, 0.12, 1, 1)}
    (t1,) = progress.by_township
    assert (t1.label, t1.allocated, t1.paid, t1.projects) == ("青石镇", 60000, 22000, 2)


def test_as_of_counts_earlier_payments_only(small_case):
    progress = compute(year=YEAR, as_of=D(YEAR, 5, 31))
    assert progress.total.paid == Decimal("12000")
    assert all(r.behind_schedule == 0 for r in progress.by_unit)


def test_target_empty_until_set_and_deadlines(small_case):
    assert spending_target(YEAR) is None
    Parameter.objects.create(name="funds_spending_target", year=YEAR, value=90, unit="%")
    assert spending_target(YEAR) == 90
    assert deadlines(YEAR) == {"bank_clearing": D(YEAR, 12, 22), "reimbursement": D(YEAR, 12, 25)}


def test_command_json_shape(small_case):
    out = StringIO()
    call_command("funds_progress", "--year", str(YEAR), "--as-of", f"{YEAR}-12-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"year", "allocated", "paid", "rate", "by_source", "by_unit"}
    assert (data["year"], data["allocated"], data["paid"]) == (YEAR, 150000.0, 22000.0)
    assert data["by_source"][0] == {
        "source": "中央财政专项扶贫资金",
        "allocated": 100000.0,
        "paid": 12000.0,
        "rate": 0.12,
    }
    assert data["by_unit"][0] == {
        "unit": "青石镇",
        "kind": "township",
        "allocated": 50000.0,
        "paid": 10000.0,
        "rate": 0.2,
        "projects": 1,
        "behind_schedule": 1,
    }


def test_command_text(small_case):
    out = StringIO()
    call_command("funds_progress", "--year", str(YEAR), "--as-of", f"{YEAR}-12-31", stdout=out)
    assert "进度 14.7%" in out.getvalue()
