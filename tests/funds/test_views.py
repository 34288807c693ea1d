import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funds import services
from funds.models import Payment
from povertycase.core.models import ExportLog
from tests.funds.conftest import YEAR, make_project, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def many(county_layout, users, allocation):
    """Twelve approved projects with a payment each, spread over both townships."""
    command = users["command"]
    v = county_layout["villages"]
    out = []
    for n in range(12):
        village = v["v11" if n % 2 else "v21"]
        p = make_project(
            command, department=county_layout["department"], villages=[village], number=f"M-{n:02d}"
        )
        services.budget_line_set(user=command, project=p, allocation=allocation, amount=Decimal("1000"))
        p = services.project_transition(
            user=command, project=p, action="approve", on=D(YEAR, 3, 1), document="x"
        )
        p = services.project_transition(user=command, project=p, action="start", on=D(YEAR, 3, 2))
        services.completion_report(
            user=command, project=p, percent=50, reported_on=D(YEAR, 3, 3), evidence=pdf()
        )
        services.payment_create(
            user=command,
            budget_line=p.budget_lines.get(),
            paid_on=D(YEAR, 3, 4),
            amount=Decimal("100"),
            payee="x",
        )
        out.append(p)
    return out


def _queries(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx)


def test_list_constant_queries(client, users, many, media, county_layout, django_assert_max_num_queries):
    client.force_login(users["command"])
    url = reverse("funds:project_list")
    before = _queries(client, url)
    for n in range(5):
        make_project(users["command"], department=county_layout["department"], number=f"X-{n}")
    assert _queries(client, url) == before
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.content.decode().count("M-") >= 12


def test_list_filters(client, users, many, media, county_layout):
    client.force_login(users["command"])
    t2 = county_layout["townships"][1]
    response = client.get(reverse("funds:project_list"), {"township": t2.pk})
    assert response.context["paginator"].count == 6


def test_progress_page_constant_queries(client, users, many, media, django_assert_max_num_queries):
    client.force_login(users["command"])
    url, params = reverse("funds:progress"), {"year": YEAR, "as_of": f"{YEAR}-12-31"}
    before = _queries(client, url, params)
    services.payment_create(
        user=users["command"],
        budget_line=many[0].budget_lines.get(),
        paid_on=D(YEAR, 5, 1),
        amount=Decimal("1"),
        payee="y",
    )
    assert _queries(client, url, params) == before
    with django_assert_max_num_queries(20):
        response = client.get(url, params)
    html = response.content.decode()
    assert 'id="funds-progress-data"' in html and "js/funds_progress.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline script
    assert response.context["progress"].total.paid == Decimal("1201")


def test_detail_scope_404(client, users, many, media):
    project = many[0]  # in v21, township 2
    for role, status in [
        ("command", 200),
        ("department", 200),
        ("township", 404),
        ("village", 404),
        ("helper", 404),
    ]:
        client.force_login(users[role])
        assert client.get(project.get_absolute_url()).status_code == status, role


def test_detail_shows_history(client, users, many, media):
    client.force_login(users["department"])
    response = client.get(many[1].get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["trail"]) >= 4


def test_payment_refused_through_page_saves_nothing(client, users, many, media):
    client.force_login(users["department"])
    project = many[0]
    response = client.post(
        reverse("funds:project_action", args=[project.pk, "payment"]),
        {
            "budget_line": project.budget_lines.get().pk,
            "paid_on": f"{YEAR}-04-01",
            "amount": "900",
            "payee": "x",
        },
        follow=True,
    )
    assert "资金拨付与项目实施一致" in response.content.decode()
    assert Payment.objects.filter(project=project).count() == 1


def test_ledger_export(client, users, many, media):
    client.force_login(users["command"])
    response = client.get(reverse("funds:ledger_export"), {"year": YEAR})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["项目资金台账", "按资金来源汇总", "按单位汇总"]
    assert book["项目资金台账"].max_row == 3 + 12
    assert ExportLog.objects.get().kind == "funds_ledger"


def test_board_has_no_id_numbers(client, users, county_layout, allocation, media):
    command = users["command"]
    v11 = county_layout["villages"]["v11"]
    p = make_project(
        command, township=county_layout["townships"][0], villages=[v11], project_type="33", number="W-1"
    )
    household = county_layout["households"]["v11"]
    services.beneficiary_add(user=command, project=p, household=household, amount=Decimal("15000"))
    client.force_login(users["village"])
    response = client.get(reverse("funds:board", args=[v11.pk]), {"year": YEAR})
    html = response.content.decode()
    assert "15,000.00" in html or "15000.00" in html
    for member in household.members.all():
        if member.id_number:
            assert member.id_number not in html
    response = client.get(reverse("funds:board_export", args=[v11.pk]), {"year": YEAR})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 3 + 1
    client.force_login(users["township"])
    assert client.get(reverse("funds:board", args=[county_layout["villages"]["v21"].pk])).status_code == 404
