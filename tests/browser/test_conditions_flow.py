from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.models import LivingConditions

pytestmark = pytest.mark.browser


def test_village_cadre_records_living_conditions_fixes_a_missing_distance_and_sees_them(
    page, live_server, login, users, county_layout
):
    household = county_layout["households"]["v11"]
    household.farmland_area, household.water_safe = Decimal("3.0"), True
    household.is_dangerous_house, household.has_electricity = False, True
    household.save()
    login(users["village"])
    detail = live_server.url + reverse("households:household_detail", args=[household.pk])

    page.goto(detail)
    expect(page.get_by_test_id("conditions-missing")).to_contain_text("未采集")
    page.get_by_role("link", name="采集生产生活条件").click()

    page.get_by_label("住房面积（㎡）").fill("96.5")
    page.get_by_label("林地面积（亩）").fill("12")
    page.get_by_label("牧草地面积（亩）").fill("0")
    page.get_by_label("入户路类型").select_option(label="水泥路")
    page.get_by_label("是否有卫生厕所").select_option(label="是")
    page.get_by_label("主要燃料类型").select_option(label="清洁能源")
    page.get_by_label("是否易地扶贫搬迁户").select_option(label="否")
    expect(page.get_by_label("安置村", exact=True)).to_be_disabled()
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("请填写与村主干路距离（公里）。")).to_be_visible()
    assert not LivingConditions.objects.filter(household=household).exists()

    page.get_by_label("与村主干路距离（公里）").fill("1.2")
    page.get_by_label("变更原因").fill("入户采集")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(detail)
    expect(page.get_by_text("生产生活条件已保存。")).to_be_visible()
    values = page.get_by_test_id("conditions-values")
    for text in ("住房面积（㎡）", "96.5", "水泥路", "1.20", "清洁能源", "是否有卫生厕所"):
        expect(values).to_contain_text(text)
    assert LivingConditions.objects.get(household=household).road_distance_km == Decimal("1.2")
