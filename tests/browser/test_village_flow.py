import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.models import VillageIndicators

pytestmark = pytest.mark.browser


def test_village_cadre_fills_the_indicators_fixes_a_refusal_and_sees_the_history(
    page, live_server, login, users, county_layout
):
    village = county_layout["villages"]["v11"]
    login(users["village"])

    page.get_by_role("link", name="村级指标").click()
    expect(page.get_by_test_id("villages")).to_contain_text("青石村")
    expect(page.get_by_test_id("filled")).to_have_text("未录入")
    page.get_by_role("link", name="青石村").click()

    page.get_by_label("总户数").fill("100")
    page.get_by_label("总人口数").fill("420")
    page.get_by_label("未解决饮水户数").fill("101")
    page.get_by_label("通硬化路到乡镇").select_option(label="是")
    page.get_by_role("button", name="保存指标").click()
    expect(page.get_by_text("未解决饮水户数（101）不能大于总户数（100）。")).to_be_visible()
    assert not VillageIndicators.objects.filter(village=village).exists()

    page.get_by_label("未解决饮水户数").fill("3")
    page.get_by_label("原因").fill("年度核实")
    page.get_by_role("button", name="保存指标").click()
    page.wait_for_url(live_server.url + reverse("households:village_indicators", args=[village.pk]))
    expect(page.get_by_text("村级指标已保存。")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("年度核实")
    expect(page.get_by_test_id("history")).to_contain_text("未解决饮水户数：3")
    assert VillageIndicators.objects.get(village=village).households_without_water == 3
