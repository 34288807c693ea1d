import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import ExitProcedure, Household
from tests.households.exit_helpers import eligible_household

pytestmark = pytest.mark.browser


def day(offset: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=offset)).isoformat()


def record(page, number, fields: dict):
    """Fill the next step's form (labels as shown; * marks a required field) and submit."""
    form = page.get_by_test_id("step-form")
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name=f"记录第{number}步").click()


def switch_to(page, login, user):
    page.get_by_role("button", name="退出登录").click()
    login(user)


def test_cadres_walk_a_household_through_the_exit_steps(page, live_server, login, users, county_layout):
    household = eligible_household(county_layout["villages"]["v11"], head_name="罗建国")
    login(users["village"])
    page.goto(live_server.url + household.get_absolute_url())
    page.get_by_test_id("exit-panel").get_by_role("button", name="发起").click()
    expect(page.get_by_text("已发起退出程序。")).to_be_visible()
    procedure_url = page.url

    record(page, 1, {"日期*": day(20), "备注": "入户核实收入"})
    expect(page.get_by_text("第1步已记录。")).to_be_visible()
    record(page, 2, {"日期*": day(19), "参会人数": "25"})
    record(page, 3, {"日期*": day(18), "检查组*": "邻村检查组"})
    expect(page.get_by_test_id("step-4")).to_contain_text("此步骤由其他角色记录")

    switch_to(page, login, users["township"])
    page.goto(procedure_url)
    record(page, 4, {"日期*": day(17), "审核人*": "王审核"})
    switch_to(page, login, users["village"])
    page.goto(procedure_url)
    record(page, 5, {"日期*": day(16), "公示截止日期": day(10), "公示地点*": "村委会公示栏"})

    switch_to(page, login, users["command"])
    page.goto(procedure_url)
    record(page, 6, {"日期*": day(9), "批准文号": "县指发〔2026〕8号"})
    record(page, 7, {"日期*": day(8), "档案编号": "TP-001"})

    Household.objects.filter(pk=household.pk).update(water_safe=False)  # a problem found late
    record(page, 8, {"日期*": day(7)})
    form = page.get_by_test_id("step-form")
    expect(form).to_contain_text("不符合退出标准")
    expect(form).to_contain_text("饮水不安全")
    expect(page.get_by_test_id("standards")).to_contain_text("饮水不安全")

    Household.objects.filter(pk=household.pk).update(water_safe=True)  # the water project reached the house
    page.goto(procedure_url)
    record(page, 8, {"日期*": day(7)})
    expect(page.get_by_test_id("procedure-state")).to_contain_text("已完成")
    household.refresh_from_db()
    assert household.exit_status == "1"
    assert ExitProcedure.objects.get(household=household).steps.count() == 8
