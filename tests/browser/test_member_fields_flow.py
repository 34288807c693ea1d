import datetime

import pytest
from playwright.sync_api import expect

from households.models import Member
from tests.factories import MemberFactory, unique_id_number

pytestmark = pytest.mark.browser


def _family(household):
    """Head and a son of 10 in primary school, healthy: nothing for the checks to refuse."""
    household.head_name = "罗建国"
    household.member_count = 2
    household.save()
    MemberFactory(
        household=household, seq=1, name="罗建国", id_number=unique_id_number(datetime.date(1986, 2, 1))
    )
    return MemberFactory(
        household=household,
        seq=2,
        name="罗小明",
        relation="03",
        id_number=unique_id_number(datetime.date(2016, 1, 10)),
        student_status="20",
        labour="5",
        pension_insurance=False,
    )


def test_village_cadre_records_a_reason_for_not_attending_school(
    page, live_server, login, users, county_layout
):
    household = county_layout["households"]["v11"]
    child = _family(household)
    login(users["village"])

    page.goto(live_server.url + household.get_absolute_url())
    page.get_by_role("link", name="修改户和成员信息").click()
    card = page.locator(".member-row").filter(has_text="罗小明")
    card.get_by_label("在校生状况").select_option(label="非在校生")
    card.get_by_label("义务教育阶段未上学原因").select_option(label="因病")
    card.get_by_label("成员联系电话").fill("13912345678")
    page.get_by_label("变更原因").fill("入户核实就学情况")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("MB-013")).to_be_visible()
    expect(page.get_by_text("未上学原因为“因病”，但健康状况为健康")).to_be_visible()
    child.refresh_from_db()
    assert (child.out_of_school_reason, child.phone) == ("", "")

    card = page.locator(".member-row").filter(has_text="罗小明")
    card.get_by_label("健康状况").select_option(label="患有大病")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(live_server.url + household.get_absolute_url())
    expect(page.get_by_text(f"已保存户 {household.number}")).to_be_visible()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("入户核实就学情况")
    expect(history).to_contain_text("义务教育阶段未上学原因")
    expect(history).to_contain_text("因病")
    child = Member.objects.get(pk=child.pk)
    assert (child.out_of_school_reason, child.health, child.phone) == ("1", "3", "13912345678")
