"""Default code lists and parameters of the funds ledger (DOMAIN.md §10.1), loaded by a data migration.

Project types carry `group` (the family the ranking and pages group by) and `household: True`
for 到户类 types, whose funds must be reimbursed by the county deadline.
"""

from decimal import Decimal

FUND_SOURCES = [
    ("11", "中央财政专项扶贫资金"),
    ("12", "省级财政专项扶贫资金"),
    ("13", "市级财政专项扶贫资金"),
    ("14", "县级财政专项扶贫资金"),
    ("20", "统筹整合涉农资金"),
    ("30", "东西部协作资金"),
    ("40", "定点帮扶资金"),
    ("50", "社会捐赠资金"),
    ("60", "金融扶贫（小额信贷贴息）"),
]

PROJECT_TYPES = [
    ("11", "基础设施（道路）", {"group": "基础设施"}),
    ("12", "基础设施（饮水）", {"group": "基础设施"}),
    ("13", "基础设施（住房）", {"group": "基础设施"}),
    ("14", "基础设施（人居环境）", {"group": "基础设施"}),
    ("20", "产业发展", {"group": "产业"}),
    ("31", "五小庭院经济", {"group": "到户类", "household": True}),
    ("32", "小额信贷贴息", {"group": "到户类", "household": True}),
    ("33", "危房改造", {"group": "到户类", "household": True}),
    ("40", "就业扶贫", {"group": "就业"}),
    ("50", "教育扶贫", {"group": "教育"}),
    ("99", "其他", {"group": "其他"}),
]

CODE_LISTS = {"fund_source": FUND_SOURCES, "fund_project_type": PROJECT_TYPES}

# (name, year, value, unit, source). The year's spending target has no default: empty until set.
# Deadlines are month*100 + day of the project year.
PARAMETERS = [
    ("funds_bank_clearing_day", None, 1222, "月日", "s000"),
    ("funds_reimbursement_day", None, 1225, "月日", "s000"),
]


def load(CodeList, Parameter) -> None:
    for list_name, items in CODE_LISTS.items():
        for sort, (code, label, *rest) in enumerate(items, start=1):
            CodeList.objects.get_or_create(
                list=list_name,
                code=code,
                defaults={"label_zh": label, "sort": sort, "extra": rest[0] if rest else {}},
            )
    for name, year, value, unit, source in PARAMETERS:
        Parameter.objects.get_or_create(
            name=name,
            year=year,
            region_code="",
            defaults={"value": Decimal(value), "unit": unit, "source": source},
        )
