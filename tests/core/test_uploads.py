"""Hostile workbooks are refused before any parser opens them, on every import path (issue 13:
an 885 KB .xlsx holding one 400 MB shared string added 1.1 GB to a worker)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from households.models import Household, ImportBatch
from povertycase.core.uploads import UploadRefused, check_xlsx_upload
from rectification.models import Category, Item
from tests.core.crafted import SST_START, lie_about_size, shared_string_bomb, xlsx_bytes
from tests.households.workbooks import household_rows, workbook_bytes

BOMB_MB = 400
TOO_BIG = "工作簿解压后超过 300 MB"
NOT_XLSX = "只能导入 .xlsx 格式的 Excel 文件"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    shared_string_bomb(path, megabytes=BOMB_MB)
    return path


def refusal(file) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_xlsx_upload(file)
    return caught.value.message


def many_rows() -> bytes:
    return xlsx_bytes(
        [["编号", "问题描述", "一级代码", "一级名称"]] + [[n, "x", "A", "B"] for n in range(300)]
    )


# ---------------------------------------------------------------- the guard


def test_bomb_is_small_and_refused_from_the_zip_directory(bomb):
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        message = refusal(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert TOO_BIG in message and peak < 1024 * 1024


@override_settings(IMPORT_MAX_UNPACKED_MB=1000)
def test_bomb_within_the_size_limit_is_refused_for_its_compression_ratio(bomb):
    assert "疑为压缩炸弹" in refusal(bomb) and "xl/sharedStrings.xml" in refusal(bomb)


@override_settings(IMPORT_MAX_UNPACKED_MB=1000, IMPORT_MAX_COMPRESSION_RATIO=100_000)
def test_streamed_bomb_is_refused_for_its_cell_length_in_constant_memory(bomb):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        message = refusal(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "有单元格超过 32767 个字符" in message
    assert peak < 16 * 1024 * 1024, peak
    assert time.perf_counter() - start < 30


def test_a_directory_lying_about_sizes_is_refused():
    buffer = io.BytesIO()
    shared_string_bomb(buffer, megabytes=20, zip64=False)
    declared = SST_START.encode() + b"A" * 100
    data = lie_about_size(buffer.getvalue(), "xl/sharedStrings.xml", declared)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # zipfile alone sees 100 harmless chars
        assert archive.read("xl/sharedStrings.xml") == declared
    assert "有单元格超过 32767 个字符" in refusal(data)  # the entry is read to its real end
    with override_settings(IMPORT_MAX_COMPRESSION_RATIO=100_000, IMPORT_MAX_CELL_CHARS=100_000_000):
        assert "文件已损坏" in refusal(data)


@override_settings(IMPORT_MAX_ROWS=100)
def test_too_many_rows_counted_or_declared():
    assert "工作表超过 100 行" in refusal(many_rows())
    declared = xlsx_bytes([["x"]] * 5, dimension="A1:D5000000")
    assert "工作表超过 100 行" in refusal(declared)
    check_xlsx_upload(xlsx_bytes([["x"]] * 100))


@override_settings(IMPORT_MAX_CELL_CHARS=1000)
def test_cell_length_counts_characters_not_bytes():
    check_xlsx_upload(xlsx_bytes([["中" * 1000]]))
    assert "有单元格超过 1000 个字符" in refusal(xlsx_bytes([["中" * 1001]]))


def test_non_zip_and_damaged_files():
    assert NOT_XLSX in refusal(b"a,b\n1,2\n")
    assert NOT_XLSX in refusal(xlsx_bytes([]).replace(b"xl/workbook.xml", b"xl/workbook.xmm"))
    assert "文件已损坏" in refusal(b"PK\x03\x04" + b"\0" * 200)
    data = bytearray(xlsx_bytes([["x"]] * 50))
    data[200:400] = b"\xff" * 200  # inside the compressed sheet
    assert "文件已损坏" in refusal(bytes(data))


def test_ordinary_workbooks_pass(tmp_path):
    data = workbook_bytes(household_rows())
    check_xlsx_upload(data)
    path = tmp_path / "ok.xlsx"
    path.write_bytes(data)
    check_xlsx_upload(path)
    handle = io.BytesIO(data)
    check_xlsx_upload(handle)
    assert handle.tell() == 0  # left where a reader expects it


# ---------------------------------------------------------------- every import path

KINDS = ["bomb", "rows", "not_zip"]
EXPECTED = {"bomb": TOO_BIG, "rows": "工作表超过 100 行", "not_zip": NOT_XLSX}


@pytest.fixture
def hostile(request, bomb):
    kind = request.param
    with override_settings(IMPORT_MAX_ROWS=100):
        if kind == "bomb":
            yield kind, bomb.read_bytes()
        elif kind == "rows":
            yield kind, many_rows()
        else:
            yield kind, b"\x00\x01 not a workbook"


def run(command, path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue() + err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", KINDS, indirect=True)
def test_register_page(client, users, hostile):
    kind, data = hostile
    client.force_login(users["command"])
    households = Household.objects.count()
    response = client.post(
        reverse("households:import_create"), {"file": SimpleUploadedFile("登记表.xlsx", data)}
    )
    assert response.status_code == 200 and EXPECTED[kind] in response.content.decode()
    assert not ImportBatch.objects.exists() and Household.objects.count() == households


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", KINDS, indirect=True)
def test_register_command(tmp_path, county_layout, hostile):
    kind, data = hostile
    path = tmp_path / "登记表.xlsx"
    path.write_bytes(data)
    households = Household.objects.count()
    code, output = run("import_households", path)
    assert code == 1 and EXPECTED[kind] in output
    assert not ImportBatch.objects.exists() and Household.objects.count() == households


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", KINDS, indirect=True)
def test_ledger_page(client, users, hostile, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kind, data = hostile
    client.force_login(users["command"])
    response = client.post(
        reverse("rectification:ledger_import"), {"file": SimpleUploadedFile("台账.xlsx", data)}
    )
    assert response.status_code == 200
    assert any(EXPECTED[kind] in str(m) for m in get_messages(response.wsgi_request))
    assert "token" not in response.context and Item.objects.count() == 0
    assert not list(tmp_path.rglob("*.xlsx"))  # nothing kept for a confirmation


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", KINDS, indirect=True)
def test_ledger_command(tmp_path, hostile):
    kind, data = hostile
    path = tmp_path / "台账.xlsx"
    path.write_bytes(data)
    code, output = run("import_ledger", path)
    assert code == 1 and EXPECTED[kind] in output and Item.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", KINDS, indirect=True)
def test_categories_command(tmp_path, hostile):
    kind, data = hostile
    path = tmp_path / "类别.xlsx"
    path.write_bytes(data)
    categories = Category.objects.count()
    code, output = run("import_categories", path)
    assert code == 1 and EXPECTED[kind] in output and Category.objects.count() == categories


@pytest.mark.django_db
def test_ledger_page_shows_the_first_500_errors(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = xlsx_bytes([["编号", "问题描述"]] + [[f"N{n}", ""] for n in range(200)])  # 4 errors a row
    client.force_login(users["command"])
    response = client.post(
        reverse("rectification:ledger_import"), {"file": SimpleUploadedFile("台账.xlsx", data)}
    )
    content = response.content.decode()
    assert len(response.context["result"].errors) > 500
    assert content.count("<tr><td>") == 500 and "仅显示前 500 处错误" in content
