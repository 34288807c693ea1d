"""A cadre uploads the national roster and the monitoring export through the import page: the
dry run names the layout it recognised and the columns it read and ignored; confirming imports."""

import pytest
from playwright.sync_api import expect

from households.models import Household, MonitoringCase
from tests.households.test_import_layouts import (
    monitoring_rows,
    monitoring_workbook,
    roster_rows,
    roster_workbook,
)

pytestmark = pytest.mark.browser


def upload(page, path):
    page.locator("#mainnav").get_by_role("link", name="Excel导入").click()
    page.get_by_role("link", name="导入户籍信息表").click()
    page.get_by_label("户籍信息表（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("检查通过")).to_be_visible()


def test_roster_and_monitoring_workbooks_import_through_the_page(page, login, users, tmp_path):
    roster = tmp_path / "已脱贫人口名单.xlsx"
    roster.write_bytes(roster_workbook(roster_rows("4115291012010011")))
    monitoring = tmp_path / "监测对象信息.xlsx"
    monitoring.write_bytes(monitoring_workbook(monitoring_rows("4115291012010012")))

    login(users["township"])
    upload(page, roster)
    expect(page.locator("#batch-layout")).to_contain_text("已脱贫人口名单")
    expect(page.locator("#batch-columns")).to_contain_text("自然村")
    expect(page.locator("#batch-columns")).to_contain_text("由户类型推算")
    page.screenshot(path="/tmp/h12-layouts-roster.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 1 户 2 人").first).to_be_visible()
    assert Household.objects.get(number="4115291012010011").exit_status == "1"

    upload(page, monitoring)
    expect(page.locator("#batch-layout")).to_contain_text("监测对象信息")
    expect(page.locator("#batch-columns")).to_contain_text("信息采集人")
    page.screenshot(path="/tmp/h12-layouts-monitoring.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 1 户 2 人").first).to_be_visible()
    assert MonitoringCase.objects.get(household__number="4115291012010012").category == "M1"
