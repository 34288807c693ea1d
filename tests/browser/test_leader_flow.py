import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from households.models import VillageTrip
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_secretary_records_a_trip_and_the_command_office_sees_the_count_rise(
    page, live_server, login, users, county_layout
):
    township = county_layout["townships"][0]
    secretary = UserFactory(
        username="secretary1",
        role="township",
        township=township,
        role__leader_post="secretary",
        last_name="王",
        first_name="建华",
    )
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    for days in (7, 5):  # two trips last week: the standard is met
        VillageTrip.objects.create(
            leader=secretary,
            village=county_layout["villages"]["v11"],
            date=monday - datetime.timedelta(days=days),
            purpose="督导项目",
            created_by=secretary,
        )
    trips_url = live_server.url + reverse("households:leader_trips")
    login(secretary)
    page.goto(trips_url)
    expect(page.get_by_role("heading", name="乡镇领导下村记录")).to_be_visible()
    row = page.get_by_test_id("leader-secretary1")
    expect(row.get_by_test_id("this-week")).to_have_text("0")
    expect(row.get_by_test_id("last-week")).to_have_text("2")

    form = page.get_by_test_id("trip-form")
    form.get_by_label("行政村").select_option(label="石门村")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请填写下村事由及工作内容。")).to_be_visible()
    assert not VillageTrip.objects.filter(date__gte=monday).exists()

    form = page.get_by_test_id("trip-form")
    form.get_by_label("下村事由及工作内容").fill("走访贫困户，核实帮扶措施落实情况")
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(trips_url)
    expect(page.get_by_text("下村记录已保存。")).to_be_visible()
    expect(page.get_by_test_id("week-trips").first).to_have_text("1")
    expect(page.get_by_test_id("trips")).to_contain_text("走访贫困户，核实帮扶措施落实情况")
    assert VillageTrip.objects.get(date__gte=monday).created_by == secretary

    page.get_by_role("button", name="退出登录").click()
    login(users["command"])
    page.goto(trips_url)
    row = page.get_by_test_id("leader-secretary1")
    expect(row).to_contain_text("乡镇党委书记")
    expect(row.get_by_test_id("this-week")).to_have_text("1")
    expect(row.get_by_test_id("linked")).to_have_text("0")
    expect(row).to_contain_text("未达标")  # no household linked yet
