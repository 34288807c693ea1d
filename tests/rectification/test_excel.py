"""Export read back with openpyxl; import dry run, errors and all-or-nothing; the command."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from povertycase.core.models import ExportLog
from rectification.excel import HEADERS, write_ledger
from rectification.imports import ledger_import
from rectification.models import ExportJob, Item
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def ledger(county_layout, users):
    t1, t2 = county_layout["townships"]
    dept = county_layout["department"]
    ItemFactory(responsible_township=t1, status="closed", number="A-01")
    ItemFactory(responsible_township=t1, status="in_progress", deadline=TODAY - 3 * DAY, number="A-02")
    ItemFactory(responsible_township=t1, status="pending", number="A-03")
    ItemFactory(responsible_township=t2, status="withdrawn", number="A-04")
    ItemFactory(
        responsible_township=None,
        responsible_department=dept,
        status="submitted",
        number="A-05",
        description="=HYPERLINK(1)",
    )
    return Item.objects.all()


def _read(data):
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True)


def test_export_rows_and_summary(ledger, county_layout):
    buffer = io.BytesIO()
    assert write_ledger(buffer, ledger, today=TODAY) == 5
    wb = _read(buffer.getvalue())
    assert wb.sheetnames == ["整改台账", "按类别汇总", "按责任单位汇总"]
    rows = list(wb["整改台账"].iter_rows(values_only=True))
    assert list(rows[2][: len(HEADERS)]) == HEADERS
    data = {r[0]: dict(zip(HEADERS, r, strict=False)) for r in rows[3:]}
    assert set(data) == {"A-01", "A-02", "A-03", "A-04", "A-05"}
    assert data["A-02"]["是否逾期"] == "是" and data["A-02"]["逾期天数"] == 3
    assert data["A-01"]["状态"] == "已销号" and data["A-03"]["是否逾期"] == "否"
    assert (
        data["A-05"]["问题描述"] == "'=HYPERLINK(1)"
        and data["A-05"]["责任单位"] == county_layout["department"].name
    )
    assert isinstance(data["A-03"]["整改时限"], datetime.datetime)
    units = {r[0]: r[1:] for r in wb["按责任单位汇总"].iter_rows(min_row=2, values_only=True)}
    t1, t2 = county_layout["townships"]
    assert units[t1.name] == (3, 1, 2, 1, pytest.approx(33.3))
    assert units[t2.name] == (0, 0, 0, 0, 0)
    assert units[county_layout["department"].name] == (1, 0, 1, 0, 0)
    assert units["合计"] == (4, 1, 3, 1, 25)
    categories = {r[0]: r[1:] for r in wb["按类别汇总"].iter_rows(min_row=2, values_only=True)}
    assert categories["07 住房安全"] == (4, 1, 3, 1, 25)


def test_export_view_scoped_and_logged(client, ledger, users):
    client.force_login(users["township"])
    response = client.get(reverse("rectification:item_export"))
    assert response.status_code == 200
    rows = list(_read(response.content)["整改台账"].iter_rows(min_row=4, values_only=True))
    assert sorted(r[0] for r in rows) == ["A-01", "A-02", "A-03"]
    client.force_login(users["inspector"])
    response = client.get(reverse("rectification:item_export"), {"status": "closed"})
    assert [r[0] for r in _read(response.content)["整改台账"].iter_rows(min_row=4, values_only=True)] == [
        "A-01"
    ]
    assert ExportLog.objects.filter(kind="rectification_ledger").count() == 2
    client.force_login(users["helper"])
    assert client.get(reverse("rectification:item_export")).status_code == 403


def test_large_export_runs_as_job(client, ledger, users, settings, media):
    settings.RECTIFICATION_EXPORT_SYNC_MAX_ROWS = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from povertycase.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(users["command"])
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
            response = client.get(reverse("rectification:item_export"))
    finally:
        app.conf.task_always_eager = False
    job = ExportJob.objects.get()
    assert response.url == reverse("rectification:export_job", args=[job.pk])
    progress = client.get(reverse("rectification:export_job_progress", args=[job.pk])).json()
    assert progress["state"] == "done" and progress["percent"] == 100 and progress["total"] == 5
    download = client.get(reverse("rectification:export_job_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    assert len(list(_read(data)["整改台账"].iter_rows(min_row=4))) == 5
    client.force_login(users["inspector"])
    assert client.get(reverse("rectification:export_job_progress", args=[job.pk])).status_code == 404


# ---------------------------------------------------------------- import


def _workbook(
    rows, headers=("编号", "问题来源", "问题类别", "问题描述", "责任单位", "责任人", "整改类型", "整改时限")
):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["某县整改台账"])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def good_rows(county_layout, users):
    t1, _ = county_layout["townships"]
    dept = county_layout["department"]
    return [
        (
            "ZG-101",
            "督查暗访",
            "0701",
            "青石村危房未改",
            t1.name,
            "township1",
            "限期整改",
            datetime.date(2026, 12, 31),
        ),
        ("ZG-102", "审计", "挤占挪用", "资金挪用", dept.name, "", "限期整改", "2026-11-30"),
        ("ZG-103", "自查", "07 住房安全", "长效机制", t1.name, "", "长期坚持", "长期坚持"),
    ]


def test_import_dry_run_then_import(good_rows, users):
    data = _workbook(good_rows)
    result = ledger_import(user=users["command"], data=data, dry_run=True)
    assert (result.items, result.errors, result.imported) == (3, [], False)
    assert Item.objects.count() == 0
    result = ledger_import(user=users["command"], data=data, dry_run=False)
    assert result.imported and Item.objects.count() == 3
    first = Item.objects.get(number="ZG-101")
    assert first.responsible_person == users["township"] and first.deadline == datetime.date(2026, 12, 31)
    assert Item.objects.get(number="ZG-103").kind == "long_term"
    assert first.transitions.get().action == "import" and first.history.count() == 1


def test_import_errors_and_nothing_saved(good_rows, users):
    bad = [
        *good_rows,
        ("ZG-104", "督查暗访", "不存在的类别", "x", "青石镇", "", "限期整改", "2026-12-01"),
        ("ZG-105", "督查暗访", "0701", "x", "火星镇", "", "限期整改", "2026-12-01"),
        ("ZG-106", "督查暗访", "0701", "x", "青石镇", "", "限期整改", "下周"),
        ("ZG-101", "路边社", "0701", "x", "青石镇", "nobody", "限期整改", "2026-12-01"),
    ]
    result = ledger_import(user=users["command"], data=_workbook(bad), dry_run=False)
    assert not result.imported and Item.objects.count() == 0
    found = {(e["row"], e["column"]) for e in result.errors}
    assert {
        (6, "问题类别"),
        (7, "责任单位"),
        (8, "整改时限"),
        (9, "编号"),
        (9, "问题来源"),
        (9, "责任人"),
    } <= found
    assert all(e["message"] for e in result.errors)


def test_import_refused_to_non_command(good_rows, users):
    from povertycase.errors import DomainError

    with pytest.raises(DomainError):
        ledger_import(user=users["township"], data=_workbook(good_rows), dry_run=True)


def test_export_reads_back_as_import(ledger, users):
    buffer = io.BytesIO()
    write_ledger(buffer, ledger, today=TODAY)
    result = ledger_import(user=users["command"], data=buffer.getvalue(), dry_run=True)
    assert {e["column"] for e in result.errors} == {"编号"}  # all five numbers already exist


def test_import_command_exit_codes_and_json(good_rows, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(_workbook(good_rows))
    call_command("import_ledger", str(good), "--dry-run", "--json")
    assert json.loads(capsys.readouterr().out) == {"items": 3, "errors": []}
    assert Item.objects.count() == 0
    call_command("import_ledger", str(good), "--json")
    assert json.loads(capsys.readouterr().out)["items"] == 3 and Item.objects.count() == 3
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ledger", str(good), "--json")
    assert exit_info.value.code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"][0] == {"row": 3, "column": "编号", "message": payload["errors"][0]["message"]}
    assert Item.objects.count() == 3


def test_import_page_check_then_confirm(client, good_rows, users, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["command"])
    url = reverse("rectification:ledger_import")
    upload = SimpleUploadedFile("台账.xlsx", _workbook(good_rows))
    response = client.post(url, {"file": upload})
    token = response.context["token"]
    assert Item.objects.count() == 0
    response = client.post(url, {"token": token})
    assert response.status_code == 302 and Item.objects.count() == 3
    assert client.post(url, {"token": token}).status_code == 404
    client.force_login(users["township"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("rows", [5, 60])
def test_export_query_budget(rows, county_layout, django_assert_max_num_queries):
    t1, _ = county_layout["townships"]
    ItemFactory.create_batch(
        rows, responsible_township=t1, level="household", target_household=county_layout["households"]["v11"]
    )
    with django_assert_max_num_queries(4):
        assert write_ledger(io.BytesIO(), Item.objects.all(), today=TODAY) == rows


def test_purge_removes_old_export_files_and_stale_uploads(users, media):
    import datetime
    import os

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from rectification.export_jobs import LEDGER_UPLOAD_DIR, export_files_purge
    from rectification.tasks import purge_export_files_task

    now = timezone.now()
    old = ExportJob.objects.create(
        user=users["command"], state=ExportJob.State.DONE, created_at=now - datetime.timedelta(days=8)
    )
    old.file.save("old.xlsx", ContentFile(b"x"))
    recent = ExportJob.objects.create(user=users["command"], state=ExportJob.State.DONE, created_at=now)
    recent.file.save("recent.xlsx", ContentFile(b"x"))
    uploads = media / LEDGER_UPLOAD_DIR
    uploads.mkdir(parents=True)
    stale, fresh = uploads / "stale.xlsx", uploads / "fresh.xlsx"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    two_days_ago = (now - datetime.timedelta(days=2)).timestamp()
    os.utime(stale, (two_days_ago, two_days_ago))
    old_path = old.file.path

    assert purge_export_files_task() == 2
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not os.path.exists(old_path)
    assert recent.file and os.path.exists(recent.file.path)
    assert not stale.exists() and fresh.exists()
    assert export_files_purge() == 0
