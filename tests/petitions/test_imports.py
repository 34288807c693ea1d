"""Petition ledger import: check (dry run) then confirm, all rows or none; the export reads back."""

import io

import pytest
from django.urls import reverse

from petitions import services
from petitions.imports import petitions_import
from petitions.models import Petition, State
from povertycase.errors import DomainError
from povertycase.excel import Column, SheetWriter

from .conftest import petition_data

pytestmark = pytest.mark.django_db
HEADERS = [
    "信访编号",
    "渠道",
    "受理日期",
    "信访人",
    "联系电话",
    "涉及农户",
    "问题类别",
    "信访内容",
    "承办单位",
    "状态",
    "满意度",
]


def workbook(rows) -> bytes:
    buffer = io.BytesIO()
    writer = SheetWriter(
        buffer, sheet_name="信访台账", columns=[Column(h) for h in HEADERS], title_lines=["信访台账"]
    )
    for row in rows:
        writer.write_row(row)
    writer.close()
    return buffer.getvalue()


def good_row(household, number="XF-IMP-1"):
    return [
        number,
        "来信",
        "2026-03-02",
        "罗大明",
        "13812345678",
        f"{household.number} 罗某",
        "0701 住房安全／疑似危房",
        "房屋漏雨",
        "青石镇",
        "已答复",
        "",
    ]


def test_dry_run_saves_nothing_then_import_saves_all(users, county_layout):
    household = county_layout["households"]["v11"]
    data = workbook([good_row(household), good_row(household, "XF-IMP-2")])
    result = petitions_import(user=users["command"], data=data, dry_run=True)
    assert result.petitions == 2 and not result.errors and not Petition.objects.exists()
    result = petitions_import(user=users["command"], data=data, dry_run=False)
    assert result.imported
    p = Petition.objects.get(number="XF-IMP-1")
    assert p.channel == "02" and p.state == State.REPLIED and list(p.households.all()) == [household]
    assert p.handling_township == county_layout["townships"][0] and p.deadline.isoformat() == "2026-03-17"


def test_one_bad_row_imports_nothing(users, county_layout):
    household = county_layout["households"]["v11"]
    bad = good_row(household, "XF-IMP-2")
    bad[1], bad[5], bad[8] = "电报", "999", "火星局"
    result = petitions_import(user=users["command"], data=workbook([good_row(household), bad]), dry_run=False)
    columns = {e["column"] for e in result.errors}
    assert columns == {"渠道", "涉及农户", "承办单位"} and not Petition.objects.exists()


def test_only_command_imports(users, county_layout):
    with pytest.raises(DomainError):
        petitions_import(user=users["township"], data=workbook([]), dry_run=True)


def test_export_reads_back_through_the_page(client, users, county_layout, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.petition_register(
        user=users["township"], data=petition_data(), households=[county_layout["households"]["v11"]]
    )
    client.force_login(users["command"])
    exported = client.get(reverse("petitions:export")).content
    Petition.objects.all().delete()
    upload = io.BytesIO(exported)
    upload.name = "信访台账.xlsx"
    response = client.post(reverse("petitions:import"), {"file": upload})
    token = response.context["token"]
    assert not response.context["result"].errors
    client.post(reverse("petitions:import"), {"token": token})
    petition = Petition.objects.get()
    assert petition.complainant_name == "罗大明" and petition.households.count() == 1
