import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from households.models import MonitoringCase

pytestmark = pytest.mark.browser


def ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def open_form(page, action):
    form = page.get_by_test_id(f"action-{action}")
    form.evaluate("details => { details.open = true; }")
    return form


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def test_clue_to_risk_open_and_the_household_is_listed_by_category(
    page, live_server, login, users, county_layout
):
    household = county_layout["households"]["v11"]

    # The village cadre registers the clue, verifies it and posts the village notice.
    login(users["village"])
    page.goto(live_server.url + household.get_absolute_url())
    page.get_by_test_id("monitoring-panel").get_by_role("link", name="登记监测线索").click()
    page.get_by_label("发现方式").select_option(label="干部排查")
    page.get_by_label("线索日期").fill(ago(12))
    page.get_by_label("反映人").fill("刘晓东")
    page.get_by_label("线索内容").fill("户主患大病住院，自付医疗费用高")
    page.get_by_role("button", name="登记线索").click()
    expect(page.get_by_text("监测线索已登记。")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("线索登记")
    expect(page.get_by_test_id("action-county_decision")).to_have_count(0)

    form = open_form(page, "start_verification")
    form.get_by_label("日期").fill(ago(11))
    form.get_by_label("备注").fill("入户核实，签订授权承诺书")
    form.get_by_role("button", name="开始入户核实").click()
    expect(page.get_by_test_id("case-state")).to_have_text("入户核实")

    form = open_form(page, "start_notice")
    form.get_by_label("公示开始").fill(ago(10))
    form.get_by_label("公示结束").fill(ago(8))
    form.get_by_role("button", name="村级评议公示").click()
    expect(form.get_by_text("村级公示须至少公示5天（本次仅3天）。")).to_be_visible()
    form.get_by_label("公示结束").fill(ago(6))
    form.get_by_role("button", name="村级评议公示").click()
    expect(page.get_by_test_id("case-state")).to_have_text("村级公示")
    expect(page.get_by_test_id("action-township_review")).to_have_count(0)  # not the village's step
    logout(page)

    # The township reviews after the notice ended.
    case = MonitoringCase.objects.get(household=household)
    login(users["township"])
    page.goto(live_server.url + case.get_absolute_url())
    form = open_form(page, "township_review")
    form.get_by_label("日期").fill(ago(5))
    form.get_by_role("button", name="乡镇初审完成").click()
    expect(page.get_by_test_id("case-state")).to_have_text("乡镇初审")
    expect(page.get_by_test_id("action-county_decision")).to_have_count(0)
    logout(page)

    # The command office decides: risk not eliminated, 脱贫不稳定户, 因病.
    login(users["command"])
    page.goto(live_server.url + case.get_absolute_url())
    form = open_form(page, "county_decision")
    form.get_by_label("日期").fill(ago(3))
    form.get_by_label("认定结果").select_option(label="风险未消除")
    form.get_by_label("监测对象类别").select_option(label="脱贫不稳定户")
    form.get_by_label("因病", exact=True).check()
    form.get_by_role("button", name="录入县级认定结果").click()
    expect(page.get_by_test_id("case-state")).to_have_text("风险未消除")
    expect(page.get_by_test_id("case-category")).to_have_text("脱贫不稳定户")
    expect(page.get_by_test_id("steps").locator("li")).to_have_count(5)

    page.get_by_role("link", name="防返贫监测").first.click()
    page.wait_for_url(live_server.url + reverse("households:monitoring_list"))
    expect(page.get_by_test_id("category-M1").get_by_test_id("count")).to_have_text("1")
    page.get_by_test_id("category-M1").click()
    row = page.get_by_test_id(f"case-{household.number}")
    expect(row).to_contain_text("脱贫不稳定户")
    expect(row).to_contain_text("风险未消除")
    expect(page.get_by_test_id("result-count")).to_have_text("1 件")
