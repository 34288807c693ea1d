"""A township cadre works an item with evidence; an inspector sends it back, then closes it."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import TownshipFactory, UserFactory
from tests.rectification.conftest import ensure_ledger_defaults
from tests.rectification.factories import PDF, ItemFactory

pytestmark = pytest.mark.browser


def test_item_from_progress_to_closing(page, live_server, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_ledger_defaults()
    township = TownshipFactory(name="青石镇")
    cadre = UserFactory(
        username="cadre", last_name="李", first_name="文斌", role="township", township=township
    )
    inspector = UserFactory(username="inspector", last_name="赵", first_name="立军", role="inspector")
    item = ItemFactory(
        number="ZG-2026-0007",
        responsible_township=township,
        responsible_person=cadre,
        deadline=datetime.date.today() + datetime.timedelta(days=5),
    )
    evidence = tmp_path / "危改验收单.pdf"
    evidence.write_bytes(PDF)
    url = live_server.url + reverse("rectification:item_detail", args=[item.pk])

    login(cadre)
    page.get_by_role("link", name="我的事项").click()
    page.get_by_role("link", name="ZG-2026-0007").click()
    progress = page.locator("#form-progress")
    progress.get_by_label("完成进度（%）").fill("80")
    progress.get_by_label("整改进展").fill("已完成房屋鉴定，改造主体完工。")
    progress.locator("input[type=file]").set_input_files(str(evidence))
    progress.get_by_role("button", name="保存进展").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    page.locator("#form-request_closing").get_by_role("button", name="申请销号").click()
    expect(page.locator("h1").get_by_text("申请销号")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(inspector)
    page.goto(url)
    page.locator("#form-send_back").get_by_label("原因").fill("照片未体现屋顶改造，请补充。")
    page.locator("#form-send_back").get_by_role("button", name="退回").click()
    expect(page.locator("h1").get_by_text("整改中")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(cadre)
    page.goto(url)
    progress = page.locator("#form-progress")
    progress.get_by_label("完成进度（%）").fill("100")
    progress.get_by_label("整改进展").fill("已补充屋顶改造照片。")
    progress.locator("input[type=file]").set_input_files(str(evidence))
    progress.get_by_role("button", name="保存进展").click()
    page.locator("#form-request_closing").get_by_role("button", name="申请销号").click()
    expect(page.locator("h1").get_by_text("申请销号")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    login(inspector)
    page.goto(url)
    page.locator("#form-close").get_by_label("销号文件").fill("县指办〔2026〕18号")
    page.locator("#form-close").get_by_role("button", name="核查通过，销号").click()
    expect(page.locator("h1").get_by_text("已销号")).to_be_visible()

    timeline = page.get_by_test_id("timeline")
    for text in (
        "开始整改",
        "已完成房屋鉴定，改造主体完工。",
        "照片未体现屋顶改造，请补充。",
        "已补充屋顶改造照片。",
        "核查销号",
    ):
        expect(timeline.get_by_text(text).first).to_be_visible()
    expect(timeline.get_by_text("申请销号", exact=True)).to_have_count(2)
    expect(timeline.get_by_role("link", name="危改验收单.pdf")).to_have_count(2)
    page.screenshot(path=str(tmp_path / "closed.png"), full_page=True)
