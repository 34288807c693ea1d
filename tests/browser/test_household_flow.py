import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import UserFactory, VillageFactory, unique_id_number

pytestmark = pytest.mark.browser

NUMBER = "411529101200055001"


def fill_member(page, index, *, name, relation, id_number):
    page.locator(f'[name="members-{index}-name"]').fill(name)
    page.locator(f'[name="members-{index}-relation"]').select_option(label=relation)
    page.locator(f'[name="members-{index}-id_number"]').fill(id_number)


def test_township_cadre_registers_finds_and_edits_a_household(page, live_server, login):
    village = VillageFactory(name="青石村", township__name="青石镇")
    cadre = UserFactory(username="cadre", first_name="李专干", role="township", township=village.township)
    login(cadre)

    page.get_by_role("link", name="建档立卡户台账").first.click()
    page.get_by_role("link", name="新增户").click()
    page.get_by_label("户编号").fill(NUMBER)
    page.get_by_label("行政村").select_option(label="青石镇 · 青石村")
    page.get_by_label("贫困户属性").select_option(label="低保贫困户")
    page.get_by_label("识别时间").fill("2016-03")
    page.get_by_label("主要致贫原因").select_option(label="因病")
    fill_member(
        page, 0, name="罗建国", relation="户主", id_number=unique_id_number(datetime.date(1968, 2, 3))
    )
    page.get_by_role("button", name="添加成员").click()
    spouse = unique_id_number(datetime.date(1970, 7, 8), sex="2")
    fill_member(page, 1, name="王秀英", relation="配偶", id_number=spouse)
    page.get_by_role("button", name="添加成员").click()
    son = unique_id_number(datetime.date(2006, 9, 1))
    fill_member(page, 2, name="罗小明", relation="之子", id_number=son)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text(f"已保存户 {NUMBER}")).to_be_visible()
    expect(page.get_by_role("cell", name="王秀英", exact=True)).to_be_visible()

    page.goto(live_server.url + reverse("households:household_list"))
    page.get_by_label("搜索").fill("罗小明")
    page.get_by_label("贫困户属性").select_option(label="低保贫困户")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 户")
    page.get_by_role("link", name=NUMBER).click()

    page.get_by_role("link", name="修改户和成员信息").click()
    page.locator('[name="members-2-education"]').select_option(label="初中")
    page.get_by_label("变更原因").fill("入户核实文化程度")
    page.get_by_role("button", name="保存").click()

    history = page.get_by_test_id("history")
    first = history.locator("tbody tr").first
    expect(first).to_contain_text("李专干")
    expect(first).to_contain_text("成员 罗小明")
    expect(first).to_contain_text("文化程度")
    expect(first).to_contain_text("— → 初中")
    expect(first).to_contain_text("入户核实文化程度")
