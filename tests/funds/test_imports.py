import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from funds import services
from funds.imports import funds_import
from funds.models import Payment, Project
from povertycase.errors import DomainError
from tests.funds.conftest import YEAR, pdf

pytestmark = pytest.mark.django_db
PROJECT_HEAD = [
    "项目编号",
    "项目名称",
    "年度",
    "项目类型",
    "实施单位",
    "建设村",
    "计划完工",
    "资金文号",
    "预算金额",
    "批复日期",
    "批复文号",
]


def workbook(projects=(), payments=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(PROJECT_HEAD)
    for row in projects:
        sheet.append(row)
    pay = book.create_sheet("拨付")
    pay.append(["项目编号", "拨付日期", "金额", "收款单位"])
    for row in payments:
        pay.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def good(county_layout, allocation):
    dept = county_layout["department"].name
    return workbook(
        projects=[
            [
                "IM-1",
                "青石村道路",
                YEAR,
                "基础设施（道路）",
                dept,
                "青石村",
                f"{YEAR}-10-01",
                allocation.document_number,
                30000,
                f"{YEAR}-03-01",
                "青扶发〔2026〕9号",
            ],
            [
                "IM-2",
                "五小庭院",
                YEAR,
                "五小庭院经济",
                "青石镇",
                "石门村",
                "",
                allocation.document_number,
                5000,
                "",
                "",
            ],
        ]
    )


def test_dry_run_saves_nothing_then_all(good, users):
    result = funds_import(user=users["command"], data=good, dry_run=True)
    assert (result.projects, result.errors, result.imported) == (2, [], False)
    assert not Project.objects.exists()
    result = funds_import(user=users["command"], data=good, dry_run=False)
    assert result.imported and Project.objects.count() == 2
    assert Project.objects.get(number="IM-1").status == "approved"


def test_row_errors_in_chinese_and_nothing_saved(county_layout, users, allocation, started, media):
    dept = county_layout["department"].name
    data = workbook(
        projects=[
            [
                "IM-1",
                "好项目",
                YEAR,
                "基础设施（道路）",
                dept,
                "青石村",
                "",
                allocation.document_number,
                1000,
                "",
                "",
            ],
            [
                "IM-2",
                "坏项目",
                YEAR,
                "基础设施（道路）",
                "不存在局",
                "",
                "",
                allocation.document_number,
                1000,
                "",
                "",
            ],
            ["IM-3", "超预算", YEAR, "产业发展", dept, "", "", allocation.document_number, 999999, "", ""],
        ],
        payments=[[started.number, f"{YEAR}-04-01", 100, "青山路桥公司"]],  # 0% complete
    )
    result = funds_import(user=users["command"], data=data, dry_run=False)
    got = {(e["sheet"], e["row"], e["column"]) for e in result.errors}
    assert got == {("项目", 3, "实施单位"), ("项目", 4, "预算金额"), ("拨付", 2, "金额")}
    messages = " ".join(e["message"] for e in result.errors)
    assert "资金拨付与项目实施一致" in messages and "不存在局" in messages
    assert not result.imported
    assert not Project.objects.filter(number__startswith="IM-").exists() and not Payment.objects.exists()


def test_payments_in_step_import(started, users, media):
    services.completion_report(
        user=users["department"],
        project=started,
        percent=50,
        reported_on=datetime.date(YEAR, 4, 1),
        evidence=pdf(),
    )
    data = workbook(payments=[[started.number, f"{YEAR}-04-02", 20000, "青山路桥公司"]])
    result = funds_import(user=users["command"], data=data, dry_run=False)
    assert result.imported and Payment.objects.get().amount == Decimal("20000")


def test_only_command_or_finance(good, users):
    with pytest.raises(DomainError):
        funds_import(user=users["department"], data=good, dry_run=True)


def test_upload_check_confirm(client, users, good, media):
    client.force_login(users["command"])
    url = reverse("funds:import")
    upload = SimpleUploadedFile("项目.xlsx", good)
    response = client.post(url, {"file": upload})
    token = response.context["token"]
    assert not Project.objects.exists()
    response = client.post(url, {"token": token})
    assert response.status_code == 302 and Project.objects.count() == 2
