"""Import pages: who may use them, the dry run, confirm, rollback, progress and downloads."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from households.models import Household, ImportBatch
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def upload(client, user, data, **extra):
    client.force_login(user)
    return client.post(
        reverse("households:import_create"),
        {"file": SimpleUploadedFile("登记表.xlsx", data), **extra},
        follow=True,
    )


def bad_rows():
    rows = household_rows(size=3)
    rows[1]["证件号码"] = 411529197008050029
    return rows


@pytest.mark.parametrize("role", ["helper", "department", "inspector"])
def test_other_roles_may_not_import(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("households:import_create")).status_code == 403
    assert client.get(reverse("households:import_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("households:import_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_upload_form_in_chinese(client, users):
    client.force_login(users["township"])
    content = client.get(reverse("households:import_create")).content.decode()
    assert "导入户籍信息表" in content and "上传并检查" in content and "更新已在册的户" in content
    assert "自动创建" not in content  # only the command office may create regions
    client.force_login(users["command"])
    assert (
        "自动创建不存在的乡(镇)和行政村" in client.get(reverse("households:import_create")).content.decode()
    )


def test_dry_run_shows_every_error_and_no_confirm_button(client, users):
    response = upload(client, users["township"], workbook_bytes(bad_rows()))
    content = response.content.decode()
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("households:import_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.INVALID
    assert "证件号码必须以文本格式填写" in content and "检查发现 1 处错误" in content
    assert "确认导入" not in content
    assert not Household.objects.filter(number="4115291012010001").exists()


def test_errors_are_paginated(client, users):
    rows = []
    for n in range(30):
        rows += household_rows(number=f"41152910120100{n:02d}", size=2, 性别="男")  # spouses: 30 errors
        rows[-1]["民族"] = "火星族"  # and 30 more
    response = upload(client, users["command"], workbook_bytes(rows))
    assert response.content.decode().count('<tr><td class="text-end">') == 50
    batch = ImportBatch.objects.get()
    page2 = client.get(reverse("households:import_detail", args=[batch.pk]) + "?page=2").content.decode()
    assert page2.count('<tr><td class="text-end">') == 10
    assert 'aria-current="page"><span class="page-link">2<' in page2


def test_valid_file_then_confirm_then_rollback(client, users):
    response = upload(client, users["village"], workbook_bytes(household_rows(size=3)))
    batch = ImportBatch.objects.get()
    content = response.content.decode()
    assert "检查通过" in content and "确认导入" in content
    response = client.post(reverse("households:import_confirm", args=[batch.pk]), follow=True)
    content = response.content.decode()
    assert "已导入 1 户 3 人" in content and "撤销本次导入" in content
    assert Household.objects.filter(number="4115291012010001").exists()
    response = client.post(reverse("households:import_rollback", args=[batch.pk]), follow=True)
    assert "本批次已撤销" in response.content.decode()
    assert not Household.objects.filter(number="4115291012010001").exists()


def test_confirm_of_invalid_batch_is_refused(client, users):
    upload(client, users["command"], workbook_bytes(bad_rows()))
    batch = ImportBatch.objects.get()
    response = client.post(reverse("households:import_confirm", args=[batch.pk]), follow=True)
    assert "只有检查通过、没有错误的批次才能导入" in response.content.decode()


def test_rollback_refusal_is_shown(client, users):
    upload(client, users["command"], workbook_bytes(household_rows()))
    first = ImportBatch.objects.get()
    client.post(reverse("households:import_confirm", args=[first.pk]))
    upload(client, users["command"], workbook_bytes(household_rows(帮扶责任人="李四")), update_existing="on")
    second = ImportBatch.objects.latest("pk")
    client.post(reverse("households:import_confirm", args=[second.pk]))
    content = client.get(reverse("households:import_detail", args=[first.pk])).content.decode()
    assert f"之后导入的批次 #{second.pk} 修改了同一批户" in content and "撤销本次导入</button>" not in content
    response = client.post(reverse("households:import_rollback", args=[first.pk]), follow=True)
    assert f"之后导入的批次 #{second.pk}" in response.content.decode()
    assert Household.objects.filter(number="4115291012010001").exists()


def test_rejected_upload_shows_message_on_the_form(client, users):
    response = upload(client, users["command"], b"a,b\n1,2\n")
    assert response.status_code == 200
    assert "只能导入 .xlsx 格式的 Excel 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_batches_visible_to_uploader_and_command_office_only(client, users):
    upload(client, users["township"], workbook_bytes(household_rows()))
    batch = ImportBatch.objects.get()
    for role, status in [("village", 404), ("command", 200), ("township", 200)]:
        client.force_login(users[role])
        assert client.get(reverse("households:import_detail", args=[batch.pk])).status_code == status
        assert client.get(reverse("households:import_progress", args=[batch.pk])).status_code == status
    client.force_login(users["village"])
    assert client.post(reverse("households:import_confirm", args=[batch.pk])).status_code == 404
    detail = reverse("households:import_detail", args=[batch.pk])
    assert detail not in client.get(reverse("households:import_list")).content.decode()


def test_progress_json(client, users):
    upload(client, users["command"], workbook_bytes(household_rows()))
    batch = ImportBatch.objects.get()
    data = client.get(reverse("households:import_progress", args=[batch.pk])).json()
    assert data["status"] == "valid" and data["progress"] == 100 and data["running"] is False


def test_list_page_query_budget(client, users, django_assert_max_num_queries):
    for _ in range(3):
        upload(client, users["command"], workbook_bytes(bad_rows()))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("households:import_list"))
    assert response.content.decode().count("有错误") >= 3


def test_template_download(client, users):
    client.force_login(users["village"])
    response = client.get(reverse("households:import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "青山县建档立卡贫困人口信息表" and sheet["H3"].value == "证件号码"


def test_errors_workbook_download(client, users):
    upload(client, users["command"], workbook_bytes(bad_rows()))
    batch = ImportBatch.objects.get()
    response = client.get(reverse("households:import_errors_xlsx", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "登记表.xlsx"
    assert rows[1][0] == "原行号" and rows[1][-1] == "错误信息"
    assert rows[2][0] == 5 and rows[2][-1] == "证件号码必须以文本格式填写"
    assert sheet.cell(3, 9).fill.fgColor.rgb.endswith("F8CBAD")  # the 证件号码 cell
    from povertycase.core.models import ExportLog

    assert ExportLog.objects.get(kind="import_errors").row_count == len(batch.errors)


@override_settings(IMPORT_SYNC_MAX_ROWS=1)
def test_large_files_run_in_the_worker(client, users, django_capture_on_commit_callbacks):
    from povertycase.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, users["command"], workbook_bytes(household_rows(size=3)))
        batch = ImportBatch.objects.get()
        assert batch.status == ImportBatch.Status.VALID
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("households:import_confirm", args=[batch.pk]))
    finally:
        app.conf.task_always_eager = False
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.progress == 100


def test_running_batch_page_polls_progress(client, users):
    upload(client, users["command"], workbook_bytes(household_rows()))
    from django.core.cache import cache

    from households.services.imports import progress_key

    ImportBatch.objects.update(status=ImportBatch.Status.IMPORTING, progress=40)
    batch = ImportBatch.objects.get()
    cache.delete(progress_key(batch.pk))
    content = client.get(reverse("households:import_detail", args=[batch.pk])).content.decode()
    assert 'id="progress-bar"' in content and "40%" in content
    assert reverse("households:import_progress", args=[batch.pk]) in content


@override_settings(IMPORT_SYNC_MAX_ROWS=1)
def test_large_rollbacks_run_in_the_worker(client, users, django_capture_on_commit_callbacks):
    from households.services.imports import import_batch_apply
    from povertycase.celery import app

    upload(client, users["command"], workbook_bytes(household_rows(size=3)))
    batch = ImportBatch.objects.get()
    import_batch_apply(batch=batch, user=users["command"])
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("households:import_rollback", args=[batch.pk]), follow=True)
    finally:
        app.conf.task_always_eager = False
    assert "撤销已在后台进行" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert not Household.objects.filter(number="4115291012010001").exists()
