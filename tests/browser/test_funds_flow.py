"""A department pays on its project, is refused ahead of completion, reports completion with
evidence, pays; the command office sees the progress move on the page and in funds_progress."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from funds import services
from tests.factories import DepartmentFactory, UserFactory, VillageFactory
from tests.funds.conftest import PDF, ensure_funds_codes

pytestmark = pytest.mark.browser


def test_payment_follows_completion(page, live_server, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_funds_codes()
    today = datetime.date.today()
    department = DepartmentFactory(name="交通局")
    cadre = UserFactory(
        username="jtj", last_name="王", first_name="强", role="department", department=department
    )
    command = UserFactory(username="zhb", last_name="张", first_name="国栋", role="command")
    allocation = services.allocation_create(
        user=command,
        data={
            "year": today.year,
            "source": "20",
            "document_number": "青财农〔2026〕9号",
            "document_date": today - datetime.timedelta(days=60),
            "amount": Decimal("100000"),
            "receiving_department": department,
        },
    )
    project = services.project_create(
        user=command,
        data={
            "number": "XM-JT-01",
            "name": "石门村通组公路硬化",
            "year": today.year,
            "project_type": "11",
            "implementing_department": department,
            "planned_completion": today + datetime.timedelta(days=60),
        },
        villages=[VillageFactory(name="石门村")],
    )
    services.budget_line_set(user=command, project=project, allocation=allocation, amount=Decimal("40000"))
    project = services.project_transition(
        user=command, project=project, action="approve", on=today - datetime.timedelta(days=30), document="x"
    )
    services.project_transition(
        user=command, project=project, action="start", on=today - datetime.timedelta(days=20)
    )
    evidence = tmp_path / "路基完工照片.pdf"
    evidence.write_bytes(PDF)
    progress_url = live_server.url + reverse("funds:progress")

    login(command)
    page.goto(progress_url)
    expect(page.get_by_test_id("county-rate")).to_have_text("0.0%")
    page.get_by_role("button", name="退出登录").click()

    login(cadre)
    page.get_by_role("link", name="项目资金").click()
    page.get_by_role("link", name="XM-JT-01").click()
    payment = page.locator("#form-payment")
    payment.get_by_label("预算来源").select_option(index=1)
    payment.get_by_label("金额（元）").fill("10000")
    payment.get_by_label("收款单位（人）").fill("青山路桥公司")
    payment.get_by_role("button", name="保存").click()
    expect(page.get_by_text("资金拨付与项目实施一致").first).to_be_visible()
    expect(page.get_by_test_id("paid-total")).to_have_text("0.00")

    completion = page.locator("#form-completion")
    completion.get_by_label("完工进度（%）").fill("50")
    completion.locator("input[type=file]").set_input_files(str(evidence))
    completion.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.get_by_test_id("completion")).to_have_text("50%")

    payment = page.locator("#form-payment")
    payment.get_by_label("预算来源").select_option(index=1)
    payment.get_by_label("金额（元）").fill("10000")
    payment.get_by_label("收款单位（人）").fill("青山路桥公司")
    payment.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("paid-total")).to_have_text("10000.00")
    expect(page.get_by_test_id("trail").get_by_text("青山路桥公司")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(command)
    page.goto(progress_url)
    expect(page.get_by_test_id("county-rate")).to_have_text("10.0%")
    expect(page.locator("#chart-funds-units")).to_be_visible()
    chart = json.loads(page.locator("#funds-progress-data").text_content())
    assert chart["labels"] == ["交通局"] and chart["rates"] == [10.0]

    out = io.StringIO()
    call_command("funds_progress", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["paid"], data["rate"]) == (10000.0, 0.1)
