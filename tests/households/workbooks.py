"""Register workbooks built in code for the import tests (written with openpyxl)."""

import datetime
import io
from decimal import Decimal

import openpyxl

from households.excel import HEADERS, SHEET_NAME
from tests.factories import unique_id_number

EXPORT_LINE = "导出时间：2020-12-31 16:30:05"
MEMBERS = [  # relation, sex, name, birth
    ("户主", "男", "罗建国", datetime.date(1968, 3, 12)),
    ("配偶", "女", "潘秀兰", datetime.date(1970, 8, 5)),
    ("之子", "男", "罗小军", datetime.date(1995, 1, 9)),
    ("之女", "女", "罗小红", datetime.date(1998, 6, 1)),
    ("之孙子", "男", "罗乐乐", datetime.date(2018, 2, 2)),
]


def household_rows(
    *, number="4115291012010001", county="青山县", township="青石镇", village="青石村", size=2, **overrides
) -> list[dict]:
    """One household's rows (dicts keyed by canonical header); `overrides` apply to every row."""
    income = {"wage": Decimal("12000"), "business": Decimal("3000"), "transfer": Decimal("1500")}
    net = income["wage"] + income["business"] + income["transfer"] - Decimal("1000")
    rows = []
    for seq, (relation, sex, name, birth) in enumerate(MEMBERS[:size], start=1):
        rows.append(
            {
                "县": county,
                "乡(镇)": township,
                "行政村": village,
                "户编号": number,
                "人编号": f"{number}{seq:02d}",
                "姓名": name,
                "证件号码": unique_id_number(birth, "1" if sex == "男" else "2"),
                "与户主关系": relation,
                "性别": sex,
                "民族": "汉族",
                "文化程度": "初中" if birth.year < 2010 else "学龄前儿童",
                "在校生状况": "",
                "健康状况": "健康",
                "劳动技能": "普通劳动力" if birth.year < 2000 else "无劳动力",
                "务工状况": "乡(镇)外县内务工" if seq == 1 else "",
                "务工时间(月)": 6 if seq == 1 else 0,
                "是否参加城乡居民基本医疗保险": "是",
                "是否参加大病保险": "是",
                "是否参加城乡居民基本养老保险": "是" if birth.year < 2004 else "否",
                "是否享受低保": "否",
                "是否特困供养": "否",
                "贫困户属性": "一般贫困户",
                "主要致贫原因": "因病",
                "其他致贫原因": "缺技术;缺资金",
                "识别时间": "2016-03",
                "脱贫时间": "2019-12",
                "贫困户状态": "已脱贫",
                "家庭人口数": size,
                "耕地面积(亩)": 3.5,
                "人均纯收入(元)": float((net / size).quantize(Decimal("0.01"))),
                "工资性收入(元)": 12000,
                "生产经营性收入(元)": 3000,
                "转移性收入(元)": 1500,
                "财产性收入(元)": 0,
                "生产经营性支出(元)": 1000,
                "是否危房户": "否",
                "危房等级": "",
                "饮水是否安全": "是",
                "饮水是否困难": "否",
                "是否通生活用电": "是",
                "帮扶责任人": "张帮扶",
                "帮扶责任人联系电话": "13800000001",
                "帮扶措施": "产业帮扶;健康帮扶",
                "联系电话": "13900000002",
                **overrides,
            }
        )
    return rows


def workbook_bytes(
    rows,
    *,
    headers=None,
    title_lines=("青山县建档立卡贫困人口信息表", EXPORT_LINE),
    sheet_name=SHEET_NAME,
    cell_writer=None,
) -> bytes:
    """Rows of dicts under `headers` (default: canonical order); serial numbers filled in.

    `headers` may rename a column: a (written header, canonical key) pair.
    """
    headers = [h if isinstance(h, tuple) else (h, h) for h in (headers or HEADERS)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for line in title_lines:
        sheet.append([line])
    sheet.append([written for written, _key in headers])
    for serial, row in enumerate(rows, start=1):
        values = []
        for _written, key in headers:
            value = serial if key == "序号" else row.get(key, "")
            values.append(value)
        sheet.append(values)
        if cell_writer:
            cell_writer(sheet, sheet.max_row, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel_row_of(rows_before: int, *, title_lines: int = 2) -> int:
    """The spreadsheet row number of data row `rows_before + 1` under the header."""
    return title_lines + 1 + rows_before + 1
