"""The funds workbooks through the shared writer: the project ledger with summary sheets, the board."""

import datetime

from povertycase.core import codes
from povertycase.excel import Column, SheetWriter

from .models import Status
from .progress import Progress

STATUS_LABELS = {
    Status.RESERVE: "储备",
    Status.APPROVED: "已批复",
    Status.IN_PROGRESS: "实施中",
    Status.COMPLETED: "已完工",
    Status.ACCEPTED: "已验收",
    Status.REIMBURSED: "已报账",
    Status.SUSPENDED: "暂停",
    Status.WITHDRAWN: "撤销",
}
COLUMNS = [
    Column("项目编号", 14),
    Column("项目名称", 30),
    Column("年度", 6, "int"),
    Column("项目类型", 16),
    Column("实施单位", 14),
    Column("建设地点（村）", 24),
    Column("状态", 8),
    Column("批复日期", 11, "date"),
    Column("开工日期", 11, "date"),
    Column("计划完工", 11, "date"),
    Column("完工日期", 11, "date"),
    Column("验收日期", 11, "date"),
    Column("报账日期", 11, "date"),
    Column("完工进度（%）", 9, "int"),
    Column("预算（元）", 14, "money"),
    Column("已拨付（元）", 14, "money"),
    Column("拨付率（%）", 9, "decimal"),
    Column("是否滞后", 8),
    Column("滞后原因", 24),
]
SUMMARY_COLUMNS = [
    Column("下达（元）", 16, "money"),
    Column("已拨付（元）", 16, "money"),
    Column("拨付率（%）", 10, "decimal"),
]
UNIT_COLUMNS = [*SUMMARY_COLUMNS, Column("项目数", 8, "int"), Column("滞后项目", 8, "int")]
BOARD_COLUMNS = [
    Column("序号", 6, "int"),
    Column("组", 10),
    Column("户主姓名", 12),
    Column("项目", 30),
    Column("补助类型", 16),
    Column("金额（元）", 14, "money"),
]


def _percent(paid, allocated):
    return round(float(paid) * 100 / float(allocated), 1) if allocated else None


def project_row(p, type_labels: dict, villages: str, today: datetime.date) -> list:
    return [
        p.number,
        p.name,
        p.year,
        type_labels.get(p.project_type, p.project_type),
        str(p.unit),
        villages,
        STATUS_LABELS.get(p.status, p.status),
        p.approved_on,
        p.started_on,
        p.planned_completion,
        p.completed_on,
        p.accepted_on,
        p.reimbursed_on,
        p.completion_percent,
        p.budget_total,
        p.paid_total,
        _percent(p.paid_total, p.budget_total),
        p.is_behind_on(today),
        p.delay_reason,
    ]


def write_ledger(target, projects, progress: Progress, *, today: datetime.date) -> int:
    writer = SheetWriter(
        target,
        sheet_name="项目资金台账",
        columns=COLUMNS,
        title_lines=[f"{progress.year}年扶贫项目资金台账", f"统计截至：{progress.as_of.isoformat()}"],
    )
    type_labels = dict(codes.choices("fund_project_type"))
    for p in projects:
        villages = "、".join(v.name for v in p.villages.all())
        writer.write_row(project_row(p, type_labels, villages, today))
    count = writer.row - writer.header_row - 1
    _summary(
        writer,
        "按资金来源汇总",
        "资金来源",
        SUMMARY_COLUMNS,
        [(r.label, _money(r)) for r in progress.by_source],
        progress,
    )
    _summary(
        writer,
        "按单位汇总",
        "单位",
        UNIT_COLUMNS,
        [(r.label, [*_money(r), r.projects, r.behind_schedule]) for r in progress.by_unit],
        progress,
    )
    writer.close()
    return count


def _money(row) -> list:
    return [row.allocated, row.paid, _percent(row.paid, row.allocated)]


def _summary(writer, name, first, columns, rows, progress) -> None:
    """An extra sheet in the shared writer's workbook: header, frozen, filtered, a total row."""
    sheet = writer.workbook.add_worksheet(name)
    columns = [Column(first, 26), *columns]
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column.header, writer.formats["header"])
    sheet.freeze_panes(1, 0)
    row = 1
    for label, values in rows:
        _write(sheet, writer, row, label, values, columns)
        row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), len(columns) - 1)
    total = _money(progress.total)
    _write(sheet, writer, row, "合计", total, columns)


def _write(sheet, writer, row, label, values, columns) -> None:
    sheet.write_string(row, 0, label, writer.formats["text"])
    for index, value in enumerate(values, start=1):
        if value is not None:
            sheet.write_number(row, index, float(value), writer.formats[columns[index].kind])


def write_board(target, village, year: int, rows) -> int:
    writer = SheetWriter(
        target,
        sheet_name="受益户公示",
        columns=BOARD_COLUMNS,
        title_lines=[
            f"{village.township.name}{village.name} {year}年扶贫项目受益户公示",
            "（不含身份证号码）",
        ],
    )
    type_labels = dict(codes.choices("fund_project_type"))
    for n, b in enumerate(rows, start=1):
        writer.write_row(
            [
                n,
                b.household.group_name,
                b.household.head_name,
                b.project.name,
                type_labels.get(b.project_type, b.project_type),
                b.amount,
            ]
        )
    return writer.close()
