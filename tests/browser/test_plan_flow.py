import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.models import AssistanceMeasure, IncomeRecord
from tests.factories import MemberFactory, unique_id_number

pytestmark = pytest.mark.browser


@pytest.fixture
def household(county_layout):
    household = county_layout["households"]["v11"]
    MemberFactory(household=household, name="罗建国", relation="01", sex="1")
    MemberFactory(
        household=household,
        name="罗小花",
        relation="03",
        sex="2",
        seq=2,
        id_number=unique_id_number(birth=datetime.date(2009, 5, 1), sex="2"),
        student_status="51",  # 中职一年级: 雨露计划 is for her
    )
    AssistanceMeasure.objects.create(household=household, category="A01", item="01", year=2020)
    return household


def test_village_cadre_adds_a_measure_and_income_and_sees_the_per_capita_income(
    page, live_server, login, users, household
):
    login(users["village"])
    page.goto(live_server.url + household.get_absolute_url())

    page.get_by_role("link", name="新增帮扶措施").click()
    page.get_by_label("帮扶类别").select_option(label="教育帮扶")
    # Only the category's measures are offered.
    expect(page.get_by_label("帮扶措施", exact=True).locator("option:not([hidden])")).to_have_text(
        ["---------", "教育帮扶", "雨露计划"]
    )
    page.get_by_label("帮扶措施", exact=True).select_option(label="雨露计划")
    page.get_by_label("受益成员").select_option(label="罗小花")
    page.get_by_label("年度").fill("2024")
    page.get_by_label("开始日期").fill("2024-09-01")
    page.get_by_label("结束日期").fill("2024-06-30")
    page.get_by_label("金额（元）").fill("1500")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("结束日期不能早于开始日期。")).to_be_visible()
    assert not AssistanceMeasure.objects.filter(item="13").exists()

    page.get_by_label("结束日期").fill("2025-06-30")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(live_server.url + household.get_absolute_url() + "#plan")
    expect(page.get_by_text("帮扶措施已保存。")).to_be_visible()
    expect(page.get_by_test_id("measures")).to_contain_text("雨露计划")
    expect(page.get_by_test_id("measures")).to_contain_text("罗小花")

    page.get_by_role("link", name="新增收入记录").click()
    page.get_by_label("年度").fill("2024")
    expect(page.get_by_label("计算人口数")).to_have_value("2")
    page.get_by_label("工资性收入").fill("12000")
    page.get_by_label("生产经营性收入").fill("3000.50")
    page.get_by_label("转移性收入").fill("1500")
    page.get_by_label("生产经营性支出").fill("1000")
    expect(page.locator("[data-plan-per-capita]")).to_have_text("7,750.25")  # the live preview
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(live_server.url + household.get_absolute_url() + "#plan")
    expect(page.get_by_text("收入记录已保存。")).to_be_visible()
    expect(page.get_by_test_id("per-capita")).to_contain_text("7,750.25")
    record = IncomeRecord.objects.get(household=household, year=2024)
    assert record.per_capita_income == record.net_income / 2
    assert page.url == live_server.url + reverse("households:household_detail", args=[household.pk]) + "#plan"
