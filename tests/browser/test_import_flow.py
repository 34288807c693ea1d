"""A cadre uploads a register workbook: the dry run shows a row error; the corrected file imports."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from households.models import Household
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.browser


def test_dry_run_error_then_corrected_import(page, live_server, login, users, tmp_path):
    rows = household_rows(size=3)
    id_number = rows[1]["证件号码"]
    rows[1]["证件号码"] = int(id_number) if id_number[-1] != "X" else 411529197008050029
    bad = tmp_path / "登记表.xlsx"
    bad.write_bytes(workbook_bytes(rows))

    login(users["township"])
    page.get_by_role("link", name="Excel导入").click()
    page.get_by_role("link", name="导入户籍信息表").click()
    page.get_by_label("户籍信息表（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()

    table = page.get_by_test_id("error-table")
    expect(table).to_contain_text("证件号码必须以文本格式填写")
    expect(table.locator("tbody tr").first).to_contain_text("5")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    rows[1]["证件号码"] = id_number
    good = tmp_path / "登记表-改正.xlsx"
    good.write_bytes(workbook_bytes(rows))
    page.get_by_role("link", name="上传改正后的文件").click()
    page.get_by_label("户籍信息表（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("检查通过")).to_be_visible()
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_text("已导入 1 户 3 人").first).to_be_visible()
    expect(page.get_by_test_id("batch-status")).to_have_text("已导入")
    assert Household.objects.get(number="4115291012010001").members.count() == 3
    assert page.url.startswith(live_server.url + reverse("households:import_list"))
