import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_helper_records_a_visit_and_the_household_leaves_the_overdue_list(page, live_server, login, users):
    household = users["helper"].helped_households.get()
    login(users["helper"])

    page.get_by_role("link", name="我的帮扶户").click()
    row = page.get_by_test_id(f"household-{household.number}")
    expect(row.get_by_test_id("overdue-badge")).to_be_visible()
    expect(page.get_by_test_id("overdue-count")).to_have_text("1")

    row.get_by_role("link", name="记录走访").click()
    page.get_by_label("走访方式").select_option(label="入户")
    page.get_by_label("走访内容").fill("核实住房和饮水情况，宣讲政策")
    page.get_by_label("发现的问题").fill("屋顶漏雨")
    page.get_by_label("户内确认人").fill("罗建国")
    page.get_by_role("button", name="保存走访").click()

    page.wait_for_url(live_server.url + reverse("households:my_households"))
    expect(page.get_by_text("走访已记录。")).to_be_visible()
    expect(page.get_by_test_id("overdue-count")).to_have_text("0")
    expect(row.get_by_test_id("overdue-badge")).to_have_count(0)

    page.goto(live_server.url + household.get_absolute_url())
    expect(page.get_by_test_id("visits")).to_contain_text("屋顶漏雨")
