"""Export of the register in the import layout; round trip; bounded queries."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from households.excel import HEADERS, write_register, write_template
from households.models import Household, ImportBatch
from households.services.imports import import_batch_apply, import_batch_create, import_batch_validate
from tests.factories import (
    HouseholdFactory,
    IncomeRecordFactory,
    MemberFactory,
    VillageFactory,
    unique_id_number,
)
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db
EXPORTED_AT = datetime.datetime(2020, 12, 31, 16, 30, 5)


def export(households) -> bytes:
    buffer = io.BytesIO()
    write_register(households, buffer, title_county="青山县", exported_at=EXPORTED_AT)
    return buffer.getvalue()


def values(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def import_file(data: bytes, user=None, **options):
    batch = import_batch_create(user=user, uploaded_file=SimpleUploadedFile("r.xlsx", data), **options)
    import_batch_validate(batch=batch)
    assert batch.status == ImportBatch.Status.VALID, batch.errors
    import_batch_apply(batch=batch, user=user)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    return batch


def test_layout(county_layout):
    rows = household_rows(size=3)
    import_file(workbook_bytes(rows))
    data = export(Household.objects.filter(number="4115291012010001"))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["建档立卡贫困人口"]
    assert sheet["A1"].value == "青山县建档立卡贫困人口信息表"
    assert sheet["A2"].value == "导出时间：2020-12-31 16:30:05"
    assert [c.value for c in sheet[3]] == HEADERS
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:AS6"
    head = dict(zip(HEADERS, [c.value for c in sheet[4]], strict=True))
    assert (
        head["序号"] == 1 and head["户编号"] == "4115291012010001" and head["人编号"] == "411529101201000101"
    )
    assert head["证件号码"] == rows[0]["证件号码"] and sheet.cell(4, 8).data_type == "s"
    assert head["与户主关系"] == "户主" and head["性别"] == "男" and head["贫困户状态"] == "已脱贫"
    assert head["识别时间"] == "2016-03" and head["脱贫时间"] == "2019-12"
    assert head["其他致贫原因"] == "缺技术;缺资金" and head["帮扶措施"] == "产业帮扶;健康帮扶"
    assert head["人均纯收入(元)"] == pytest.approx(5166.67) and head["家庭人口数"] == 3
    assert head["是否享受低保"] == "否" and head["联系电话"] == "13900000002"
    assert [sheet.cell(r, 9).value for r in (4, 5, 6)] == ["户主", "配偶", "之子"]


def test_formula_like_text_is_escaped(county_layout):
    household = HouseholdFactory(helper_name="=HYPERLINK(1)", phone="+8613900000000")
    MemberFactory(household=household)
    row = values(export(Household.objects.filter(pk=household.pk)))[3]
    assert row[HEADERS.index("帮扶责任人")] == "'=HYPERLINK(1)"
    assert row[HEADERS.index("联系电话")] == "'+8613900000000"


def test_round_trip(county_layout):
    rows = household_rows(size=3) + household_rows(number="4115291012010002", size=5, 联系电话="")
    rows[3]["危房等级"] = ""
    import_file(workbook_bytes(rows))
    queryset = Household.objects.filter(number__startswith="41152910120100")
    first = export(queryset)
    import_file(first, update_existing=True)
    second = export(queryset)
    assert values(first) == values(second)
    assert len(values(first)) == 3 + 8


def test_items_outside_the_workbook_export_as_their_category_and_import_again(county_layout):
    import_file(workbook_bytes(household_rows(size=3)))
    household = Household.objects.get(number="4115291012010001")
    household.measures.create(category="A05", item="13", year=2099)  # 雨露计划, newest year
    data = export(Household.objects.filter(pk=household.pk))
    head = dict(zip(HEADERS, values(data)[3], strict=True))
    assert head["帮扶措施"] == "教育帮扶"
    import_file(data, update_existing=True)


def test_template_has_titles_and_headers(tmp_path):
    target = tmp_path / "t.xlsx"
    write_template(target, title_county="青山县", exported_at=EXPORTED_AT)
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "青山县建档立卡贫困人口信息表" and [c.value for c in sheet[3]] == HEADERS


def _households(n, village):
    for _ in range(n):
        household = HouseholdFactory(village=village)
        MemberFactory(household=household)
        MemberFactory(household=household, relation="02", sex="2", id_number=unique_id_number(sex="2"))
        IncomeRecordFactory(household=household, member_count_used=2)


def test_query_count_does_not_grow_with_households(django_assert_max_num_queries, county_layout):
    village = VillageFactory()
    _households(5, village)
    with django_assert_max_num_queries(12):
        export(Household.objects.all())
    _households(30, village)
    with django_assert_max_num_queries(12):
        rows = write_register(
            Household.objects.all(),
            io.BytesIO(),
            title_county="青山县",
            exported_at=datetime.datetime(2020, 12, 31, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
    assert rows == 70


def test_export_command(county_layout, tmp_path):
    from django.core.management import call_command

    import_file(workbook_bytes(household_rows(size=2)))
    target = tmp_path / "out.xlsx"
    call_command("export_households", str(target), "--township", "青石镇", stdout=io.StringIO())
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == 3 + 2  # households without members have no rows
    from povertycase.core.models import ExportLog

    log = ExportLog.objects.get(kind="households_command")
    assert (log.row_count, log.filters["township"]) == (2, "青石镇")


def test_export_command_unknown_township(county_layout, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="不存在"):
        call_command("export_households", str(tmp_path / "x.xlsx"), "--township", "无此镇")
