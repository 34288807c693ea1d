import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from households.models import WorkRecord
from tests.factories import MemberFactory, unique_id_number

pytestmark = pytest.mark.browser


def test_township_cadre_adds_a_work_record_fixes_the_wage_and_sees_it_on_the_household_page(
    page, live_server, login, users, county_layout
):
    household = county_layout["households"]["v11"]
    birth = datetime.date(1988, 4, 2)
    MemberFactory(
        household=household, name="罗建国", id_number=unique_id_number(birth=birth), work_status="4"
    )
    login(users["township"])
    page.goto(live_server.url + household.get_absolute_url())

    panel = page.get_by_test_id("work-panel")
    expect(panel).to_contain_text("尚无务工记录或公益性岗位。")
    panel.get_by_role("link", name="添加务工记录").click()

    page.get_by_label("家庭成员").select_option(label="罗建国")
    start = timezone.localdate() - datetime.timedelta(days=300)
    page.get_by_label("开始日期").fill(start.isoformat())
    page.get_by_label("务工所在县").fill("浙江省宁波市鄞州区")
    page.get_by_label("就业单位").fill("宁波某电子厂")
    page.get_by_label("从事行业").fill("电子制造")
    page.get_by_label("就业渠道").select_option(label="有组织劳务输出")
    page.get_by_label("月工资（元）").fill("50")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("月工资应在100至30000元之间。")).to_be_visible()
    assert not WorkRecord.objects.exists()

    page.get_by_label("月工资（元）").fill("4800")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(live_server.url + reverse("households:household_detail", args=[household.pk]))
    expect(page.get_by_text("罗建国的务工记录已保存。")).to_be_visible()
    records = page.get_by_test_id("work-records")
    expect(records).to_contain_text("宁波某电子厂")
    expect(records).to_contain_text("4,800.00")
    expect(records).to_contain_text("至今")
    assert WorkRecord.objects.get().monthly_wage == 4800
