"""The workbook layouts the importer knows, each declared once as data.

A layout is its columns (header, aliases, field key, 户/人 scope, kind), which of them are
required, and how a field the layout lacks is derived. The reader picks the layout whose
names match most of the header row and has no branch per layout.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS, HOUSEHOLD, PERSON, REQUIRED, RegisterColumn, normalize_header

C = RegisterColumn


def _ignored(*headers):
    return [C(h, f"_ignored:{h}", PERSON, "ignore") for h in headers]


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    columns: tuple[RegisterColumn, ...]
    required: tuple[str, ...]
    # key of a field the layout may lack -> (derivation, explanation for the dry run)
    derived: dict = field(default_factory=dict)
    # key of a column holding the data's as-of date, read from the first data row
    date_column: str = ""

    @property
    def by_key(self) -> dict[str, RegisterColumn]:
        return {c.key: c for c in self.columns}

    @property
    def name_to_key(self) -> dict[str, str]:
        return {normalize_header(n): c.key for c in self.columns for n in (c.header, *c.aliases)}

    def match_count(self, headers) -> int:
        names = self.name_to_key
        return sum(1 for h in headers if h in names)


FROM_ID = ("from_id", _("taken from the ID number"))
FROM_ROWS = ("row_count", _("counted from the household's rows"))
FROM_TYPE = ("from_household_type", _("derived from 户类型 (脱贫户 = 已脱贫)"))

CANONICAL = Layout(
    name="canonical",
    label=_("Register workbook (建档立卡贫困人口信息表)"),
    columns=tuple(COLUMNS),
    required=tuple(REQUIRED),
)

ROSTER = Layout(
    name="roster",
    label=_("National roster (已脱贫人口名单 / 边缘易致贫人口名单)"),
    columns=(
        C("序号", "seq", PERSON, "int"),
        C("数据日期", "data_date", PERSON, "date"),
        C("县(市、区、旗)", "county", HOUSEHOLD, "text", aliases=("县",)),
        C("乡(镇)", "township", HOUSEHOLD, "text", aliases=("乡", "乡镇")),
        C("行政村", "village", HOUSEHOLD, "text", aliases=("村",)),
        C("户编号", "number", HOUSEHOLD, "ident"),
        C("人编号", "person_number", PERSON, "ident"),
        C("姓名", "name", PERSON, "name"),
        C("证件号码", "id_number", PERSON, "id", aliases=("身份证号", "身份证号码")),
        C("人数", "member_count", HOUSEHOLD, "int", aliases=("家庭人口数",)),
        C("与户主关系", "relation", PERSON, "code", "relation"),
        C("民族", "ethnicity", PERSON, "code", "ethnicity"),
        C("文化程度", "education", PERSON, "code", "education"),
        C("在校生状况", "student_status", PERSON, "code", "student_status"),
        C("健康状况", "health", PERSON, "code", "health"),
        C("劳动技能", "labour", PERSON, "code", "labour"),
        C("务工时间(月)", "work_months", PERSON, "int", aliases=("务工时间", "务工月数")),
        C("是否参加大病保险", "serious_illness_insurance", PERSON, "yn"),
        C("致贫原因1", "main_cause", HOUSEHOLD, "code", "poverty_cause", aliases=("主要致贫原因",)),
        C("危房户", "is_dangerous_house", HOUSEHOLD, "yn", aliases=("是否危房户",)),
        C("是否解决安全饮用水", "water_safe", HOUSEHOLD, "yn"),
        C("户联系电话", "phone", HOUSEHOLD, "phone"),
        C("人联系电话", "member_phone", PERSON, "phone"),
        C("首次识别时间", "identified_month", HOUSEHOLD, "month"),
        C("户类型", "household_type", HOUSEHOLD, "code", "household_type"),
        C("易返贫致贫户(监测对象)类型", "case_category", HOUSEHOLD, "code", "monitor_category"),
        C("风险是否消除", "case_eliminated", HOUSEHOLD, "yn", aliases=("风险是否已消除",)),
        C("风险识别时间", "case_identified_month", HOUSEHOLD, "day"),
        C("风险消除时间", "case_eliminated_month", HOUSEHOLD, "day"),
        *_ignored("自然村", "人均纯收入", "人员识别时间"),
    ),
    required=("county", "township", "village", "number", "name", "id_number", "relation"),
    derived={"sex": FROM_ID, "member_count": FROM_ROWS, "exit_status": FROM_TYPE},
    date_column="data_date",
)


def _risk(n):
    return C(f"致贫/返贫风险{n}", f"case_risk{n}", HOUSEHOLD, "code", "monitor_risk", aliases=(f"风险{n}",))


MONITORING = Layout(
    name="monitoring",
    label=_("Monitoring export (（自定义）监测对象信息)"),
    columns=(
        C("序号", "seq", PERSON, "int"),
        C("县", "county", HOUSEHOLD, "text", aliases=("县(市、区、旗)",)),
        C("乡", "township", HOUSEHOLD, "text", aliases=("乡(镇)", "乡镇")),
        C("村", "village", HOUSEHOLD, "text", aliases=("行政村",)),
        C("户编号", "number", HOUSEHOLD, "ident"),
        C("人编号", "person_number", PERSON, "ident"),
        C("姓名", "name", PERSON, "name"),
        C("证件号码", "id_number", PERSON, "id"),
        C("证件类型", "id_type", PERSON, "code", "id_type"),
        C("性别", "sex", PERSON, "code", "sex"),
        C("与户主关系", "relation", PERSON, "code", "relation"),
        C("民族", "ethnicity", PERSON, "code", "ethnicity"),
        C("文化程度", "education", PERSON, "code", "education"),
        C("在校生状况", "student_status", PERSON, "code", "student_status"),
        C("健康状况", "health", PERSON, "code", "health"),
        C("劳动技能", "labour", PERSON, "code", "labour"),
        C("户类型", "household_type", HOUSEHOLD, "code", "household_type"),
        C("监测对象类别", "case_category", HOUSEHOLD, "code", "monitor_category"),
        *(_risk(n) for n in range(1, 6)),
        C("风险是否已消除", "case_eliminated", HOUSEHOLD, "yn", aliases=("风险是否消除",)),
        C("风险消除方式", "case_method", HOUSEHOLD, "code", "elimination_method"),
        C("识别监测时间", "case_identified_month", HOUSEHOLD, "month"),
        C("消除监测时间", "case_eliminated_month", HOUSEHOLD, "month"),
        C("监测联系人", "case_contact_name", HOUSEHOLD, "text"),
        C("联系人电话", "case_contact_phone", HOUSEHOLD, "phone"),
        C("是否参加城乡居民基本医疗保险", "medical_insurance", PERSON, "yn"),
        C("是否参加大病保险", "serious_illness_insurance", PERSON, "yn"),
        C("是否参加城乡居民基本养老保险", "pension_insurance", PERSON, "yn"),
        C("是否接受医疗救助", "medical_aid", PERSON, "yn"),
        C("是否危房户", "is_dangerous_house", HOUSEHOLD, "yn"),
        C("是否解决安全饮用水", "water_safe", HOUSEHOLD, "yn"),
        C("是否通生活用电", "has_electricity", HOUSEHOLD, "yn"),
        C("耕地面积(亩)", "farmland_area", HOUSEHOLD, "dec1"),
        C("人均纯收入(元)", "per_capita_income", HOUSEHOLD, "money"),
        C("工资性收入", "wage_income", HOUSEHOLD, "money"),
        C("生产经营性收入", "business_income", HOUSEHOLD, "money"),
        C("财产性收入", "property_income", HOUSEHOLD, "money"),
        C("转移性收入", "transfer_income", HOUSEHOLD, "money"),
        C("生产经营性支出", "business_expense", HOUSEHOLD, "money"),
        C("户联系电话", "phone", HOUSEHOLD, "phone"),
        C("家庭成员联系电话", "member_phone", PERSON, "phone"),
        C("住房面积", "cond_housing_area", HOUSEHOLD, "dec1"),
        C("林地面积(亩)", "cond_forest_area", HOUSEHOLD, "dec1"),
        C("退耕还林面积(亩)", "cond_returned_forest_area", HOUSEHOLD, "dec1"),
        C("林果面积(亩)", "cond_orchard_area", HOUSEHOLD, "dec1"),
        C("牧草地面积", "cond_pasture_area", HOUSEHOLD, "dec1", aliases=("牧草地面积(亩)",)),
        C("水面面积", "cond_water_surface_area", HOUSEHOLD, "dec1", aliases=("水面面积(亩)",)),
        C("是否有卫生厕所", "cond_sanitary_toilet", HOUSEHOLD, "yn"),
        C("与村主干路距离", "cond_road_distance_km", HOUSEHOLD, "money", aliases=("与村主干路距离(公里)",)),
        # Carried by the export, with no field (or no check or page needing one) here.
        *_ignored(
            "出生日期",
            "是否参加城镇职工基本医疗保险",
            "是否参加城镇职工基本养老保险",
            "享受低保政策情况",
            "享受特困供养政策情况",
            "整户无劳动能力兜底保障户",
            "入户道路是否硬化",
            "合规自付支出",
            "产业帮扶",
            "就业帮扶",
            "金融帮扶",
            "公益岗位帮扶",
            "公益性岗位(月数)",
            "综合保障",
            "社会帮扶",
            "义务教育保障",
            "健康帮扶",
            "教育帮扶",
            "住房安全保障",
            "饮水安全保障",
            "搬迁",
            "实施开发式帮扶措施情况",
            "务工所在地",
            "信息采集人",
        ),  # fmt: skip
    ),
    required=("county", "township", "village", "number", "name", "id_number", "relation"),
    derived={"member_count": FROM_ROWS, "exit_status": FROM_TYPE},
)

LAYOUTS = (CANONICAL, ROSTER, MONITORING)
BY_NAME = {layout.name: layout for layout in LAYOUTS}

# Any layout's header name -> key: finds the header row and maps error columns back.
ALL_NAME_TO_KEY: dict[str, str] = {}
for _layout in reversed(LAYOUTS):
    ALL_NAME_TO_KEY.update(_layout.name_to_key)
HEADER_KEYS = {"number", "name", "id_number"}


def is_header_row(cells) -> bool:
    keys = {ALL_NAME_TO_KEY.get(normalize_header(c)) for c in cells if isinstance(c, str)}
    return HEADER_KEYS <= keys


def recognise(header_cells) -> Layout:
    """The layout naming most of the headers; the earlier one on a tie."""
    headers = [normalize_header(c) for c in header_cells if isinstance(c, str)]
    return max(LAYOUTS, key=lambda layout: (layout.match_count(headers), -LAYOUTS.index(layout)))
