"""Workbooks in the national layouts, built here with openpyxl: the importer recognises the
layout by its headers and reads title rows, merged cells, reordered and unknown columns,
numbers typed as text, national code numbers and 20/22-character disability numbers."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from households.excel import parse_register
from households.models import Household, IncomeRecord, Member
from tests.factories import unique_id_number

pytestmark = pytest.mark.django_db

ROSTER_HEADERS = (
    "序号 数据日期 县(市、区、旗) 乡(镇) 行政村 自然村 户编号 "
    "人编号 姓名 证件号码 人数 与户主关系 民族 文化程度 "
    "在校生状况 健康状况 劳动技能 务工时间（月） 是否参加大病保险 致贫原因1 危房户 "
    "是否解决安全饮用水 人均纯收入 户联系电话 人联系电话 首次识别时间 人员识别时间 户类型 "
    "易返贫致贫户(监测对象)类型 风险是否消除 风险识别时间 风险消除时间 "
).split()


def roster_rows(number="4115291012010001", *, size=2, disabled_suffix=""):
    head_id = unique_id_number(datetime.date(1968, 3, 12), "1")
    wife_id = unique_id_number(datetime.date(1970, 8, 5), "2")
    people = [("罗建国", head_id + disabled_suffix, "户主"), ("潘秀兰", wife_id, "配偶")][:size]
    rows = []
    for seq, (name, id_number, relation) in enumerate(people, start=1):
        rows.append(
            {
                "数据日期": "2022-12-31",
                "县(市、区、旗)": "青山县",
                "乡(镇)": "青石镇",
                "行政村": "青石村",
                "自然村": "上湾组",
                "户编号": number,
                "人编号": f"{number}{seq:02d}",
                "姓名": name,
                "证件号码": id_number,
                "人数": str(size),  # numbers typed as text
                "与户主关系": relation,
                "民族": "汉族",
                "文化程度": "初中",
                "在校生状况": "",
                "健康状况": ("残疾" if disabled_suffix else "长期慢性病") if seq == 1 else "健康",  # 因病
                "劳动技能": "普通劳动力",
                "务工时间（月）": "6",
                "是否参加大病保险": "1",  # 是 as its code number
                "致贫原因1": "1",  # 因病 as its national code number
                "危房户": "否",
                "是否解决安全饮用水": "是",
                "人均纯收入": "8000.00",
                "户联系电话": "13900000002",
                "人联系电话": "13900000003",
                "首次识别时间": "2016-03",
                "人员识别时间": "2016-03",
                "户类型": "脱贫户",
                "易返贫致贫户(监测对象)类型": "",
                "风险是否消除": "",
                "风险识别时间": "",
                "风险消除时间": "",
            }
        )
    return rows


def roster_workbook(rows, headers=ROSTER_HEADERS, *, title="已脱贫人口名单"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["单位：青山县乡村振兴局"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    sheet.append(headers)
    for index, row in enumerate(rows, start=1):
        sheet.append([str(index) if h == "序号" else row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_households", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_roster_is_recognised_and_derives_what_it_lacks():
    register = parse_register(roster_workbook(roster_rows() + roster_rows("4115291012010002", size=1)))
    assert register.errors == []
    assert register.layout == "roster"
    assert register.reference_date == datetime.date(2022, 12, 31)
    assert "自然村" in register.columns_ignored and "人均纯收入" in register.columns_ignored
    assert "证件号码" in register.columns_read
    assert not any(w["code"] == "unknown_column" for w in register.warnings)
    first = register.households[0]
    assert first.fields["exit_status"] == "1"  # 脱贫户 = 已脱贫
    assert first.fields["household_type"] == "2"
    assert first.fields["main_cause"] == "01"  # 1 = 因病
    assert first.fields["member_count"] == 2
    assert "attribute" not in first.fields  # not in that export: left unrecorded
    head = first.members[0]
    assert head["sex"] == "1" and head["birth_date"] == datetime.date(1968, 3, 12)
    assert head["serious_illness_insurance"] is True
    assert head["phone"] == "13900000003"
    assert register.households[1].fields["member_count"] == 1


def test_roster_with_reordered_and_unknown_columns():
    headers = list(reversed(ROSTER_HEADERS)) + ["备注"]
    register = parse_register(roster_workbook(roster_rows(), headers))
    assert register.errors == [] and register.layout == "roster"
    assert [w["column"] for w in register.warnings if w["code"] == "unknown_column"] == ["备注"]
    assert "备注" in register.columns_ignored


def test_roster_imports_whole(tmp_path, county_layout):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_workbook(roster_rows() + roster_rows("4115291012010002", size=1)))
    code, out, err = run(path, "--dry-run", "--json")
    payload = json.loads(out)
    assert code == 0, err
    assert payload["layout"] == "roster" and payload["errors"] == []
    assert "自然村" in payload["columns"]["ignored"]
    code, out, err = run(path)
    assert code == 0, err
    household = Household.objects.get(number="4115291012010001")
    assert household.exit_status == "1" and household.household_type == "2"
    assert household.member_count == 2 and household.attribute == ""
    assert household.import_batch.layout == "roster"
    assert household.import_batch.data_date == datetime.date(2022, 12, 31)
    assert not IncomeRecord.objects.filter(household=household).exists()  # no income columns: none made up


def test_disability_numbers_of_20_and_22_characters(county_layout):
    rows = roster_rows(disabled_suffix="43") + roster_rows("4115291012010002", size=1, disabled_suffix="21B1")
    register = parse_register(roster_workbook(rows))
    assert register.errors == []
    first, second = (h.members[0] for h in register.households)
    assert len(first["id_number"]) == 18 and first["disability_cert"].endswith("43")
    assert (first["disability_category"], first["disability_grade"]) == ("4", "3")
    assert (second["disability_category"], second["disability_grade"]) == ("2", "1")


def test_planted_mistakes_are_reported_at_their_row_and_column():
    rows = roster_rows() + roster_rows("4115291012010002")
    rows[0]["证件号码"] = rows[0]["证件号码"] + "93"  # category 9 does not exist
    rows[1]["致贫原因1"] = "77"
    rows[2]["是否解决安全饮用水"] = "也许"
    rows[3]["与户主关系"] = "邻居"
    register = parse_register(roster_workbook(rows))
    found = {(e["row"], e["column"]) for e in register.errors}
    assert {(4, "证件号码"), (5, "致贫原因1"), (6, "是否解决安全饮用水"), (7, "与户主关系")} <= found
    messages = " ".join(e["message"] for e in register.errors)
    assert "残疾人证号末尾“93”应为残疾类别" in messages
    assert "“77”不是“致贫原因1”的有效值" in messages


def test_canonical_accepts_national_code_numbers():
    from tests.households.workbooks import household_rows, workbook_bytes

    rows = household_rows(size=2)
    for row in rows:
        row.update({"主要致贫原因": "1", "其他致贫原因": "7;9", "民族": "01", "是否享受低保": 0})
    register = parse_register(workbook_bytes(rows))
    assert register.errors == [] and register.layout == "canonical"
    household = register.households[0]
    assert household.fields["main_cause"] == "01"
    assert household.fields["other_causes"] == ["07", "09"]
    assert household.members[0]["ethnicity"] == "01"


def monitoring_rows(number="4115291012010003"):
    people = [
        ("罗建国", unique_id_number(datetime.date(1968, 3, 12), "1"), "户主", "男"),
        ("潘秀兰", unique_id_number(datetime.date(1970, 8, 5), "2"), "配偶", "女"),
    ]
    common = {
        "县": "青山县",
        "乡": "青石镇",
        "村": "青石村",
        "户编号": number,
        "户类型": "脱贫户",
        "监测对象类别": "1",
        "致贫/返贫风险1": "因病",
        "致贫/返贫风险2": "R03",
        "风险是否已消除": "是",
        "风险消除方式": "帮扶消除",
        "识别监测时间": "202203",
        "消除监测时间": "202212",
        "监测联系人": "张帮扶",
        "联系人电话": "13800000001",
        "是否危房户": "否",
        "是否解决安全饮用水": "1",
        "是否通生活用电": "1",
        "耕地面积（亩）": "3.5",
        "人均纯收入（元）": "8500.00",
        "工资性收入": "15000",
        "生产经营性收入": "2000",
        "财产性收入": "0",
        "转移性收入": "1000",
        "生产经营性支出": "1000",
        "户联系电话": "13900000002",
        "信息采集人": "李四",
        "住房面积": "120",
        "某个新列": "x",
    }
    rows = []
    for name, id_number, relation, sex in people:
        rows.append(
            {
                **common,
                "姓名": name,
                "证件号码": id_number,
                "证件类型": "居民身份证",
                "性别": sex,
                "与户主关系": relation,
                "民族": "汉族",
                "文化程度": "初中",
                "健康状况": "长期慢性病" if relation == "户主" else "健康",  # 风险：因病
                "劳动技能": "普通劳动力",
                "是否参加城乡居民基本医疗保险": "1",
                "是否参加大病保险": "1",
                "是否参加城乡居民基本养老保险": "1",
                "是否接受医疗救助": "0",
                "出生日期": "",
            }  # fmt: skip
        )
    return rows


def monitoring_workbook(rows):
    headers = list(dict.fromkeys(k for row in rows for k in row))
    headers.insert(0, "序号")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["（自定义）监测对象信息"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["导出时间：2023-06-30 10:00:00"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.append(headers)
    for index, row in enumerate(rows, start=1):
        sheet.append([str(index) if h == "序号" else row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_monitoring_export_is_recognised():
    register = parse_register(monitoring_workbook(monitoring_rows()))
    assert register.errors == [] and register.layout == "monitoring"
    assert register.reference_date == datetime.date(2023, 6, 30)
    household = register.households[0]
    assert household.case["category"] == "M1" and household.case["risks"] == ["R01", "R03"]
    assert household.case["identified_month"] == datetime.date(2022, 3, 1)
    assert household.income["wage_income"] == 15000
    assert "信息采集人" in register.columns_ignored and "某个新列" in register.columns_ignored


def test_monitoring_export_imports_cases(tmp_path, county_layout):
    from households.models import CaseState, MonitoringCase

    path = tmp_path / "monitoring.xlsx"
    path.write_bytes(monitoring_workbook(monitoring_rows()))
    code, out, err = run(path, "--json")
    assert code == 0, out + err
    assert json.loads(out)["layout"] == "monitoring"
    household = Household.objects.get(number="4115291012010003")
    case = MonitoringCase.objects.get(household=household)
    assert case.state == CaseState.RISK_ELIMINATED and case.category == "M1"
    assert case.eliminated_on == datetime.date(2022, 12, 1) and case.contact_name == "张帮扶"
    assert IncomeRecord.objects.get(household=household, year=2023).wage_income == 15000
    assert Member.objects.filter(household=household, medical_insurance=True).count() == 2
    code, out, err = run(path, "--json", "--update-existing")  # again: the same case is updated
    assert code == 0, out + err
    assert MonitoringCase.objects.filter(household=household).count() == 1


def test_monitoring_import_rolls_back_cases_and_conditions(tmp_path, county_layout):
    from households.models import CaseState, ImportBatch, LivingConditions, MonitoringCase
    from households.services.imports import import_batch_rollback

    rows = monitoring_rows()
    first = tmp_path / "first.xlsx"
    first.write_bytes(monitoring_workbook(rows))
    assert run(first)[0] == 0
    household = Household.objects.get(number="4115291012010003")
    assert LivingConditions.objects.get(household=household).housing_area == 120
    for row in rows:
        row.update({"风险是否已消除": "否", "风险消除方式": "", "消除监测时间": "", "住房面积": "90"})
    second = tmp_path / "second.xlsx"
    second.write_bytes(monitoring_workbook(rows))
    assert run(second, "--update-existing")[0] == 0
    case = MonitoringCase.objects.get(household=household)
    assert case.state == CaseState.RISK_OPEN and case.eliminated_on is None
    assert LivingConditions.objects.get(household=household).housing_area == 90

    batches = list(ImportBatch.objects.order_by("-pk"))
    import_batch_rollback(batch=batches[0], user=None)
    case.refresh_from_db()
    assert case.state == CaseState.RISK_ELIMINATED and case.eliminated_on == datetime.date(2022, 12, 1)
    assert LivingConditions.objects.get(household=household).housing_area == 120
    import_batch_rollback(batch=batches[1], user=None)
    assert not Household.objects.filter(number="4115291012010003").exists()
    assert not MonitoringCase.objects.filter(household_id=household.pk).exists()


def test_every_layout_names_each_header_once():
    from households.excel.columns import normalize_header
    from households.excel.layouts import LAYOUTS

    for layout in LAYOUTS:
        names = [normalize_header(n) for c in layout.columns for n in (c.header, *c.aliases)]
        assert len(names) == len(set(names)), layout.name


def test_monitoring_mistakes_are_reported_at_their_row_and_column():
    rows = monitoring_rows()
    rows[0]["识别监测时间"] = "2022"  # a bare year
    rows[1]["监测对象类别"] = "9"
    rows[1]["证件号码"] = rows[1]["证件号码"][:17] + ("0" if rows[1]["证件号码"][17] != "0" else "1")
    register = parse_register(monitoring_workbook(rows))
    found = {(e["row"], e["column"]) for e in register.errors}
    assert {(4, "识别监测时间"), (5, "监测对象类别"), (5, "证件号码")} <= found
    assert any("识别监测时间" in e["message"] and "年月" in e["message"] for e in register.errors)
