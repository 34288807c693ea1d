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
        *_ignored(
            "自然村",
            "人均纯收入",
            "人员识别时间",
            "易返贫致贫户(监测对象)类型",
            "风险是否消除",
            "风险识别时间",
            "风险消除时间",
        ),
    ),
    required=("county", "township", "village", "number", "name", "id_number", "relation"),
    derived={"sex": FROM_ID, "member_count": FROM_ROWS, "exit_status": FROM_TYPE},
    date_column="data_date",
)

LAYOUTS = (CANONICAL, ROSTER)
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
