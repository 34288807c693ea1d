"""The 45 columns of the register workbook (REGISTER_XLSX.md §3) and header matching."""

import re
import unicodedata
from dataclasses import dataclass

SHEET_NAME = "建档立卡贫困人口"
HOUSEHOLD, PERSON = "户", "人"


@dataclass(frozen=True)
class RegisterColumn:
    header: str
    key: str
    scope: str  # HOUSEHOLD or PERSON
    kind: str  # text name ident id code codes int month yn dec1 money phone date ignore
    code_list: str = ""
    aliases: tuple[str, ...] = ()
    width: float = 10


def _yn(header, key):
    return RegisterColumn(header, key, PERSON, "yn", width=12)


def _money(header, key):
    return RegisterColumn(header, key, HOUSEHOLD, "money", aliases=(header.removesuffix("(元)"),), width=12)


COLUMNS = [
    RegisterColumn("序号", "seq", PERSON, "int", width=6),
    RegisterColumn("县", "county", HOUSEHOLD, "text", aliases=("县(市、区、旗)",)),
    RegisterColumn("乡(镇)", "township", HOUSEHOLD, "text", aliases=("乡", "乡镇")),
    RegisterColumn("行政村", "village", HOUSEHOLD, "text", aliases=("村",)),
    RegisterColumn("户编号", "number", HOUSEHOLD, "ident", width=18),
    RegisterColumn("人编号", "person_number", PERSON, "ident", width=20),
    RegisterColumn("姓名", "name", PERSON, "name", width=10),
    RegisterColumn("证件号码", "id_number", PERSON, "id", aliases=("身份证号", "身份证号码"), width=20),
    RegisterColumn("与户主关系", "relation", PERSON, "code", "relation"),
    RegisterColumn("性别", "sex", PERSON, "code", "sex", width=6),
    RegisterColumn("民族", "ethnicity", PERSON, "code", "ethnicity", width=8),
    RegisterColumn("文化程度", "education", PERSON, "code", "education"),
    RegisterColumn("在校生状况", "student_status", PERSON, "code", "student_status"),
    RegisterColumn("健康状况", "health", PERSON, "code", "health"),
    RegisterColumn("劳动技能", "labour", PERSON, "code", "labour", width=14),
    RegisterColumn("务工状况", "work_status", PERSON, "code", "work_status", width=14),
    RegisterColumn("务工时间(月)", "work_months", PERSON, "int", aliases=("务工时间", "务工月数")),
    _yn("是否参加城乡居民基本医疗保险", "medical_insurance"),
    _yn("是否参加大病保险", "serious_illness_insurance"),
    _yn("是否参加城乡居民基本养老保险", "pension_insurance"),
    _yn("是否享受低保", "dibao"),
    _yn("是否特困供养", "tekun"),
    RegisterColumn("贫困户属性", "attribute", HOUSEHOLD, "code", "attribute", width=14),
    RegisterColumn("主要致贫原因", "main_cause", HOUSEHOLD, "code", "poverty_cause", width=12),
    RegisterColumn("其他致贫原因", "other_causes", HOUSEHOLD, "codes", "poverty_cause", width=16),
    RegisterColumn("识别时间", "identified_month", HOUSEHOLD, "month", aliases=("识别年月",)),
    RegisterColumn("脱贫时间", "exit_month", HOUSEHOLD, "month", aliases=("脱贫年月",)),
    RegisterColumn("贫困户状态", "exit_status", HOUSEHOLD, "code", "exit_status"),
    RegisterColumn("家庭人口数", "member_count", HOUSEHOLD, "int"),
    RegisterColumn("耕地面积(亩)", "farmland_area", HOUSEHOLD, "dec1", aliases=("耕地面积",)),
    _money("人均纯收入(元)", "per_capita_income"),
    _money("工资性收入(元)", "wage_income"),
    _money("生产经营性收入(元)", "business_income"),
    _money("转移性收入(元)", "transfer_income"),
    _money("财产性收入(元)", "property_income"),
    _money("生产经营性支出(元)", "business_expense"),
    RegisterColumn("是否危房户", "is_dangerous_house", HOUSEHOLD, "yn"),
    RegisterColumn("危房等级", "housing_grade", HOUSEHOLD, "code", "housing_grade"),
    RegisterColumn("饮水是否安全", "water_safe", HOUSEHOLD, "yn"),
    RegisterColumn("饮水是否困难", "water_difficult", HOUSEHOLD, "yn"),
    RegisterColumn("是否通生活用电", "has_electricity", HOUSEHOLD, "yn"),
    RegisterColumn("帮扶责任人", "helper_name", HOUSEHOLD, "text"),
    RegisterColumn("帮扶责任人联系电话", "helper_phone", HOUSEHOLD, "phone", width=16),
    RegisterColumn("帮扶措施", "measures", HOUSEHOLD, "codes", "measure_item", width=24),
    RegisterColumn("联系电话", "phone", HOUSEHOLD, "phone", width=14),
]
BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]
REQUIRED = [
    "county",
    "township",
    "village",
    "number",
    "name",
    "id_number",
    "relation",
    "sex",
    "attribute",
    "exit_status",
    "member_count",
]
HEADER_MARKERS = ("户编号", "姓名", "证件号码")
INCOME_KEYS = ["wage_income", "business_income", "transfer_income", "property_income", "business_expense"]

_WHITESPACE = re.compile(r"\s+")


def normalize_header(text) -> str:
    """NFKC (full-width brackets and digits to half-width), then no whitespace at all."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", str(text or "")))


NAME_TO_KEY = {
    normalize_header(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)
}


def is_header_row(cells) -> bool:
    """Has 户编号, 姓名 and 证件号码 (or one of its aliases)."""
    keys = {NAME_TO_KEY.get(normalize_header(c)) for c in cells if isinstance(c, str)}
    return {"number", "name", "id_number"} <= keys
