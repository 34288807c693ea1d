"""Reading the register workbook: tolerated variations (REGISTER_XLSX.md §4) and every row error."""

import datetime
import io

import openpyxl
import pytest

from households.excel import HEADERS, cells, parse_register
from households.excel.columns import COLUMNS
from povertycase import excel as shared_excel
from povertycase.core import codes
from tests.households.workbooks import household_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def parse(rows, **kwargs):
    return parse_register(workbook_bytes(rows, **kwargs))


def messages(register):
    return [(e["row"], e["column"], e["message"]) for e in register.errors]


def test_canonical_file_reads_cleanly():
    register = parse(household_rows(size=3))
    assert register.errors == [] and register.warnings == []
    assert register.reference_date == datetime.date(2020, 12, 31)
    household = register.households[0]
    assert household.number == "4115291012010001" and household.head_name == "罗建国"
    assert [m["relation"] for m in household.members] == ["01", "02", "03"]
    assert household.fields["identified_month"] == datetime.date(2016, 3, 1)
    assert household.fields["exit_status"] == "1"
    assert household.measures == ["01", "05"]


def test_tolerated_variations():
    rows = household_rows(size=3)
    rows[0]["识别时间"] = rows[1]["识别时间"] = rows[2]["识别时间"] = "2016年3月"
    for row in rows:
        row["脱贫时间"] = datetime.datetime(2019, 12, 18)
        row["其他致贫原因"] = " 缺技术，缺资金、缺技术；"
        row["帮扶措施"] = "产业帮扶,健康帮扶"
        row["工资性收入(元)"] = "12,000.00"
        row["是否危房户"] = "N"
    rows[0]["务工状况"] = "乡（镇）外县内务工"
    rows[0]["姓名"] = "\u3000罗建国 "
    rows[1]["是否享受低保"] = 0
    rows[2]["是否参加大病保险"] = True
    rows[2]["证件号码"] = rows[2]["证件号码"].lower()  # ends with x or a digit; lower-case is fine
    headers = [
        ("序号", "序号"),
        ("身份证号", "证件号码"),  # reordered and aliased
        ("姓 名", "姓名"),
        ("户编号 ", "户编号"),
        ("县(市、区、旗)", "县"),
        ("乡镇", "乡(镇)"),
        ("村", "行政村"),
        ("务工时间（月）", "务工时间(月)"),
        ("人均纯收入 (元)", "人均纯收入(元)"),
        ("备注", "备注"),
        *[(h, h) for h in HEADERS if h not in {"序号", "证件号码", "姓名", "户编号", "县", "乡(镇)", "行政村",
                                                "务工时间(月)", "人均纯收入(元)"}],
    ]  # fmt: skip
    register = parse(
        rows, headers=headers, title_lines=("青山县建档立卡贫困人口信息表", "", "导出时间：2020-12-31")
    )
    assert register.errors == []
    assert [w["message"] for w in register.warnings] == ["忽略未知列“备注”（第10列）"]
    household = register.households[0]
    assert household.fields["identified_month"] == datetime.date(2016, 3, 1)
    assert household.fields["exit_month"] == datetime.date(2019, 12, 1)
    assert household.fields["other_causes"] == ["07", "09"]
    assert household.fields["is_dangerous_house"] is False
    assert household.income["wage_income"] == 12000
    head = household.members[0]
    assert head["name"] == "罗建国" and head["work_status"] == "2" and head["work_months"] == 6
    assert (
        household.members[1]["dibao"] is False and household.members[2]["serious_illness_insurance"] is True
    )


@pytest.mark.parametrize(
    "value", ["2019-05", "2019-5", "2019/05", "2019.05", "2019年05月", "2019年5月", "201905", 201905, 2019.05]
)
def test_month_formats(value):
    assert cells.month(value, "识别时间") == datetime.date(2019, 5, 1)


@pytest.mark.parametrize("value", ["2019", 2019, "2019-13", "05/2019", "去年"])
def test_bad_months(value):
    with pytest.raises(cells.CellError, match="不是有效的年月"):
        cells.month(value, "识别时间")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        (0.0, False),
        (True, True),
        ("", None),
    ],
)
def test_yes_no(value, expected):
    assert cells.yes_no(value, "是否享受低保") is expected


def test_code_lookup_agrees_with_codes_lookup():
    maps = cells.CodeMaps()
    for column in COLUMNS:
        if column.code_list:
            for label in codes.labels(column.code_list, register_only=True):
                found = maps.code(label, column.header, column.code_list)
                assert found == codes.lookup(column.code_list, label, register_only=True)


def test_blank_rows_and_serial_only_rows_are_skipped():
    rows = household_rows(size=2) + [{"序号": 99}, {}] + household_rows(number="4115291012010002", size=2)
    register = parse(rows)
    assert register.errors == [] and register.total_rows == 4 and len(register.households) == 2


def test_missing_reference_date_warns():
    register = parse(household_rows(), title_lines=("青山县建档立卡贫困人口信息表",))
    assert register.errors == []
    assert register.warnings[0]["message"] == "第2行没有导出时间，年龄按今天计算"
    assert register.reference_date == datetime.date.today() or register.reference_date


def test_no_header_row_rejects_the_file():
    register = parse(household_rows(), headers=[(h.replace("户编号", "户号"), h) for h in HEADERS])
    assert [e["message"] for e in register.errors] == ["未找到表头行（需包含“户编号”“姓名”“证件号码”）"]


def test_missing_required_columns_reject_the_file():
    headers = [h for h in HEADERS if h not in ("贫困户属性", "家庭人口数")]
    register = parse(household_rows(), headers=headers)
    assert [e["message"] for e in register.errors] == ["缺少必需列：贫困户属性、家庭人口数"]


def test_missing_optional_column_warns():
    register = parse(household_rows(), headers=[h for h in HEADERS if h != "民族"])
    assert register.errors == []
    assert [w["message"] for w in register.warnings] == ["缺少列“民族”，该项留空"]


def test_duplicate_column_mapping_rejects_the_file():
    headers = [*HEADERS, ("身份证号码", "证件号码")]
    register = parse(household_rows(), headers=headers)
    assert [e["message"] for e in register.errors] == ["列“证件号码”重复出现（第8列和第46列）"]


def test_id_number_typed_as_a_number_is_a_row_error():
    rows = household_rows()
    rows[1]["证件号码"] = (
        int(rows[1]["证件号码"][:17] + "1") if rows[1]["证件号码"][-1] != "X" else 41152919700805002
    )
    register = parse(rows)
    assert messages(register) == [(5, "证件号码", "证件号码必须以文本格式填写")]
    assert register.errors[0]["value"].endswith("000")  # shown as Excel shows it: 15 digits


def test_identifiers_typed_as_numbers():
    rows = household_rows(size=1)
    rows[0]["人编号"] = 411529101201000101  # 18 digits: Excel lost the last ones
    rows[0]["联系电话"] = 13900000002  # 11 digits: fine
    register = parse(rows)
    assert messages(register) == [(4, "人编号", "“人编号”必须以文本格式填写")]
    assert register.households[0].fields["phone"] == "13900000002"


def test_formulas_and_error_values_are_row_errors():
    def add_formulas(sheet, row_number, row):
        if row["与户主关系"] == "户主":
            sheet.cell(row=row_number, column=7, value='=HYPERLINK("http://x","罗建国")')
            sheet.cell(row=row_number, column=42, value="#N/A")

    register = parse(household_rows(), cell_writer=add_formulas)
    assert messages(register) == [
        (4, "姓名", "第4行“姓名”含有公式，请粘贴为数值后重新导入"),
        (4, "帮扶责任人", "第4行“帮扶责任人”含有公式，请粘贴为数值后重新导入"),
    ]


def test_real_formula_cell_is_detected_from_the_sheet_xml():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"] = "=1+1"
    sheet["C3"] = "text"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert shared_excel.formula_cells(buffer.getvalue(), sheet.title) == {(3, 1)}


def test_bad_cells_collect_every_error_sorted():
    rows = household_rows(size=3)
    rows[0]["证件号码"] = "41152919680312001"
    rows[1]["民族"] = "火星族"
    rows[1]["是否享受低保"] = "也许"
    rows[2]["耕地面积(亩)"] = -2
    rows[2]["务工时间(月)"] = 2.5
    rows[2]["其他致贫原因"] = "缺技术;没钱"
    rows[1]["姓名"] = "潘"
    register = parse(rows)
    got = messages(register)
    assert got[0] == (4, "证件号码", "证件号码有误：证件号码应为18位（现为17位）")
    assert (
        5,
        "民族",
        "“火星族”不是“民族”的有效值，可选值：" + "、".join(codes.labels("ethnicity", register_only=True)),
    ) in got
    assert (5, "是否享受低保", "“是否享受低保”应填“是”或“否”") in got
    assert (5, "姓名", "“姓名”应为 2–20 个字") in got
    assert (6, "务工时间(月)", "“务工时间(月)”应为整数") in got
    assert (6, "耕地面积(亩)", "“耕地面积(亩)”不能为负数") in got
    assert any(
        r == 6 and c == "其他致贫原因" and m.startswith("“没钱”不是“其他致贫原因”的有效值") for r, c, m in got
    )
    assert [(r, c) for r, c, _m in got] == sorted((r, c) for r, c, _m in got)


def test_household_checks():
    rows = household_rows(size=3) + household_rows(number="4115291012010002", size=2)
    rows[1]["贫困户属性"] = "低保贫困户"  # disagrees with row 4
    rows[2]["与户主关系"] = "户主"  # a second head
    rows[3]["家庭人口数"] = rows[4]["家庭人口数"] = 3
    rows[4]["证件号码"] = rows[0]["证件号码"]
    rows[3]["性别"] = "女"
    register = parse(rows)
    got = messages(register)
    assert (5, "贫困户属性", "“贫困户属性”与同户（4115291012010001）第4行不一致") in got
    assert (6, "与户主关系", "户 4115291012010001 有多个户主") in got
    assert (7, "家庭人口数", "“家庭人口数”为 3，但该户有 2 行") in got
    assert (8, "证件号码", "证件号码与第4行重复") in got
    assert (7, "性别", "“性别”与证件号码不符") in got


def test_household_without_head():
    rows = household_rows(size=2)
    rows[0]["与户主关系"] = "之兄弟姐妹"
    assert messages(parse(rows)) == [(4, "与户主关系", "户 4115291012010001 没有户主")]


def test_per_capita_income_checked_against_computed():
    rows = household_rows(size=2, **{"人均纯收入(元)": 7751.0})
    assert messages(parse(rows)) == []  # within 1 yuan of 7750
    rows = household_rows(size=2, **{"人均纯收入(元)": 8000})
    assert messages(parse(rows)) == [(4, "人均纯收入(元)", "“人均纯收入”8000.00 与计算值 7750.00 不符")]


def test_empty_required_cells():
    rows = household_rows(size=1)
    rows[0]["贫困户属性"] = ""
    assert messages(parse(rows)) == [(4, "贫困户属性", "“贫困户属性”不能为空")]


def test_person_number_must_extend_household_number():
    rows = household_rows(size=1)
    rows[0]["人编号"] = "123"
    assert messages(parse(rows)) == [(4, "人编号", "人编号应为户编号加两位序号")]


def test_sheet_named_for_the_register_is_preferred():
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(household_rows())))
    workbook.create_sheet("说明", 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert parse_register(buffer.getvalue()).errors == []


def test_first_sheet_used_when_no_sheet_has_the_name():
    register = parse(household_rows(), sheet_name="Sheet1")
    assert register.errors == [] and len(register.households) == 1


def test_not_a_workbook():
    assert [e["code"] for e in parse_register(b"hello").errors] == ["not_xlsx"]


def test_writer_escapes_formulas_and_writes_text_identifiers(tmp_path):
    target = tmp_path / "out.xlsx"
    columns = [shared_excel.Column("证件号码", 20), shared_excel.Column("金额", 10, "money")]
    shared_excel.write_sheet(
        target,
        sheet_name="表",
        columns=columns,
        rows=[["=1+1", 12.5], ["411529196803120011", None]],
        title_lines=["标题"],
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A3"].value == "'=1+1" and sheet["A4"].value == "411529196803120011"
    assert sheet["B3"].value == 12.5
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:B4"
    assert "A1:B1" in [str(r) for r in sheet.merged_cells.ranges]


def test_errors_workbook_marks_bad_cells(tmp_path):
    target = tmp_path / "errors.xlsx"
    shared_excel.write_errors_workbook(
        target,
        headers=["姓名", "证件号码"],
        rows=[(5, ["罗建国", 4.1e17], [(1, "证件号码必须以文本格式填写")])],
    )
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[2]] == [5, "罗建国", "410000000000000000", "证件号码必须以文本格式填写"]
    assert sheet["C2"].fill.fgColor.rgb.endswith("F8CBAD")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("户编号", "4115-2910", "“户编号”只能包含数字"),
        ("户编号", 4115291012010001.0, "“户编号”必须以文本格式填写"),
        ("联系电话", "打电话", "“联系电话”不是有效的电话号码"),
        ("帮扶责任人联系电话", 12345678901234567.0, "“帮扶责任人联系电话”必须以文本格式填写"),
        ("耕地面积(亩)", "三亩", "“耕地面积(亩)”应为数字"),
        ("工资性收入(元)", "-5", "“工资性收入(元)”不能为负数"),
        ("姓名", "+罗建国", "“姓名”不能以 = + - @ 开头"),
        ("姓名", "=罗建国", "第4行“姓名”含有公式，请粘贴为数值后重新导入"),
        ("证件号码", "411529196803120010", "证件号码有误：证件号码校验位错误"),
        ("证件号码", "411529196802300011", "证件号码有误：证件号码中的出生日期不是有效日期"),
        ("证件号码", "41152919680312001A", "证件号码有误：证件号码只能包含数字，最后一位可为X"),
        ("证件号码", "411529203003120011", "证件号码有误：证件号码中的出生日期不合理"),
    ],
)
def test_cell_rejections(column, value, message):
    rows = household_rows(size=1)
    rows[0][column] = value
    got = [(e["row"], e["column"], e["message"]) for e in parse(rows).errors]
    assert (4, column, message) in got


def test_lower_case_x_is_upper_cased():
    from tests.factories import unique_id_number

    while True:
        number = unique_id_number(datetime.date(1968, 3, 12))
        if number.endswith("X"):
            break
    rows = household_rows(size=1)
    rows[0]["证件号码"] = number.lower()
    register = parse(rows)
    assert register.errors == [] and register.households[0].members[0]["id_number"] == number
