"""Import errors live in rows: a batch of 100,000 errors keeps the list, the batch page and
errors.xlsx fast and small (issue 13: one junk workbook's 390,000 errors in one JSON field made
every list load take 1.2 s and 230 MB)."""

import io
import time

import pytest
import python_calamine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.excel import SHEET_NAME
from households.models import ImportBatch, ImportBatchError
from tests.core.crafted import xlsx_bytes

pytestmark = pytest.mark.django_db

ERRORS = 100_000
COUNT_SHOWN = '<span class="text-danger">100000</span>'
FIRST_DATA_ROW = 4  # two title rows and the header


def junk_workbook(rows: int) -> bytes:
    """A register header and `rows` data rows of junk."""
    head = [
        ["青山县建档立卡贫困人口信息表"],
        ["导出时间：2026-01-01"],
        ["序号", "户编号", "姓名", "证件号码"],
    ]
    return xlsx_bytes(head + [[n + 1, "x", f"n{n}", "bad"] for n in range(rows)], sheet_name=SHEET_NAME)


@pytest.fixture
def big_batch(users):
    batch = ImportBatch(
        user=users["command"],
        original_name="垃圾.xlsx",
        status=ImportBatch.Status.INVALID,
        error_count=ERRORS,
        total_rows=ERRORS,
    )
    batch.save()
    ImportBatchError.objects.bulk_create(
        (
            ImportBatchError(
                batch=batch,
                position=n,
                row=FIRST_DATA_ROW + n,
                column="证件号码",
                value="bad",
                message=f"SECRET-{n:06d} 证件号码不是有效的身份证号",
            )
            for n in range(ERRORS)
        ),
        batch_size=5000,
    )
    return batch


def test_list_reads_no_error_rows_and_a_pinned_number_of_queries(
    client, users, big_batch, django_assert_num_queries
):
    client.force_login(users["command"])
    url = reverse("households:import_list")
    client.get(url)  # warm the session and the translations
    start = time.perf_counter()
    with django_assert_num_queries(9), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    elapsed = time.perf_counter() - start
    content = response.content.decode()
    assert response.status_code == 200 and COUNT_SHOWN in content and "SECRET-" not in content
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "importbatcherror" not in sql and '"message"' not in sql and '"warnings"' not in sql
    assert elapsed < 1.0, elapsed


def test_batch_page_shows_page_one_and_the_count(client, users, big_batch):
    client.force_login(users["command"])
    url = reverse("households:import_detail", args=[big_batch.pk])
    with CaptureQueriesContext(connection) as queries:
        content = client.get(url).content.decode()
    assert 'text-bg-danger">100000</span>' in content and "检查发现 100000 处错误" in content
    assert "SECRET-000000" in content and "SECRET-000049" in content and "SECRET-000050" not in content
    assert content.count('<tr><td class="text-end">') == 50
    assert any("limit 50" in q["sql"].lower() for q in queries.captured_queries)
    last = client.get(url + "?page=2000").content.decode()
    assert "SECRET-099999" in last and "SECRET-099949" not in last
    data = client.get(reverse("households:import_progress", args=[big_batch.pk])).json()
    assert data["errors"] == ERRORS


def test_errors_workbook_holds_every_row(client, users, big_batch):
    big_batch.file.save("junk.xlsx", ContentFile(junk_workbook(ERRORS)))
    client.force_login(users["command"])
    response = client.get(reverse("households:import_errors_xlsx", args=[big_batch.pk]))
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = iter(workbook.get_sheet_by_index(0).to_python())
    assert next(rows)[0] == "垃圾.xlsx" and next(rows)[0] == "原行号"
    count, first, last = 0, None, None
    for row in rows:
        count += 1
        first = first or row
        last = row
    assert count == ERRORS
    assert first[0] == FIRST_DATA_ROW and first[-1] == "SECRET-000000 证件号码不是有效的身份证号"
    assert last[0] == FIRST_DATA_ROW + ERRORS - 1 and last[-1].startswith("SECRET-099999")
