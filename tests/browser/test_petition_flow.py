"""A township registers a petition on a household and hands it to a department; the department
replies; the township revisits, the complainant is dissatisfied and it comes back; the command
office opens a ledger item from it."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from petitions.models import Petition
from rectification.models import Category
from tests.factories import DepartmentFactory, HouseholdFactory, TownshipFactory, UserFactory, VillageFactory
from tests.petitions.conftest import petition_defaults  # noqa: F401  (autouse: reloads code lists)

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PETITION_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_petition_round_trip(page, live_server, login):
    township = TownshipFactory(name="青石镇")
    household = HouseholdFactory(village=VillageFactory(township=township, name="青石村"))
    department = DepartmentFactory(code="ZJ", name="住建局")
    cadre = UserFactory(
        username="cadre", last_name="李", first_name="文斌", role="township", township=township
    )
    clerk = UserFactory(
        username="clerk", last_name="王", first_name="芳", role="department", department=department
    )
    command = UserFactory(username="office", last_name="周", first_name="强", role="command")

    login(cadre)
    page.goto(live_server.url + household.get_absolute_url())
    panel = page.get_by_test_id("petitions-panel")
    shot(page, "household")
    panel.get_by_role("link", name="登记信访件").click()
    page.get_by_label("渠道").select_option("03")
    page.get_by_label("信访人", exact=True).fill("罗大明")
    page.get_by_label("信访人电话").fill("13812345678")
    page.get_by_label("问题类别").select_option(str(Category.objects.get(code="0701").pk))
    page.get_by_label("信访内容").fill("房屋漏雨，申请危房改造未获答复。")
    shot(page, "form")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_test_id("households")).to_contain_text(household.number)
    petition = Petition.objects.get()
    url = live_server.url + reverse("petitions:detail", args=[petition.pk])
    transfer = page.locator("#form-transfer")
    transfer.get_by_label("转办至").select_option(f"d:{department.pk}")
    transfer.get_by_role("button", name="转办").click()
    expect(page.get_by_test_id("handling-unit")).to_contain_text("住建局")
    page.get_by_role("button", name="退出登录").click()

    login(clerk)
    page.get_by_role("link", name="信访", exact=True).first.click()
    shot(page, "list")
    page.get_by_role("link", name=petition.number).click()
    expect(page.get_by_test_id("complainant")).to_contain_text("罗大明")
    reply = page.locator("#form-reply")
    reply.get_by_label("答复内容").fill("已纳入今年危房改造计划，九月底前完工。")
    reply.get_by_role("button", name="保存答复").click()
    expect(page.locator("h1").get_by_text("已答复")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(cadre)
    page.goto(url)
    revisit = page.locator("#form-revisit")
    revisit.get_by_label("不满意", exact=True).check()
    revisit.get_by_label("回访结果").fill("群众反映至今未动工。")
    revisit.get_by_role("button", name="保存回访").click()
    expect(page.locator("h1").get_by_text("办理中")).to_be_visible()
    expect(page.get_by_test_id("handling-unit")).to_contain_text("住建局")
    page.get_by_role("button", name="退出登录").click()

    login(command)
    page.goto(url)
    shot(page, "detail")
    page.get_by_test_id("to-ledger").click()
    expect(page.locator("h1")).to_contain_text(f"ZG-{petition.number}")
    expect(page.get_by_test_id("item-petitions")).to_contain_text(petition.number)
    shot(page, "item")
    page.goto(url)
    expect(page.get_by_test_id("ledger-link")).to_contain_text(f"ZG-{petition.number}")
