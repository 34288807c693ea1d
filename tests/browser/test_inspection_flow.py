"""An inspector records a finding, turns it into a ledger item; the township finds it in its list."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections import services
from tests.factories import HouseholdFactory, TownshipFactory, UserFactory, VillageFactory
from tests.rectification.conftest import ensure_ledger_defaults

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("INSPECTION_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_finding_to_ledger_item(page, live_server, login):
    ensure_ledger_defaults()
    township = TownshipFactory(name="青石镇")
    village = VillageFactory(township=township, name="石门村", is_remote=True)
    HouseholdFactory.create_batch(5, village=village)
    cadre = UserFactory(
        username="cadre", last_name="李", first_name="文斌", role="township", township=township
    )
    inspector = UserFactory(username="inspector", last_name="赵", first_name="立军", role="inspector")
    services.inspection_create(
        user=inspector,
        title="十一月饮水安全暗访",
        kind="unannounced",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 11, 6),
        townships=[township],
        villages=[village],
    )

    login(inspector)
    page.get_by_role("link", name="督查检查").click()
    page.get_by_role("link", name="十一月饮水安全暗访").click()
    form = page.locator("#finding-form")
    form.locator("[name=level]").select_option("village")
    form.locator("[name=text]").fill("个别农户反映间歇供水。")
    form.get_by_role("button", name="记录问题").click()
    expect(page.get_by_text("问题写了“个别”却没有点名")).to_be_visible()
    _shot(page, "finding-refused")

    form = page.locator("#finding-form")
    form.locator("[name=village]").select_option(label=str(village))
    form.get_by_label("责任人").fill("王立新")
    form.locator("[name=text]").fill("石门村3组5户间歇供水，村里未建立供水台账。")
    form.get_by_role("button", name="记录问题").click()
    expect(page.get_by_text("问题已记录。")).to_be_visible()

    item_form = page.locator("#item-form")
    item_form.locator("[name=category]").select_option(label="0802 间歇供水")
    item_form.locator("[name=deadline]").fill("2026-12-31")
    _shot(page, "finding-detail")
    item_form.get_by_role("button", name="生成整改事项").click()
    expect(page.get_by_text("已生成整改事项。")).to_be_visible()
    number = page.get_by_test_id("finding-item").get_by_role("link").inner_text()
    assert number.startswith("DC-2026-")
    page.get_by_test_id("finding-item").get_by_role("link").click()
    expect(page.get_by_text("石门村3组5户间歇供水").first).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(cadre)
    page.get_by_role("link", name="我的事项").click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    page.goto(live_server.url + reverse("inspections:finding_list"))
    expect(page.get_by_role("link", name=number)).to_be_visible()
    _shot(page, "township-findings")


def test_sample_drawn_and_results_recorded(page, live_server, login):
    ensure_ledger_defaults()
    township = TownshipFactory(name="白云乡")
    near, far = (
        VillageFactory(township=township, name="白云村"),
        VillageFactory(township=township, name="云岭村", is_remote=True),
    )
    HouseholdFactory.create_batch(10, village=near)
    HouseholdFactory.create_batch(10, village=far, exit_status="1", member_count=4)
    inspector = UserFactory(username="inspector", role="inspector")
    services.inspection_create(
        user=inspector,
        title="第三方评估抽查",
        kind="third_party",
        start_date=datetime.date(2026, 11, 9),
        end_date=datetime.date(2026, 11, 12),
    )

    login(inspector)
    page.goto(live_server.url + reverse("inspections:sample_create"))
    page.locator("[name=title]").fill("十一月入户抽查")
    page.locator("[name=inspection]").select_option(label="第三方评估抽查")
    page.locator("[name=rate_percent]").fill("20")
    page.locator("[name=remote_factor]").fill("2")
    page.locator("[name=seed]").fill("20261123")
    page.get_by_role("button", name="抽取").click()
    expect(page.get_by_text("已完成抽样。")).to_be_visible()
    rows = page.get_by_test_id("entries").locator("tbody tr")
    expect(rows).to_have_count(6)  # 20% of 10 near + 40% of 10 remote

    rows.filter(has_text="云岭村").first.get_by_role("link", name="录入结果").click()
    page.locator("[name=identification_accurate][value='1']").check()
    page.locator("[name=exit_accurate][value='0']").check()
    page.locator("[name=satisfied][value='0']").check()
    page.locator("[name=knows_policies][value='1']").check()
    page.locator("[name=problems]").fill("该户收入计算不实，退出不准确。")
    page.get_by_role("button", name="保存结果").click()
    expect(page.get_by_text("结果已保存。")).to_be_visible()
    expect(page.get_by_test_id("rates").locator("[data-rate=wrong_exit]")).to_have_attribute("data-ok", "no")
    expect(page.get_by_test_id("rates").locator("[data-rate=recognition]")).to_have_attribute("data-ok", "no")
    _shot(page, "sample-detail")
    page.get_by_role("button", name="转为问题").click()
    expect(page.get_by_text("问题已记录。")).to_be_visible()
    expect(page.get_by_text("该户收入计算不实，退出不准确。").first).to_be_visible()
