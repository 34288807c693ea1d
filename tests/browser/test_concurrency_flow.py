"""Two cadres in two browsers on one household; a double click on 保存进展 stores one update."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.models import Household
from rectification.models import ProgressUpdate
from tests.browser.conftest import CHROMIUM  # noqa: F401 (the browser fixture's binary)
from tests.factories import (
    PASSWORD,
    HouseholdFactory,
    MemberFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.rectification.conftest import ensure_ledger_defaults
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.browser


def _log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + reverse("home"))


def test_the_second_save_is_refused_with_who_changed_what(browser, page, live_server, login):
    township = TownshipFactory(name="青石镇")
    household = HouseholdFactory(
        village=VillageFactory(township=township, name="青石村"), phone="13800000000"
    )
    MemberFactory(household=household, relation="01", name="罗建国")
    a = UserFactory(username="li", last_name="李", first_name="文斌", role="township", township=township)
    b = UserFactory(username="wang", last_name="王", first_name="芳", role="command")
    url = live_server.url + reverse("households:household_update", args=[household.pk])
    other = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()

    login(a)
    page.goto(url)
    _log_in(other, live_server, b)
    other.goto(url)
    page.locator("#id_phone").fill("13911111111")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    other.locator("#id_phone").fill("13722222222")
    other.get_by_role("button", name="保存").click()

    refusal = other.locator(".alert-danger").first
    expect(refusal).to_contain_text("未保存")
    expect(refusal).to_contain_text("李文斌")
    expect(refusal).to_contain_text("联系电话")
    other.screenshot(path="/tmp/h13-concurrency-refused.png")
    assert Household.objects.get(pk=household.pk).phone == "13911111111"
    other.context.close()


def test_a_double_click_on_save_progress_stores_one_update(page, live_server, login):
    ensure_ledger_defaults()
    township = TownshipFactory(name="青石镇")
    cadre = UserFactory(
        username="cadre", last_name="李", first_name="文斌", role="township", township=township
    )
    item = ItemFactory(
        responsible_township=township,
        responsible_person=cadre,
        deadline=datetime.date.today() + datetime.timedelta(days=5),
    )
    login(cadre)
    page.goto(live_server.url + reverse("rectification:item_detail", args=[item.pk]))
    progress = page.locator("#form-progress")
    progress.get_by_label("完成进度（%）").fill("40")
    progress.get_by_label("整改进展").fill("已完成房屋鉴定。")
    progress.get_by_role("button", name="保存进展").dblclick()
    expect(page.get_by_text("已保存。")).to_be_visible()
    assert ProgressUpdate.objects.filter(item=item).count() == 1
