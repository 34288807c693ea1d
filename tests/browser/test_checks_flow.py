"""A township cadre opens the violations page, fixes a household, and the next scan resolves it."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.checks import run_all_checks
from households.models import AssistanceMeasure, Violation
from tests.factories import HouseholdFactory, IncomeRecordFactory, MemberFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.browser


def _exited_household_without_safe_water(village, number):
    household = HouseholdFactory(
        village=village,
        number=number,
        exit_status="1",
        household_type="2",
        exit_month=datetime.date(2019, 12, 1),
        water_safe=False,
        has_electricity=True,
    )
    MemberFactory(household=household, name="罗建国")
    AssistanceMeasure.objects.create(household=household, category="A01", item="01", year=2016)
    IncomeRecordFactory(household=household, year=2020)
    return household


def test_township_cadre_fixes_a_household_and_the_next_scan_resolves_it(page, live_server, login):
    village = VillageFactory(name="青石村", township__name="青石镇")
    other = VillageFactory(name="白云村", township__name="白云乡")
    household = _exited_household_without_safe_water(village, "4115291012010077")
    elsewhere = _exited_household_without_safe_water(other, "4115291012020088")
    run_all_checks()
    assert Violation.objects.filter(rule_id="EX-004", resolved_at__isnull=True).count() == 2

    cadre = UserFactory(username="cadre", first_name="李专干", role="township", township=village.township)
    login(cadre)
    page.get_by_role("link", name="逻辑校验").first.click()
    expect(page.get_by_role("heading", name="逻辑校验")).to_be_visible()
    expect(page.get_by_text(elsewhere.number)).to_have_count(0)
    expect(page.get_by_test_id("village-counts")).to_contain_text("青石镇 · 青石村")

    page.get_by_label("规则").select_option(value="EX-004")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条问题")
    expect(page.locator("tbody").get_by_text("已脱贫户饮水不安全")).to_be_visible()
    page.get_by_role("link", name=household.number).click()
    expect(page.get_by_test_id("household-violations")).to_contain_text("EX-004")

    page.get_by_role("link", name="修改户和成员信息").click()
    page.get_by_label("是否解决安全饮水").select_option(label="是")
    page.get_by_label("变更原因").fill("入户核实：已通自来水")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存户 {household.number}")).to_be_visible()

    run_all_checks()  # the nightly scan
    violation = Violation.objects.get(household=household, rule_id="EX-004")
    assert violation.resolved_at is not None

    page.goto(live_server.url + reverse("households:violation_list") + "?rule=EX-004")
    expect(page.get_by_test_id("result-count")).to_have_text("共 0 条问题")
    page.get_by_label("状态").select_option(value="resolved")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 条问题")
    expect(page.locator("tbody").get_by_text("已解决")).to_be_visible()
