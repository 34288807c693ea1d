"""The command office runs the weekly job from the ranking page, reads the bulletin and downloads
its xlsx; the home page then shows the week's ranking with the change since the week before."""

import datetime
import io
import os

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from inspections import ranking
from tests.factories import DepartmentFactory, HouseholdFactory, TownshipFactory, UserFactory, VillageFactory
from tests.rectification.conftest import ensure_ledger_defaults
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("RANKING_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_command_runs_weekly_ranking_and_downloads_bulletin(page, live_server, login):
    ensure_ledger_defaults()
    towns = [TownshipFactory(name=name) for name in ("青石镇", "白云乡", "石门镇")]
    for town in towns:
        HouseholdFactory.create_batch(2, village=VillageFactory(township=town))
    DepartmentFactory(name="住建局")
    week = ranking.last_complete_week(timezone.localdate())
    first, _last = ranking.parse_week(week)
    opened = timezone.make_aware(datetime.datetime.combine(first, datetime.time(9)))
    # this Monday 白云乡 got an item due the same day (overdue by Sunday), so it ranks last this
    # week; the week before all were equal and ranked by name (白云乡 first)
    ItemFactory(responsible_township=towns[1], target_township=towns[1], deadline=first, created_at=opened)
    ranking.compute_week(ranking.previous_week(week))  # last week: all equal, ranked by name
    command = UserFactory(username="command", last_name="张", first_name="国栋", role="command")

    login(command)
    page.get_by_role("link", name="排序通报").click()
    page.get_by_role("button", name="生成本周排名").click()
    expect(page.get_by_text(f"已生成 {week} 排序：共 4 个单位参加排序。")).to_be_visible()
    table = page.locator("table.ranking-table").first
    expect(table.get_by_role("row").nth(3)).to_contain_text("白云乡")
    _shot(page, "ranking-computed")

    page.get_by_role("button", name="生成本周排名").click()
    expect(page.get_by_text("本次没有任何改动")).to_be_visible()

    page.get_by_role("link", name="通报", exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("inspections:ranking_week", args=[week]))
    expect(page.get_by_text("白云乡").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="导出通报（xlsx）").click()
    download = info.value
    assert download.suggested_filename == f"ranking-{week}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert week in str(cells[0][0])
    named = {row[2]: row for row in cells if row and row[2] in {"青石镇", "白云乡", "石门镇", "住建局"}}
    assert set(named) == {"青石镇", "白云乡", "石门镇", "住建局"}
    assert named["白云乡"][1] == 3 and named["住建局"][1] == 1

    page.goto(live_server.url + reverse("home"))
    townships = page.get_by_test_id("ranking-townships")
    expect(townships).to_contain_text("白云乡")
    bai = townships.get_by_role("row").filter(has_text="白云乡")
    expect(bai.get_by_test_id("change")).to_have_text("↓2")  # 1st by name last week, 3rd now
    page.get_by_label("名次走势：").select_option(label="白云乡")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("rank-series")).to_contain_text(f"{week}")
    expect(page.get_by_test_id("rank-series")).to_contain_text("3 / 3")
    _shot(page, "home-ranking")
